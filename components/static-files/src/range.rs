//! `Range: bytes=…` (RFC 9110 §14.1.2, §14.2): one range selects a part; anything else is
//! served whole, as §14.2 allows (no `multipart/byteranges`).

/// What a `Range` field selects of a representation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// The whole representation with 200: the field is malformed, in another unit, or
    /// lists several ranges.
    Whole,
    /// Bytes `first..=last` with 206, both within the representation.
    Part {
        /// The first byte.
        first: usize,
        /// The last byte (inclusive).
        last: usize,
    },
    /// 416: the one range starts at or beyond the end (or asks for a suffix of zero bytes,
    /// or any byte of an empty representation).
    Unsatisfiable,
}

/// The part of a representation of `length` bytes that `Range: field` selects: `bytes=a-b`
/// (b clamped to the end), `bytes=a-`, `bytes=-n` (the last n bytes, all of them when n is
/// larger); the unit is case-insensitive, whitespace around the range is allowed.
pub fn select(field: &[u8], length: usize) -> Selection {
    let Some(equals) = field.iter().position(|byte| *byte == b'=') else {
        return Selection::Whole;
    };
    let (unit, set) = field.split_at(equals);
    if !unit.eq_ignore_ascii_case(b"bytes") {
        return Selection::Whole;
    }
    let mut specs = set
        .get(1..)
        .unwrap_or_default()
        .split(|byte| *byte == b',')
        .map(crate::conditional::trim)
        .filter(|spec| !spec.is_empty());
    let (Some(spec), None) = (specs.next(), specs.next()) else {
        return Selection::Whole;
    };
    let Some(dash) = spec.iter().position(|byte| *byte == b'-') else {
        return Selection::Whole;
    };
    let (first, last) = spec.split_at(dash);
    let last = last.get(1..).unwrap_or_default();
    match (position(first), position(last)) {
        (Some(first), None) if last.is_empty() => part(first, usize::MAX, length),
        (Some(first), Some(last)) if first <= last => part(first, last, length),
        (None, Some(suffix)) if first.is_empty() => match (suffix, length) {
            (0, _) | (_, 0) => Selection::Unsatisfiable,
            _ => Selection::Part {
                first: length.saturating_sub(suffix),
                last: length - 1,
            },
        },
        _ => Selection::Whole,
    }
}

/// Bytes `first..=last` of `length`, the end clamped.
fn part(first: usize, last: usize, length: usize) -> Selection {
    if first >= length {
        return Selection::Unsatisfiable;
    }
    Selection::Part {
        first,
        last: last.min(length - 1),
    }
}

/// `1*DIGIT` as a byte position, saturating (a position beyond memory is beyond any file).
fn position(digits: &[u8]) -> Option<usize> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0usize, |value, digit| {
        value
            .saturating_mul(10)
            .saturating_add(usize::from(digit - b'0'))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(first: usize, last: usize) -> Selection {
        Selection::Part { first, last }
    }

    #[test]
    fn the_three_forms_of_one_range() {
        assert_eq!(select(b"bytes=0-99", 1000), part(0, 99));
        assert_eq!(select(b"bytes=500-", 1000), part(500, 999));
        assert_eq!(select(b"bytes=-100", 1000), part(900, 999));
        assert_eq!(select(b"BYTES= 5-5 ", 10), part(5, 5));
        assert_eq!(select(b"bytes=0-99999999999999999999999", 10), part(0, 9));
        assert_eq!(select(b"bytes=-5000", 10), part(0, 9));
        assert_eq!(select(b"bytes=9-", 10), part(9, 9));
        assert_eq!(select(b"bytes=, 2-3,", 10), part(2, 3));
    }

    #[test]
    fn ranges_beyond_the_end_are_unsatisfiable() {
        assert_eq!(select(b"bytes=10-", 10), Selection::Unsatisfiable);
        assert_eq!(select(b"bytes=10-20", 10), Selection::Unsatisfiable);
        assert_eq!(
            select(b"bytes=99999999999999999999999-", 10),
            Selection::Unsatisfiable
        );
        assert_eq!(select(b"bytes=-0", 10), Selection::Unsatisfiable);
        assert_eq!(select(b"bytes=-1", 0), Selection::Unsatisfiable);
        assert_eq!(select(b"bytes=0-", 0), Selection::Unsatisfiable);
    }

    #[test]
    fn anything_else_is_served_whole() {
        for field in [
            &b""[..],
            b"bytes",
            b"bytes=",
            b"bytes=-",
            b"bytes=5-4",
            b"bytes=a-b",
            b"bytes=1-2-3",
            b"bytes=+1-2",
            b"bytes=0-1,3-4",
            b"items=0-1",
            b"bytes =0-1",
            b"bytes=0x1-2",
        ] {
            assert_eq!(
                select(field, 10),
                Selection::Whole,
                "{}",
                String::from_utf8_lossy(field)
            );
        }
    }
}
