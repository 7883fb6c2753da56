//! Header names and values: what may be sent, and the framing headers only the server sets.

use crate::method::is_token_byte;

/// Why a header cannot be set on a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// A header name is one or more token characters (letters, digits, ``!#$%&'*+-.^_`|~``).
    InvalidName,
    /// A header value may not hold control characters (CR, LF, NUL, …) other than tab.
    InvalidValue,
    /// The server sets this header itself (framing, connection management and `Date`).
    Reserved,
}

impl core::fmt::Display for HeaderError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.write_str(match self {
            HeaderError::InvalidName => "a header name is one or more token characters",
            HeaderError::InvalidValue => {
                "a header value may not hold control characters (CR, LF, NUL, …) other than tab"
            }
            HeaderError::Reserved => "the server sets this header itself",
        })
    }
}

impl core::error::Error for HeaderError {}

/// Headers the HTTP server writes itself: a handler setting them could break message framing.
const RESERVED: [&str; 8] = [
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "trailer",
    "te",
    "date",
];

/// Whether `name` is a valid header name (an RFC 9110 token).
pub(crate) fn is_valid_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(is_token_byte)
}

/// Whether `value` is a valid header value: no control character but horizontal tab.
pub(crate) fn is_valid_value(value: &str) -> bool {
    value
        .bytes()
        .all(|byte| byte == b'\t' || (byte >= 0x20 && byte != 0x7f))
}

/// Checks a header a response may carry.
pub(crate) fn check_response_header(name: &str, value: &str) -> Result<(), HeaderError> {
    if !is_valid_name(name) {
        return Err(HeaderError::InvalidName);
    }
    if !is_valid_value(value) {
        return Err(HeaderError::InvalidValue);
    }
    if RESERVED
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(name))
    {
        return Err(HeaderError::Reserved);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection_characters_are_rejected() {
        assert_eq!(
            check_response_header("X-Id", "1\r\nSet-Cookie: a=b"),
            Err(HeaderError::InvalidValue)
        );
        assert_eq!(
            check_response_header("X-Id", "a\nb"),
            Err(HeaderError::InvalidValue)
        );
        assert_eq!(
            check_response_header("X-Id", "a\0b"),
            Err(HeaderError::InvalidValue)
        );
        assert_eq!(
            check_response_header("X\r\nY", "v"),
            Err(HeaderError::InvalidName)
        );
        assert_eq!(
            check_response_header("X Y", "v"),
            Err(HeaderError::InvalidName)
        );
        assert_eq!(
            check_response_header("", "v"),
            Err(HeaderError::InvalidName)
        );
        assert_eq!(check_response_header("X-Id", "a\tb ü"), Ok(()));
    }

    #[test]
    fn framing_headers_are_reserved() {
        assert_eq!(
            check_response_header("Content-Length", "3"),
            Err(HeaderError::Reserved)
        );
        assert_eq!(
            check_response_header("TRANSFER-ENCODING", "chunked"),
            Err(HeaderError::Reserved)
        );
        assert_eq!(
            check_response_header("Date", "x"),
            Err(HeaderError::Reserved)
        );
        assert_eq!(check_response_header("Cache-Control", "no-store"), Ok(()));
    }
}
