//! Conditional requests: `If-None-Match` against a file's `ETag` (RFC 9110 §13.1.2).

/// Whether `If-None-Match: if_none_match` fails for a file tagged `etag`, so the answer is
/// `304 Not Modified`: the field is `*`, or one of its comma-separated tags equals `etag`
/// under the weak comparison (a `W/` prefix on either side is ignored).
pub fn none_match_fails(etag: &str, if_none_match: &[u8]) -> bool {
    let etag = opaque_tag(etag.as_bytes());
    let field = trim(if_none_match);
    field == b"*"
        || field
            .split(|byte| *byte == b',')
            .map(trim)
            .any(|tag| opaque_tag(tag) == etag)
}

/// An entity tag without its weakness indicator `W/`.
fn opaque_tag(tag: &[u8]) -> &[u8] {
    tag.strip_prefix(b"W/").unwrap_or(tag)
}

/// `bytes` without leading and trailing spaces and tabs.
fn trim(bytes: &[u8]) -> &[u8] {
    let is_space = |byte: &u8| *byte == b' ' || *byte == b'\t';
    let start = bytes
        .iter()
        .position(|byte| !is_space(byte))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|byte| !is_space(byte))
        .map_or(start, |last| last + 1);
    bytes.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_comparison_over_a_list() {
        assert!(none_match_fails("\"b1\"", b"\"zz\", W/\"b1\""));
        assert!(none_match_fails("W/\"b1\"", b"\"b1\""));
        assert!(none_match_fails("\"b1\"", b" * "));
        assert!(!none_match_fails("\"b1\"", b"\"zz\""));
        assert!(!none_match_fails("\"b1\"", b"b1"));
        assert!(!none_match_fails("\"b1\"", b""));
        assert!(!none_match_fails("\"b1\"", b",,"));
    }

    #[test]
    fn trimming() {
        assert_eq!(trim(b" \t a \t"), b"a");
        assert_eq!(trim(b"  "), b"");
    }
}
