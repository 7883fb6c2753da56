//! Requests the image's app answers with its own code: how the server hands a complete
//! request to the app and takes the response back, sans-IO (the `app-runtime` component runs
//! the handlers on the executor; the glue moves requests and responses between them).
//!
//! A route of the app wins over a prefix route of the static table, loses to an exact one
//! (the more specific path wins). The server reads the app's request body whole, up to the
//! route's limit (413 beyond, before anything is buffered), then stops reading from that
//! connection until the app's response is delivered ([`Connection::respond`]): responses
//! leave in request order, whatever order handlers finish in.
//!
//! [`Connection::respond`]: crate::Connection::respond
use alloc::vec::Vec;

use crate::method::Method;

/// The app's routes as the server sees them.
pub trait AppRoutes: Sync {
    /// Whether the app answers `path` (the target's path as received, escapes not decoded),
    /// and if so how large a body it accepts for `method` there.
    fn route(&self, method: Method, path: &[u8]) -> Option<AppRoute>;
}

impl core::fmt::Debug for dyn AppRoutes {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.write_str("AppRoutes")
    }
}

/// What the app says about one of its paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppRoute {
    /// The largest body the route accepts (`None`: the server's `body_limit`).
    pub body_limit: Option<u64>,
    /// Which of the app's routes matched, handed back in [`AppRequest::route`] so the app
    /// need not match the path again.
    pub route: usize,
}

/// A complete request for the app: its head as received (request line and header lines,
/// without the blank line) and its whole body.
#[derive(Debug, PartialEq, Eq)]
pub struct AppRequest {
    /// The request line and the header lines.
    pub head: Vec<u8>,
    /// The body.
    pub body: Vec<u8>,
    /// [`AppRoute::route`] of the route that matched.
    pub route: usize,
    /// The request line's method.
    pub method: Method,
    /// Where the request line's target lies in `head` (between its two spaces).
    pub target: core::ops::Range<usize>,
}

/// The app's answer, ready to frame: the server adds the status line, `Server`,
/// `Content-Length`, `Connection` and the blank line.
#[derive(Debug, PartialEq, Eq)]
pub struct AppResponse {
    /// The status code.
    pub status: u16,
    /// A `Content-Type: …\r\n` line kept in the image, for the common types (sent before
    /// `fields` without building it); empty when the type is in `fields` or there is none.
    pub content_type_line: &'static [u8],
    /// Header lines, each `Name: value\r\n`, already checked by the app API (no control
    /// characters, none of the headers the server writes).
    pub fields: Vec<u8>,
    /// `Content-Length`: the body's length, or for `HEAD` the length a `GET` would have sent;
    /// `None` for 1xx, 204 and 304.
    pub content_length: Option<u64>,
    /// The bytes to send after the head (empty for `HEAD`).
    pub body: AppBody,
}

/// A response body.
#[derive(Debug, PartialEq, Eq)]
pub enum AppBody {
    /// Bytes of the image, sent in place.
    Static(&'static [u8]),
    /// Bytes the handler made.
    Owned(Vec<u8>),
}

impl AppBody {
    /// The body's bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            AppBody::Static(bytes) => bytes,
            AppBody::Owned(bytes) => bytes,
        }
    }
}

/// The request line's method and the target's path of a head (`None` when the line is not
/// `METHOD SP target`).
pub fn request_line(head: &[u8]) -> Option<(&[u8], &[u8])> {
    let line = head.split(|byte| *byte == b'\n').next()?;
    let mut words = line.split(|byte| *byte == b' ');
    let method = words.next()?;
    let target = words.next()?;
    Some((method, crate::path::target_path(target)))
}
