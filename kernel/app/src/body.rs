//! Response bodies: nothing, `'static` bytes sent without a copy, or bytes made per request.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// A response body: nothing, bytes built into the image, or bytes made for this request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Body {
    /// No bytes.
    #[default]
    Empty,
    /// Bytes that live as long as the image: sent without a copy.
    Static(&'static [u8]),
    /// Bytes made for this response.
    Owned(Vec<u8>),
}

impl Body {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Body::Empty => &[],
            Body::Static(bytes) => bytes,
            Body::Owned(bytes) => bytes,
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Body {
        Body::Owned(bytes)
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Body {
        Body::Static(bytes)
    }
}

impl<const N: usize> From<&'static [u8; N]> for Body {
    fn from(bytes: &'static [u8; N]) -> Body {
        Body::Static(bytes)
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Body {
        Body::Static(text.as_bytes())
    }
}

impl From<String> for Body {
    fn from(text: String) -> Body {
        Body::Owned(text.into_bytes())
    }
}

impl From<Cow<'static, str>> for Body {
    fn from(text: Cow<'static, str>) -> Body {
        match text {
            Cow::Borrowed(text) => Body::from(text),
            Cow::Owned(text) => Body::from(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::Cow;
    use alloc::string::ToString;

    #[test]
    fn conversions_keep_static_bytes_static() {
        assert!(matches!(Body::from("text"), Body::Static(b"text")));
        assert!(matches!(Body::from(Cow::Borrowed("text")), Body::Static(_)));
        assert!(matches!(
            Body::from(Cow::<str>::Owned("text".to_string())),
            Body::Owned(_)
        ));
        assert_eq!(Body::from(alloc::vec![1u8]).as_bytes(), [1]);
        assert!(Body::default().as_bytes().is_empty());
    }
}
