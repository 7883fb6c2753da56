//! Conditional requests (RFC 9110 §13.1): `If-None-Match` against a file's `ETag`,
//! `If-Modified-Since` against its `Last-Modified`, `If-Range` against either.
use crate::http_date;

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

/// Whether `If-Modified-Since: if_modified_since` says the client's copy is current, so the
/// answer is 304: both dates are valid HTTP-dates and `last_modified` is not later (§13.1.3;
/// an invalid date is ignored).
pub fn unmodified_since(last_modified: &str, if_modified_since: &[u8]) -> bool {
    match (
        http_date::parse(last_modified.as_bytes()),
        http_date::parse(if_modified_since),
    ) {
        (Some(modified), Some(since)) => modified <= since,
        _ => false,
    }
}

/// Whether `If-Range: if_range` still describes the file, so its `Range` applies (§13.1.5):
/// an entity tag equal to `etag` under the strong comparison (neither weak), or an HTTP-date
/// equal to `last_modified`. Anything else serves the whole file.
pub fn range_applies(etag: Option<&str>, last_modified: Option<&str>, if_range: &[u8]) -> bool {
    let field = trim(if_range);
    match field.first() {
        Some(b'"') => etag.is_some_and(|etag| etag.as_bytes() == field),
        Some(b'W') if field.starts_with(b"W/") => false,
        _ => match (
            last_modified.and_then(|date| http_date::parse(date.as_bytes())),
            http_date::parse(field),
        ) {
            (Some(modified), Some(date)) => modified == date,
            _ => false,
        },
    }
}

/// An entity tag without its weakness indicator `W/`.
fn opaque_tag(tag: &[u8]) -> &[u8] {
    tag.strip_prefix(b"W/").unwrap_or(tag)
}

/// `bytes` without leading and trailing spaces and tabs.
pub(crate) fn trim(bytes: &[u8]) -> &[u8] {
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
    fn modified_since_compares_seconds() {
        let modified = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert!(unmodified_since(modified, b"Sun, 06 Nov 1994 08:49:37 GMT"));
        assert!(unmodified_since(
            modified,
            b"Sunday, 06-Nov-94 08:49:38 GMT"
        ));
        assert!(unmodified_since(modified, b"Mon Nov  7 00:00:00 1994"));
        assert!(!unmodified_since(
            modified,
            b"Sun, 06 Nov 1994 08:49:36 GMT"
        ));
        assert!(!unmodified_since(modified, b"yesterday"));
        assert!(!unmodified_since(
            "not a date",
            b"Sun, 06 Nov 1994 08:49:37 GMT"
        ));
    }

    #[test]
    fn if_range_compares_strongly() {
        let modified = Some("Sun, 06 Nov 1994 08:49:37 GMT");
        assert!(range_applies(Some("\"b1\""), None, b"\"b1\""));
        assert!(!range_applies(Some("W/\"b1\""), None, b"W/\"b1\""));
        assert!(!range_applies(Some("\"b1\""), None, b"W/\"b1\""));
        assert!(!range_applies(Some("\"b1\""), None, b"\"b2\""));
        assert!(!range_applies(None, None, b"\"b1\""));
        assert!(range_applies(
            None,
            modified,
            b"Sun, 06 Nov 1994 08:49:37 GMT"
        ));
        assert!(!range_applies(
            None,
            modified,
            b"Sun, 06 Nov 1994 08:49:38 GMT"
        ));
        assert!(!range_applies(
            Some("\"b1\""),
            None,
            b"Sun, 06 Nov 1994 08:49:37 GMT"
        ));
        assert!(!range_applies(None, modified, b""));
    }

    #[test]
    fn trimming() {
        assert_eq!(trim(b" \t a \t"), b"a");
        assert_eq!(trim(b"  "), b"");
    }
}
