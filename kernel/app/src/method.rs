//! Request methods: the seven a handler usually sees, and any other token as an extension.

use core::fmt;

/// The longest extension method token kept (`PROPPATCH`, `MKCALENDAR`, … all fit).
pub const EXTENSION_CAPACITY: usize = 20;

/// A request method (RFC 9110 §9, plus `PATCH` from RFC 5789).
///
/// Methods are case-sensitive tokens: `get` is an extension method, not [`Method::Get`].
///
/// ```
/// use sauce_app::Method;
///
/// assert_eq!(Method::from_token(b"PATCH"), Some(Method::Patch));
/// let report = Method::from_token(b"REPORT").unwrap();
/// assert_eq!(report.as_str(), "REPORT");
/// assert!(Method::from_token(b"NOT A TOKEN").is_none());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `HEAD`: a `GET` without the body; the router serves it through the `GET` handler.
    Head,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `OPTIONS`: the router answers it with `204` and `Allow` unless a route handles it.
    Options,
    /// Any other method token (`CONNECT`, `TRACE`, WebDAV's `PROPFIND`, …).
    Extension(ExtensionMethod),
}

impl Method {
    /// The standard methods, in the order an `Allow` header lists them.
    pub const STANDARD: [Method; 7] = [
        Method::Get,
        Method::Head,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Options,
    ];

    /// The method a request line names; `None` when `token` is not an RFC 9110 token or is
    /// an extension longer than [`EXTENSION_CAPACITY`] bytes.
    pub fn from_token(token: &[u8]) -> Option<Method> {
        // A match on the bytes compiles to length and word comparisons, not a loop of calls.
        match token {
            b"GET" => Some(Method::Get),
            b"HEAD" => Some(Method::Head),
            b"POST" => Some(Method::Post),
            b"PUT" => Some(Method::Put),
            b"PATCH" => Some(Method::Patch),
            b"DELETE" => Some(Method::Delete),
            b"OPTIONS" => Some(Method::Options),
            _ => ExtensionMethod::new(token).map(Method::Extension),
        }
    }

    /// The method's token, as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Extension(extension) => extension.as_str(),
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A method token that is none of the standard seven, stored inline (no allocation).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExtensionMethod {
    bytes: [u8; EXTENSION_CAPACITY],
    length: u8,
}

impl ExtensionMethod {
    /// An extension method from its token; `None` when it is empty, longer than
    /// [`EXTENSION_CAPACITY`], or has a byte that is not a token character.
    pub fn new(token: &[u8]) -> Option<ExtensionMethod> {
        if token.is_empty() || token.len() > EXTENSION_CAPACITY {
            return None;
        }
        if !token.iter().copied().all(is_token_byte) {
            return None;
        }
        let mut bytes = [0u8; EXTENSION_CAPACITY];
        bytes.get_mut(..token.len())?.copy_from_slice(token);
        Some(ExtensionMethod {
            bytes,
            length: u8::try_from(token.len()).ok()?,
        })
    }

    /// The token.
    pub fn as_str(&self) -> &str {
        let bytes = self
            .bytes
            .get(..usize::from(self.length))
            .unwrap_or_default();
        // Only token bytes (ASCII) are ever stored, so this cannot fail.
        core::str::from_utf8(bytes).unwrap_or_default()
    }
}

impl fmt::Debug for ExtensionMethod {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Whether `byte` may appear in an RFC 9110 token (`tchar`): method names and header names.
pub(crate) fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_methods_round_trip_through_their_tokens() {
        for method in Method::STANDARD {
            assert_eq!(Method::from_token(method.as_str().as_bytes()), Some(method));
        }
    }

    #[test]
    fn methods_are_case_sensitive() {
        let lower = Method::from_token(b"get").unwrap();
        assert_ne!(lower, Method::Get);
        assert_eq!(lower.as_str(), "get");
    }

    #[test]
    fn extension_tokens_are_checked() {
        assert_eq!(Method::from_token(b"TRACE").unwrap().as_str(), "TRACE");
        assert!(Method::from_token(b"").is_none());
        assert!(Method::from_token(b"GE T").is_none());
        assert!(Method::from_token(b"A\r\nB").is_none());
        assert!(Method::from_token(&[b'X'; EXTENSION_CAPACITY + 1]).is_none());
        assert!(Method::from_token(&[b'X'; EXTENSION_CAPACITY]).is_some());
    }
}
