//! Byte classes and small scanners of HTTP/1.1 syntax (RFC 9110 §5.6, RFC 9112 §2).
//!
//! Every function here takes untrusted bytes and indexes only through iterators, `split_at`
//! after a bound check, or `get`: none panics.

/// `tchar` of RFC 9110 §5.6.2: the bytes of a token (method, header name, list item).
pub(crate) const fn is_token_byte(byte: u8) -> bool {
    matches!(byte,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_'
        | b'`' | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// A non-empty run of token bytes.
pub(crate) fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(|byte| is_token_byte(*byte))
}

/// A byte allowed inside a field value: visible ASCII, space, tab, or `obs-text` (0x80–0xFF).
pub(crate) const fn is_field_value_byte(byte: u8) -> bool {
    matches!(byte, b'\t' | b' '..=b'~' | 0x80..=0xFF)
}

/// A byte allowed in a request target: visible ASCII (RFC 3986 characters are a subset).
pub(crate) const fn is_target_byte(byte: u8) -> bool {
    matches!(byte, b'!'..=b'~')
}

/// `bytes` without leading and trailing spaces and tabs (`OWS`).
pub(crate) fn trim_whitespace(bytes: &[u8]) -> &[u8] {
    let is_whitespace = |byte: &u8| *byte == b' ' || *byte == b'\t';
    let start = bytes
        .iter()
        .position(|byte| !is_whitespace(byte))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|byte| !is_whitespace(byte))
        .map_or(start, |last| last + 1);
    bytes.get(start..end).unwrap_or_default()
}

/// Why a decimal number did not parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DecimalError {
    /// Empty, or a byte other than `0`–`9`.
    NotDigits,
    /// Only digits, but more than a `u64` holds.
    Overflow,
}

/// `1*DIGIT` as a `u64`; leading zeros are allowed.
pub(crate) fn parse_decimal(bytes: &[u8]) -> Result<u64, DecimalError> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(DecimalError::NotDigits);
    }
    bytes.iter().try_fold(0u64, |value, digit| {
        value
            .checked_mul(10)
            .and_then(|value| value.checked_add(u64::from(digit - b'0')))
            .ok_or(DecimalError::Overflow)
    })
}

/// The items of a comma-separated list (`#element`), trimmed, empty items skipped.
pub(crate) fn list_items(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|byte| *byte == b',')
        .map(trim_whitespace)
        .filter(|item| !item.is_empty())
}

/// The lines of a head: split at LF, one CR before the LF removed (RFC 9112 §2.2 lets a
/// recipient accept a bare LF). A CR anywhere else stays in the line, where the byte-class
/// checks reject it.
pub(crate) fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let mut pieces = bytes.split(|byte| *byte == b'\n');
    if bytes.is_empty() {
        pieces.next();
    }
    pieces.map(|line| line.strip_suffix(b"\r").unwrap_or(line))
}

/// Where a head ends: the index just past the first empty line (`LF CR LF` or `LF LF`) at or
/// after `from`. `Err(resume)` when there is none yet: scanning again from `resume` once
/// more bytes arrived finds the end without rescanning the rest.
pub(crate) fn find_head_end(bytes: &[u8], from: usize) -> Result<usize, usize> {
    let mut index = from;
    while let Some(offset) = bytes
        .get(index..)
        .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
    {
        let line_feed = index + offset;
        match (bytes.get(line_feed + 1), bytes.get(line_feed + 2)) {
            (Some(b'\n'), _) => return Ok(line_feed + 2),
            (Some(b'\r'), Some(b'\n')) => return Ok(line_feed + 3),
            (None, _) | (Some(b'\r'), None) => return Err(line_feed),
            _ => index = line_feed + 1,
        }
    }
    Err(bytes.len().max(from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_optional_whitespace() {
        assert_eq!(trim_whitespace(b" \t a b \t"), b"a b");
        assert_eq!(trim_whitespace(b" \t "), b"");
        assert_eq!(trim_whitespace(b""), b"");
    }

    #[test]
    fn decimals() {
        assert_eq!(parse_decimal(b"0042"), Ok(42));
        assert_eq!(parse_decimal(b""), Err(DecimalError::NotDigits));
        assert_eq!(parse_decimal(b"+1"), Err(DecimalError::NotDigits));
        assert_eq!(parse_decimal(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            parse_decimal(b"18446744073709551616"),
            Err(DecimalError::Overflow)
        );
    }

    #[test]
    fn list_items_skip_empty_elements() {
        let items: Vec<&[u8]> = list_items(b" close ,, keep-alive,").collect();
        assert_eq!(items, [&b"close"[..], b"keep-alive"]);
    }

    #[test]
    fn head_end_is_found_incrementally() {
        let head = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nrest";
        assert_eq!(find_head_end(head, 0), Ok(27));
        let mut resume = 0;
        for end in 1..27 {
            resume = find_head_end(&head[..end], resume).unwrap_err();
            assert!(resume <= end);
        }
        assert_eq!(find_head_end(head, resume), Ok(27));
        assert_eq!(find_head_end(b"GET / HTTP/1.1\n\n", 0), Ok(16));
        assert_eq!(find_head_end(b"GET / HTTP/1.1\n\r\r\n", 0), Err(17));
    }

    #[test]
    fn lines_accept_bare_line_feeds() {
        let collected: Vec<&[u8]> = lines(b"a\r\nb\nc\r\r\n").collect();
        assert_eq!(collected, [&b"a"[..], b"b", b"c\r"]);
        assert_eq!(lines(b"").count(), 0);
    }
}
