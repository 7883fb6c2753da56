//! `Accept-Encoding` (RFC 9110 §12.5.3): whether a client takes the gzip copy of a file.

/// Whether `Accept-Encoding: field` accepts gzip: `gzip` (or `x-gzip`, §8.4.1.3), else `*`,
/// with a weight above 0, and no higher weight on `identity`. Codings and `q` are
/// case-insensitive; an element with a malformed weight is skipped; the first element naming
/// a coding counts.
pub fn accepts_gzip(field: &[u8]) -> bool {
    let mut gzip = None;
    let mut identity = None;
    let mut any = None;
    for element in field.split(|byte| *byte == b',') {
        let mut parts = element.split(|byte| *byte == b';');
        let coding = crate::conditional::trim(parts.next().unwrap_or_default());
        let Some(weight) = weight(parts.next(), parts.next().is_some()) else {
            continue;
        };
        let slot = if coding.eq_ignore_ascii_case(b"gzip") || coding.eq_ignore_ascii_case(b"x-gzip")
        {
            &mut gzip
        } else if coding.eq_ignore_ascii_case(b"identity") {
            &mut identity
        } else if coding == b"*" {
            &mut any
        } else {
            continue;
        };
        slot.get_or_insert(weight);
    }
    let gzip = gzip.or(any).unwrap_or(0);
    gzip > 0 && identity.is_none_or(|identity| gzip >= identity)
}

/// The weight in thousandths of an element's parameter (`q=0.5` → 500; none → 1000), or
/// `None` when it is malformed or there is more than one parameter.
fn weight(parameter: Option<&[u8]>, more: bool) -> Option<u16> {
    let Some(parameter) = parameter else {
        return Some(1000);
    };
    let parameter = crate::conditional::trim(parameter);
    let value = match parameter {
        [b'q' | b'Q', b'=', value @ ..] if !more => value,
        _ => return None,
    };
    match value {
        [b'1'] => Some(1000),
        [b'1', b'.', zeros @ ..] if zeros.len() <= 3 && zeros.iter().all(|byte| *byte == b'0') => {
            Some(1000)
        }
        [b'0'] => Some(0),
        [b'0', b'.', decimals @ ..]
            if decimals.len() <= 3 && decimals.iter().all(u8::is_ascii_digit) =>
        {
            let thousandths = decimals
                .iter()
                .chain(core::iter::repeat(&b'0'))
                .take(3)
                .fold(0u16, |value, digit| value * 10 + u16::from(digit - b'0'));
            Some(thousandths)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_listed_or_covered_by_a_wildcard() {
        assert!(accepts_gzip(b"gzip"));
        assert!(accepts_gzip(b"gzip, deflate, br"));
        assert!(accepts_gzip(b"br;q=1.0, GZIP;Q=0.5"));
        assert!(accepts_gzip(b"x-gzip"));
        assert!(accepts_gzip(b"*"));
        assert!(accepts_gzip(b"br, *;q=0.1"));
        assert!(accepts_gzip(b"gzip;q=0.5, identity;q=0.5"));
        assert!(accepts_gzip(b"gzip ; q=0.001"));
    }

    #[test]
    fn refused_by_weight_absence_or_preference() {
        assert!(!accepts_gzip(b""));
        assert!(!accepts_gzip(b"identity"));
        assert!(!accepts_gzip(b"br, deflate"));
        assert!(!accepts_gzip(b"gzip;q=0"));
        assert!(!accepts_gzip(b"gzip;q=0.000"));
        assert!(!accepts_gzip(b"gzip;q=0, *"));
        assert!(!accepts_gzip(b"*;q=0"));
        assert!(!accepts_gzip(b"gzip;q=0.5, identity"));
        assert!(!accepts_gzip(b"gzipped"));
    }

    #[test]
    fn malformed_weights_skip_their_element() {
        assert!(!accepts_gzip(b"gzip;q=2"));
        assert!(!accepts_gzip(b"gzip;q=1.5"));
        assert!(!accepts_gzip(b"gzip;q=0.1234"));
        assert!(!accepts_gzip(b"gzip;level=1"));
        assert!(!accepts_gzip(b"gzip;q=1;q=1"));
        assert!(!accepts_gzip(b"gzip;q="));
        assert!(accepts_gzip(b"gzip;q=x, gzip"));
    }
}
