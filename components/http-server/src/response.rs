//! Responses as static data: what a route answers, static-file tables, and error responses.

/// A response fixed when the image is built: everything but the framing headers
/// (`Content-Length`, `Connection`), which the connection adds.
///
/// Sent as `status line`, `Server: SauceOS`, `Content-Type` (unless empty), `Content-Length`,
/// then [`headers`](Self::headers) in order, `Connection` when needed, and the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Response {
    /// Status code, 100–999; a code outside that range is sent as 500.
    pub status: u16,
    /// `Content-Type` value; empty for none.
    pub content_type: &'static str,
    /// The body (not sent for `HEAD`, 1xx, 204 and 304).
    pub body: &'static [u8],
    /// Extra header fields, such as `Location` or `ETag`, sent as `name: value`.
    pub headers: &'static [(&'static str, &'static str)],
}

impl Response {
    /// A response without extra headers.
    pub const fn new(status: u16, content_type: &'static str, body: &'static [u8]) -> Response {
        Response {
            status,
            content_type,
            body,
            headers: &[],
        }
    }

    /// This response with `headers` as its extra header fields.
    pub const fn with_headers(self, headers: &'static [(&'static str, &'static str)]) -> Response {
        Response { headers, ..self }
    }

    /// 400, sent for a malformed request line, header, `Content-Length` or path.
    pub const BAD_REQUEST: Response = error(400, b"Bad Request\n");
    /// 404, the default answer for a path no route serves (see
    /// [`Router::with_not_found`](crate::Router::with_not_found)).
    pub const NOT_FOUND: Response = error(404, b"Not Found\n");
    /// 405, sent with an `Allow` header listing the route's methods.
    pub const METHOD_NOT_ALLOWED: Response = error(405, b"Method Not Allowed\n");
    /// 408, sent when a request is not complete within the configured timeout.
    pub const REQUEST_TIMEOUT: Response = error(408, b"Request Timeout\n");
    /// 204 with an `Allow` header: the answer to `OPTIONS` on a static route and `OPTIONS *`.
    pub const OPTIONS: Response = Response::new(204, "", b"");
    /// 413, sent when `Content-Length` exceeds the configured body limit.
    pub const CONTENT_TOO_LARGE: Response = error(413, b"Content Too Large\n");
    /// 431, sent when the head exceeds the configured limit or has too many fields.
    pub const HEADER_FIELDS_TOO_LARGE: Response = error(431, b"Request Header Fields Too Large\n");
    /// 501, sent for an unrecognised method or a `Transfer-Encoding`.
    pub const NOT_IMPLEMENTED: Response = error(501, b"Not Implemented\n");
    /// 503, sent (pre-formatted) to connections beyond the configured maximum.
    pub const SERVICE_UNAVAILABLE: Response =
        error(503, b"Service Unavailable\n").with_headers(&[("Retry-After", "1")]);
    /// 416, sent (with `Content-Range: bytes */length`) for a `Range` no byte of the file
    /// satisfies.
    pub const RANGE_NOT_SATISFIABLE: Response = error(416, b"Range Not Satisfiable\n");
    /// 301 with an empty body: a folder's path without its trailing slash; the connection adds
    /// `Location` (the path with the slash, and the query).
    pub const MOVED_TO_FOLDER: Response = Response::new(301, "", b"");
    /// 505, sent for HTTP/2 and later in an HTTP/1 request line.
    pub const VERSION_NOT_SUPPORTED: Response = error(505, b"HTTP Version Not Supported\n");

    /// The built-in response for an error status this crate sends (400 for any other).
    pub const fn for_error(status: u16) -> &'static Response {
        match status {
            404 => &Response::NOT_FOUND,
            405 => &Response::METHOD_NOT_ALLOWED,
            408 => &Response::REQUEST_TIMEOUT,
            413 => &Response::CONTENT_TOO_LARGE,
            431 => &Response::HEADER_FIELDS_TOO_LARGE,
            501 => &Response::NOT_IMPLEMENTED,
            503 => &Response::SERVICE_UNAVAILABLE,
            505 => &Response::VERSION_NOT_SUPPORTED,
            _ => &Response::BAD_REQUEST,
        }
    }
}

const fn error(status: u16, body: &'static [u8]) -> Response {
    Response::new(status, "text/plain; charset=utf-8", body)
}

