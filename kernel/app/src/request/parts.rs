//! Building a request from what the HTTP server received: the head as one buffer, checked,
//! kept without a copy; or from parts (tests, other servers), written into such a head.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::SocketAddrV4;

use super::{PathText, Request};
use crate::error::Error;
use crate::header::{is_valid_name, is_valid_value};
use crate::method::Method;
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
    /// Errors (400): a target that does not start with `/` or holds a line break, a header
    /// name that is not a token, a header value with control characters. Allocates one buffer
    /// of the head's size (two when the path has escapes).
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
        if target.iter().any(|byte| *byte == b'\r' || *byte == b'\n') {
            return Err(Error::bad_request("the request target holds a line break"));
        }
        let method = parts.method.as_str();
        let mut length = method.len() + target.len() + " HTTP/1.1\r\n".len() + 1;
        for (name, value) in parts.headers.clone() {
            length += name.len() + value.len() + ": \r\n".len();
        }
        let mut head = Vec::new();
        head.try_reserve_exact(length)?;
        head.extend_from_slice(method.as_bytes());
        head.push(b' ');
        head.extend_from_slice(target);
        head.extend_from_slice(b" HTTP/1.1\r\n");
        for (name, value) in parts.headers {
            // Checked here as well as by the head's reader: a line break in a value would
            // otherwise make a header of its own.
            if header_value(value).is_err() {
                return Err(Error::bad_request("invalid header value"));
            }
            head.extend_from_slice(name);
            head.extend_from_slice(b": ");
            head.extend_from_slice(value);
            head.extend_from_slice(b"\r\n");
        }
        Request::from_head(parts.method, head, parts.body, parts.id, parts.peer)
    }

    /// The request whose head (`head`: the request line and the header lines, each ended by
    /// `\r\n` or `\n`, without the blank line) and body the server received, keeping the head's
    /// buffer as the request's own: no copy when it is UTF-8 (else it reads with U+FFFD) and
    /// its path has no escapes. `method` is the server's reading of the request line's method.
    ///
    /// Errors (400) as [`from_parts`](Self::from_parts), and a request line that is not
    /// `METHOD SP target SP version`.
    ///
    /// ```
    /// use core::net::{Ipv4Addr, SocketAddrV4};
    /// use sauce_app::{Method, Request};
    ///
    /// let head = b"GET /todos/7?full=1 HTTP/1.1\r\nHost: x\r\nAccept:  text/plain \r\n".to_vec();
    /// let peer = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 9);
    /// let request = Request::from_head(Method::Get, head, Vec::new(), 1, peer).unwrap();
    /// assert_eq!(request.path(), "/todos/7");
    /// assert_eq!(request.query_string(), Some("full=1"));
    /// assert_eq!(request.header("accept"), Some("text/plain"));
    /// ```
    pub fn from_head(
        method: Method,
        head: Vec<u8>,
        body: Vec<u8>,
        id: u64,
        peer: SocketAddrV4,
    ) -> Result<Request, Error> {
        let head = match String::from_utf8(head) {
            Ok(head) => head,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        };
        let line_end = head.find('\n').unwrap_or(head.len());
        let headers_start = (line_end + 1).min(head.len());
        let line = head.get(..line_end).unwrap_or_default();
        let line = line.strip_suffix('\r').unwrap_or(line);
        // METHOD SP target SP version: the target is what lies between the first space and
        // the last (so a target with spaces, which only parts can give, stays whole).
        let (target_start, target_end) = match (line.find(' '), line.rfind(' ')) {
            (Some(first), Some(last)) if first < last => (first + 1, last),
            _ => return Err(Error::bad_request("the request line has no target")),
        };
        check_headers(head.get(headers_start..).unwrap_or_default())?;
        Request::with_layout(
            method,
            head,
            (target_start, target_end),
            headers_start,
            body,
            id,
            peer,
        )
    }

    /// [`from_head`](Self::from_head) for a head whose header lines a server already checked
    /// by the same rules (token names; values without control characters but tab; empty
    /// lines allowed), as SauceOS's HTTP server does: they are not checked again. `target` is
    /// the request line's target, between its two spaces, as the server found it (its bytes
    /// are not read again); a range that does not lie between the method and ` HTTP/x.y` (a
    /// server that did not keep its promise) falls back to [`from_head`](Self::from_head)'s
    /// full reading.
    ///
    /// ```
    /// use core::net::{Ipv4Addr, SocketAddrV4};
    /// use sauce_app::{Method, Request};
    ///
    /// let head = b"GET /todos/7 HTTP/1.1\r\nHost: x\r\n".to_vec();
    /// let peer = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 9);
    /// let request = Request::from_checked_head(Method::Get, head, 4..12, Vec::new(), 1, peer);
    /// assert_eq!(request.unwrap().path(), "/todos/7");
    /// ```
    pub fn from_checked_head(
        method: Method,
        head: Vec<u8>,
        target: core::ops::Range<usize>,
        body: Vec<u8>,
        id: u64,
        peer: SocketAddrV4,
    ) -> Result<Request, Error> {
        // `METHOD SP target SP HTTP/x.y` then CRLF or LF: checked where the pieces should
        // be, without reading the target again (the server checked its bytes).
        let version_end = target.end + b" HTTP/1.1".len();
        let framed = target.start > 0
            && target.start < target.end
            && head.get(target.start - 1) == Some(&b' ')
            && !head
                .get(..target.start)
                .unwrap_or_default()
                .contains(&b'\n')
            && head.get(target.end..target.end + 6) == Some(&b" HTTP/"[..]);
        let headers_start = match head.get(version_end..) {
            Some([b'\r', b'\n', ..]) => Some(version_end + 2),
            Some([b'\n', ..]) => Some(version_end + 1),
            Some([]) => Some(version_end),
            _ => None,
        };
        let (true, Some(headers_start)) = (framed, headers_start) else {
            return Request::from_head(method, head, body, id, peer);
        };
        let head = match String::from_utf8(head) {
            Ok(head) => head,
            Err(error) => {
                return Request::from_head(method, error.into_bytes(), body, id, peer);
            }
        };
        Request::with_layout(
            method,
            head,
            (target.start, target.end),
            headers_start,
            body,
            id,
            peer,
        )
    }

    /// The request over `head` (its target at `target`, its header lines from
    /// `headers_start`, both checked): the path decoded, the query found.
    fn with_layout(
        method: Method,
        head: String,
        (target_start, target_end): (usize, usize),
        headers_start: usize,
        body: Vec<u8>,
        id: u64,
        peer: SocketAddrV4,
    ) -> Result<Request, Error> {
        let target = head.get(target_start..target_end).unwrap_or_default();
        if !target.starts_with('/') {
            return Err(Error::bad_request("the request target is not a path"));
        }
        // One pass over the target: where the path ends (`?`), and whether it has escapes.
        let mut path_length = target.len();
        let mut escaped = false;
        for (index, byte) in target.bytes().enumerate() {
            match byte {
                b'?' => {
                    path_length = index;
                    break;
                }
                b'%' => escaped = true,
                _ => {}
            }
        }
        let path_end = target_start + path_length;
        let query = (path_length < target.len()).then_some((path_end + 1, target_end));
        // The head is text already: without a `%` the path is its own range, checked no more.
        let path = if !escaped {
            PathText::InHead(target_start, path_end)
        } else {
            let raw_path = head.get(target_start..path_end).unwrap_or_default();
            match percent::decode(raw_path.as_bytes(), false) {
                Cow::Borrowed(_) => PathText::InHead(target_start, path_end),
                Cow::Owned(decoded) => PathText::Decoded(decoded),
            }
        };
        Ok(Request {
            method,
            head,
            path,
            query,
            headers_start,
            body,
            route: "",
            id,
            peer,
            served_as_head: false,
        })
    }
}

/// Every header line is `name: value` with a token name and a value without control
/// characters (tabs aside); empty lines are allowed (the end of the head).
fn check_headers(lines: &str) -> Result<(), Error> {
    for line in lines.split_terminator('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(Error::bad_request("a header line has no colon"));
        };
        if !is_valid_name(name) {
            return Err(Error::bad_request("invalid header name"));
        }
        if !is_valid_value(value.trim_matches(|c| c == ' ' || c == '\t')) {
            return Err(Error::bad_request("invalid header value"));
        }
    }
    Ok(())
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
    let value = percent::lossy(value);
    if !is_valid_value(&value) {
        return Err(Error::bad_request("invalid header value"));
    }
    Ok(value)
}
