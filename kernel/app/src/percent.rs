//! Percent-decoding of paths, query strings and form bodies, and the encoding tests use.
//!
//! Decoding is lenient and total: a `%` not followed by two hexadecimal digits stands for
//! itself, and bytes that are not UTF-8 once decoded become U+FFFD. Nothing here panics or
//! allocates more than the decoded text.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// Decodes `%XX` escapes in `raw` (and `+` as a space when `plus_as_space`), lossily as UTF-8.
/// Borrows when there is nothing to decode.
pub(crate) fn decode(raw: &[u8], plus_as_space: bool) -> Cow<'_, str> {
    let needs_decoding = raw
        .iter()
        .any(|byte| *byte == b'%' || (plus_as_space && *byte == b'+'));
    if !needs_decoding {
        return lossy(raw);
    }
    let mut bytes = Vec::with_capacity(raw.len());
    decode_bytes(raw, plus_as_space, &mut bytes);
    match String::from_utf8(bytes) {
        Ok(text) => Cow::Owned(text),
        Err(error) => Cow::Owned(String::from_utf8_lossy(error.as_bytes()).into_owned()),
    }
}

/// `raw` as text, borrowed when it is UTF-8 (checked first: `from_utf8` is the fast path),
/// else with U+FFFD for each bad sequence.
pub(crate) fn lossy(raw: &[u8]) -> Cow<'_, str> {
    match core::str::from_utf8(raw) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(raw),
    }
}

/// Appends the decoded bytes of `raw` to `output`.
fn decode_bytes(raw: &[u8], plus_as_space: bool, output: &mut Vec<u8>) {
    let mut index = 0;
    while let Some(byte) = raw.get(index) {
        match *byte {
            b'%' => match escaped_byte(raw.get(index + 1..index + 3)) {
                Some(decoded) => {
                    output.push(decoded);
                    index += 3;
                }
                None => {
                    output.push(b'%');
                    index += 1;
                }
            },
            b'+' if plus_as_space => {
                output.push(b' ');
                index += 1;
            }
            other => {
                output.push(other);
                index += 1;
            }
        }
    }
}

/// The byte two hexadecimal digits stand for.
fn escaped_byte(digits: Option<&[u8]>) -> Option<u8> {
    let [high, low] = digits? else {
        return None;
    };
    Some(hex_value(*high)? << 4 | hex_value(*low)?)
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// The `name=value` pairs of a query string or an `application/x-www-form-urlencoded` body,
/// decoded. Empty pieces (`a=1&&b=2`) are skipped; a piece without `=` has an empty value.
pub(crate) fn pairs(raw: &str) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
    raw.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (
                decode(name.as_bytes(), true),
                decode(value.as_bytes(), true),
            )
        })
}

/// Appends `text` encoded for a query string or form body: unreserved characters as they
/// are, a space as `+`, every other byte as `%XX`.
pub(crate) fn encode_component(text: &str, output: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            output.push(char::from(byte));
        } else if byte == b' ' {
            output.push('+');
        } else {
            output.push('%');
            output.push(char::from(HEX[usize::from(byte >> 4)]));
            output.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// Encodes `name=value` pairs as a form body or query string.
pub(crate) fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut output = String::new();
    for (name, value) in pairs {
        if !output.is_empty() {
            output.push('&');
        }
        encode_component(name, &mut output);
        output.push('=');
        encode_component(value, &mut output);
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    #[test]
    fn escapes_decode_and_plain_text_is_borrowed() {
        assert!(matches!(
            decode(b"/todos/1", false),
            Cow::Borrowed("/todos/1")
        ));
        assert_eq!(decode(b"/my%20file%2Ecss", false), "/my file.css");
        assert_eq!(decode(b"a+b", false), "a+b");
        assert_eq!(decode(b"a+b%2B", true), "a b+");
    }

    #[test]
    fn broken_escapes_stand_for_themselves() {
        assert_eq!(decode(b"100%", false), "100%");
        assert_eq!(decode(b"%zz%4", false), "%zz%4");
        assert_eq!(decode(b"%%41", false), "%A");
    }

    #[test]
    fn invalid_utf8_becomes_replacement_characters() {
        assert_eq!(decode(b"%FF%FEok", false), "\u{fffd}\u{fffd}ok");
        assert_eq!(decode(&[b'a', 0xff], false), "a\u{fffd}");
    }

    #[test]
    fn pairs_split_and_decode() {
        let decoded: Vec<(String, String)> = pairs("a=1&&b=x+y%21&flag&=empty&c=%3D=")
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        let expected = [
            ("a", "1"),
            ("b", "x y!"),
            ("flag", ""),
            ("", "empty"),
            ("c", "=="),
        ];
        assert_eq!(decoded.len(), expected.len());
        for ((name, value), (expected_name, expected_value)) in decoded.iter().zip(expected) {
            assert_eq!(
                (name.as_str(), value.as_str()),
                (expected_name, expected_value)
            );
        }
    }

    proptest! {
        #[test]
        fn encoding_then_decoding_gives_the_text_back(name in ".*", value in ".*") {
            let encoded = encode_pairs([(name.as_str(), value.as_str())]);
            let decoded: Vec<_> = pairs(&encoded).collect();
            prop_assert_eq!(decoded.len(), 1);
            prop_assert_eq!(&decoded[0].0, &name);
            prop_assert_eq!(&decoded[0].1, &value);
        }

        #[test]
        fn decoding_never_panics(raw in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode(&raw, true);
            let _ = decode(&raw, false);
        }
    }
}
