//! A response's header list: owned or `'static` names and values, looked up case-insensitively.

use alloc::borrow::Cow;
use alloc::vec::Vec;

/// A header name or value: a `'static` string costs no allocation.
pub type HeaderText = Cow<'static, str>;

/// Response headers in the order they were set; repeated names are kept (`Set-Cookie`).
///
/// ```
/// use sauce_app::Headers;
///
/// let mut headers = Headers::new();
/// headers.append("Set-Cookie", "a=1");
/// headers.append("set-cookie", "b=2");
/// assert_eq!(headers.get("SET-COOKIE"), Some("a=1"));
/// assert_eq!(headers.get_all("Set-Cookie").count(), 2);
/// headers.set("Set-Cookie", "c=3");
/// assert_eq!(headers.get_all("set-cookie").collect::<Vec<_>>(), ["c=3"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers {
    entries: Vec<(HeaderText, HeaderText)>,
}

impl Headers {
    /// No headers (allocates nothing).
    pub const fn new() -> Headers {
        Headers {
            entries: Vec::new(),
        }
    }

    /// Adds a header, keeping any of the same name. The name and value are not checked here:
    /// [`crate::Response::with_header`] checks what handlers set.
    pub fn append(&mut self, name: impl Into<HeaderText>, value: impl Into<HeaderText>) {
        self.entries.push((name.into(), value.into()));
    }

    /// Replaces every header of this name with one.
    pub fn set(&mut self, name: impl Into<HeaderText>, value: impl Into<HeaderText>) {
        let name = name.into();
        self.remove(&name);
        self.entries.push((name, value.into()));
    }

    /// Removes every header of this name.
    pub fn remove(&mut self, name: &str) {
        self.entries
            .retain(|(candidate, _)| !candidate.eq_ignore_ascii_case(name));
    }

    /// The first value of `name`, compared case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(candidate, _)| candidate.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_ref())
    }

    /// Every value of `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.entries
            .iter()
            .filter(move |(candidate, _)| candidate.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_ref())
    }

    /// Every `(name, value)`, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .map(|(name, value)| (name.as_ref(), value.as_ref()))
    }

    /// How many headers there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn lookups_ignore_case_and_keep_order() {
        let mut headers = Headers::new();
        headers.append("Vary", "Accept");
        headers.append("X-Id", "7".to_string());
        headers.append("vary", "Origin");
        assert_eq!(
            headers.get_all("VARY").collect::<Vec<_>>(),
            ["Accept", "Origin"]
        );
        assert_eq!(headers.get("x-id"), Some("7"));
        assert_eq!(headers.len(), 3);
        headers.remove("Vary");
        assert_eq!(headers.iter().collect::<Vec<_>>(), [("X-Id", "7")]);
        assert!(!headers.is_empty());
    }
}
