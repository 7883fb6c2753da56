//! Request targets: the path that routes match, percent-decoding, dot-segment rejection.
//!
//! Paths are compared *decoded* without being copied: `%XX` escapes are decoded on the fly while
//! comparing against route paths and static-file names, which are stored decoded. So
//! `/static/my%20file.css` finds the file `my file.css`, and an escaped slash (`%2F`) counts as
//! a slash. Because nothing here reaches a filesystem, `..` could never escape a folder; still,
//! a path with a `.` or `..` segment (escaped or not) is rejected with 400 so that a table
//! lookup never depends on how a client normalises paths.

/// The path of a request target: the origin-form path without its query, the path of an
/// absolute-form target (`http://host/path` → `/path`, `http://host` → `/`), or the target
/// itself otherwise (`*`, authority-form), which no route matches.
pub fn target_path(target: &[u8]) -> &[u8] {
    let target = target.split(|byte| *byte == b'?').next().unwrap_or(target);
    let Some(scheme_end) = target.windows(3).position(|window| window == b"://") else {
        return target;
    };
    let (scheme, rest) = target.split_at(scheme_end);
    let scheme_is_valid = scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || b"+-.".contains(byte));
    if !scheme_is_valid {
        return target;
    }
    let authority_and_path = rest.get(3..).unwrap_or_default();
    match authority_and_path.iter().position(|byte| *byte == b'/') {
        Some(slash) => authority_and_path.get(slash..).unwrap_or(b"/"),
        None => b"/",
    }
}

/// Whether every `%` in `raw` starts a `%XX` escape with two hexadecimal digits.
pub fn has_valid_escapes(raw: &[u8]) -> bool {
    let mut index = 0;
    while let Some(byte) = raw.get(index) {
        if *byte == b'%' {
            let digits = raw.get(index + 1..index + 3);
            if !digits.is_some_and(|digits| digits.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            index += 3;
        } else {
            index += 1;
        }
    }
    true
}

/// Whether the decoded path has a `.` or `..` segment (`/a/../b`, `/%2e%2E/x`, `/a/.`).
pub fn has_dot_segment(raw: &[u8]) -> bool {
    let mut segment_length = 0usize;
    let mut only_dots = true;
    for byte in decoded(raw).chain(core::iter::once(b'/')) {
        if byte == b'/' {
            if only_dots && (1..=2).contains(&segment_length) {
                return true;
            }
            segment_length = 0;
            only_dots = true;
        } else {
            segment_length = segment_length.saturating_add(1);
            only_dots &= byte == b'.';
        }
    }
    false
}

/// The bytes of `raw` with `%XX` escapes decoded. A `%` not followed by two hexadecimal
/// digits stands for itself (callers reject those paths first with [`has_valid_escapes`]).
pub fn decoded(raw: &[u8]) -> Decoded<'_> {
    Decoded { rest: raw }
}

/// Whether `raw`, decoded, equals `literal`.
pub fn decoded_equals(raw: &[u8], literal: &[u8]) -> bool {
    decoded(raw).eq(literal.iter().copied())
}

/// The rest of `raw` after a prefix that, decoded, equals `prefix`; `None` if it does not
/// start with it.
pub fn strip_decoded_prefix<'a>(raw: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    let mut bytes = decoded(raw);
    for expected in prefix {
        if bytes.next() != Some(*expected) {
            return None;
        }
    }
    Some(bytes.rest)
}

/// Iterator of [`decoded`].
#[derive(Clone, Debug)]
pub struct Decoded<'a> {
    rest: &'a [u8],
}

impl Iterator for Decoded<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        let (first, rest) = self.rest.split_first()?;
        if let (b'%', [high, low, after @ ..]) = (*first, rest) {
            if let (Some(high), Some(low)) = (hex_value(*high), hex_value(*low)) {
                self.rest = after;
                return Some(high << 4 | low);
            }
        }
        self.rest = rest;
        Some(*first)
    }
}

const fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_targets() {
        assert_eq!(target_path(b"/a/b?x=1"), b"/a/b");
        assert_eq!(target_path(b"http://example.com:80/a?q"), b"/a");
        assert_eq!(target_path(b"HTTP://example.com"), b"/");
        assert_eq!(target_path(b"*"), b"*");
        assert_eq!(target_path(b"/x://y"), b"/x://y");
        assert_eq!(target_path(b"://"), b"://");
    }

    #[test]
    fn escapes_decode_and_validate() {
        assert!(decoded_equals(b"/my%20file%2Ecss", b"/my file.css"));
        assert!(decoded_equals(b"100%", b"100%"));
        assert!(has_valid_escapes(b"/a%2fb%20"));
        assert!(!has_valid_escapes(b"/a%2"));
        assert!(!has_valid_escapes(b"/a%zz"));
        assert_eq!(
            strip_decoded_prefix(b"/st%61tic/a.css", b"/static/"),
            Some(&b"a.css"[..])
        );
        assert_eq!(strip_decoded_prefix(b"/stat", b"/static/"), None);
    }

    #[test]
    fn dot_segments_are_found_even_when_escaped() {
        for path in [
            &b"/.."[..],
            b"/a/../b",
            b"/a/./b",
            b"/%2e%2E/x",
            b"/a/.%2e",
            b"/a%2f..%2fb",
        ] {
            assert!(has_dot_segment(path), "{:?}", core::str::from_utf8(path));
        }
        for path in [&b"/"[..], b"/a..b/", b"/.well-known/x", b"/...", b"/a/b."] {
            assert!(!has_dot_segment(path), "{:?}", core::str::from_utf8(path));
        }
    }
}
