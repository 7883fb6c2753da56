//! Building a request from what the HTTP server parsed: checked, decoded, one buffer.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::SocketAddrV4;

use super::Request;
use crate::error::Error;
use crate::header::{is_valid_name, is_valid_value};
use crate::method::Method;
use crate::pattern::Captures;
use crate::percent;

/// What the server hands over for one request (see [`Request::from_parts`]).
#[derive(Clone, Debug)]
pub struct RequestParts<'a, H> {
    /// The method.
    pub method: Method,
    /// The origin-form target as received: `/path?query`, escapes not decoded.
    pub target: &'a [u8],
    /// The header fields as `(name, value)` bytes, in order; iterated twice (to size the
    /// buffer, then to fill it), hence `Clone`.
    pub headers: H,
    /// The whole body.
    pub body: Vec<u8>,
    /// The request's id, unique in this boot.
    pub id: u64,
    /// The client's address.
    pub peer: SocketAddrV4,
}

impl Request {
    /// The request the server parsed. The path is percent-decoded (bytes that are not UTF-8
    /// once decoded read as U+FFFD); header values are trimmed of spaces and tabs.
    ///
    /// Errors (400): a target that does not start with `/`, a header name that is not a token,
    /// a header value with control characters. Allocates one buffer of the head's size (two
    /// when the path has escapes).
    ///
    /// ```
    /// use core::net::{Ipv4Addr, SocketAddrV4};
    /// use sauce_app::{Method, Request, RequestParts};
    ///
    /// let headers: [(&[u8], &[u8]); 1] = [(b"Host", b" example.com ")];
    /// let request = Request::from_parts(RequestParts {
    ///     method: Method::Get,
    ///     target: b"/caf%C3%A9?q=1",
    ///     headers,
    ///     body: Vec::new(),
    ///     id: 42,
    ///     peer: SocketAddrV4::new(Ipv4Addr::new(10, 0, 2, 2), 50000),
    /// })
    /// .unwrap();
    /// assert_eq!(request.path(), "/café");
    /// assert_eq!(request.query_string(), Some("q=1"));
    /// assert_eq!(request.header("host"), Some("example.com"));
    /// assert_eq!(request.id(), 42);
    /// ```
    pub fn from_parts<'a, H>(parts: RequestParts<'a, H>) -> Result<Request, Error>
    where
        H: IntoIterator<Item = (&'a [u8], &'a [u8])> + Clone,
    {
        let target = parts.target;
        if target.first() != Some(&b'/') {
            return Err(Error::bad_request("the request target is not a path"));
        }
        let (raw_path, raw_query) = match target.iter().position(|byte| *byte == b'?') {
            Some(mark) => (
                target.get(..mark).unwrap_or_default(),
                Some(target.get(mark + 1..).unwrap_or_default()),
            ),
            None => (target, None),
        };
        let path = percent::decode(raw_path, false);
        let query = raw_query.map(percent::lossy);

        // One pass: the raw lengths bound what is kept (values are only trimmed).
        let mut length = path.len() + query.as_ref().map_or(0, |query| query.len());
        for (name, value) in parts.headers.clone() {
            length += name.len() + value.len() + 2;
        }
        let mut head = String::new();
        head.try_reserve_exact(length)?;
        head.push_str(&path);
        let path_end = head.len();
        if let Some(query) = &query {
            head.push_str(query);
        }
        let query_end = head.len();
        for (name, value) in parts.headers {
            let name = core::str::from_utf8(name).unwrap_or_default();
            if !is_valid_name(name) {
                return Err(Error::bad_request("invalid header name"));
            }
            head.push_str(name);
            head.push(':');
            head.push_str(&header_value(value)?);
            head.push('\n');
        }
        Ok(Request {
            method: parts.method,
            head,
            path_end,
            query_end,
            has_query: query.is_some(),
            body: parts.body,
            captures: Captures::default(),
            route: "",
            id: parts.id,
            peer: parts.peer,
            served_as_head: false,
        })
    }
}

/// A header value trimmed of optional whitespace, checked for control characters, as text.
fn header_value(value: &[u8]) -> Result<Cow<'_, str>, Error> {
    let is_whitespace = |byte: &u8| *byte == b' ' || *byte == b'\t';
    let start = value
        .iter()
        .position(|byte| !is_whitespace(byte))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|byte| !is_whitespace(byte))
        .map_or(start, |last| last + 1);
    let value = value.get(start..end).unwrap_or_default();
    let value = match core::str::from_utf8(value) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(value),
    };
    if !is_valid_value(&value) {
        return Err(Error::bad_request("invalid header value"));
    }
    Ok(value)
}