/// One file of a folder embedded in the image, served by a prefix route (`/static/*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaticFile {
    /// Path below the route's prefix, decoded, without a leading slash: `css/site.css`.
    /// A request for the folder itself or a path ending in `/` looks up `index.html` there.
    pub path: &'static str,
    /// `Content-Type` value; empty for none.
    pub content_type: &'static str,
    /// The file's bytes.
    pub body: &'static [u8],
    /// `ETag` value, quotes included (`"3f2a"`); a matching `If-None-Match` gets 304.
    pub etag: Option<&'static str>,
    /// `Last-Modified` value, an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`): the file's
    /// modification time when the image was built. `If-Modified-Since` at or after it gets
    /// 304 (when the request has no `If-None-Match`).
    pub last_modified: Option<&'static str>,
    /// The gzip-compressed copy made when the image was built, for clients that accept it;
    /// `None` when the file is not worth compressing.
    pub gzip: Option<Compressed>,
}

/// A content-coded copy of a [`StaticFile`]: its bytes and its own `ETag` (a representation
/// has its own validator, RFC 9110 §8.8.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Compressed {
    /// The compressed bytes.
    pub body: &'static [u8],
    /// `ETag` value, quotes included, different from the file's.
    pub etag: &'static str,
}

impl StaticFile {
    /// The bytes and `ETag` of the representation sent: the gzip copy when `gzip` (and the
    /// file has one), else the file itself.
    pub const fn representation(&self, gzip: bool) -> (&'static [u8], Option<&'static str>) {
        match (gzip, self.gzip) {
            (true, Some(compressed)) => (compressed.body, Some(compressed.etag)),
            _ => (self.body, self.etag),
        }
    }
}

/// The statuses this server names: each code's reason phrase; for the codes handlers answer
/// with most, also the whole status line with the `Server` line, made at compile time (one
/// copy per response instead of five; the others are written piece by piece, which keeps
/// every image's read-only data small).
macro_rules! statuses {
    (
        common: [$($code:literal $reason:literal,)*]
        other: [$($other_code:literal $other_reason:literal,)*]
    ) => {
        /// The reason phrase sent after `status` (RFC 9110 §15); empty for codes it does not
        /// name.
        pub const fn reason_phrase(status: u16) -> &'static str {
            match status {
                $($code => $reason,)*
                $($other_code => $other_reason,)*
                _ => "",
            }
        }

        /// `HTTP/1.1 <status> <reason>\r\nServer: SauceOS\r\n` for a common status; `None`
        /// for the others.
        pub(crate) const fn status_and_server_lines(status: u16) -> Option<&'static [u8]> {
            match status {
                $($code => Some(
                    concat!("HTTP/1.1 ", stringify!($code), " ", $reason, "\r\nServer: SauceOS\r\n")
                        .as_bytes(),
                ),)*
                _ => None,
            }
        }
    };
}

statuses! {
    common: [
        200 "OK",
        201 "Created",
        204 "No Content",
        400 "Bad Request",
        404 "Not Found",
        409 "Conflict",
        422 "Unprocessable Content",
        500 "Internal Server Error",
        503 "Service Unavailable",
    ]
    other: [
        100 "Continue",
        202 "Accepted",
        206 "Partial Content",
        301 "Moved Permanently",
        302 "Found",
        303 "See Other",
        304 "Not Modified",
        307 "Temporary Redirect",
        308 "Permanent Redirect",
        401 "Unauthorized",
        403 "Forbidden",
        405 "Method Not Allowed",
        406 "Not Acceptable",
        408 "Request Timeout",
        410 "Gone",
        411 "Length Required",
        412 "Precondition Failed",
        413 "Content Too Large",
        414 "URI Too Long",
        415 "Unsupported Media Type",
        416 "Range Not Satisfiable",
        417 "Expectation Failed",
        418 "I'm a teapot",
        429 "Too Many Requests",
        431 "Request Header Fields Too Large",
        501 "Not Implemented",
        502 "Bad Gateway",
        504 "Gateway Timeout",
        505 "HTTP Version Not Supported",
    ]
}

/// Whether a response with `status` carries no body and no `Content-Length` (RFC 9110 §8.6:
/// 1xx and 204 must not; for 304 we send none rather than the 200's length).
pub const fn is_bodiless(status: u16) -> bool {
    matches!(status, 100..=199 | 204 | 304)
}
