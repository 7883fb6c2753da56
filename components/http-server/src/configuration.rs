//! Limits and timeouts of a server, fixed when the image is built.

/// Limits and timeouts shared by every connection of a [`Server`](crate::Server).
///
/// The first five fields mirror the `[config.*]` keys of `component.toml`; the generated
/// board crate fills them from the intent. [`Configuration::DEFAULT`] holds the defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Configuration {
    /// Concurrent connections the glue should serve; one more gets
    /// [`Server::reject_overloaded`](crate::Server::reject_overloaded).
    pub max_connections: usize,
    /// Largest request head (request line, headers and the empty line) in bytes; a larger
    /// one is answered with 431. This is also the size of the only input buffer.
    pub header_limit: usize,
    /// Largest request body in bytes; a larger `Content-Length` is answered with 413.
    pub body_limit: u64,
    /// A request whose first byte arrived this long ago and that is still incomplete is
    /// answered with 408; a connection idle this long is closed without a response.
    pub request_timeout_ms: u64,
    /// Most header fields in one request; more are answered with 431.
    pub max_headers: usize,
    /// Response bytes buffered for the glue before the connection stops reading pipelined
    /// requests ([`Connection::receive`](crate::Connection::receive) then takes fewer bytes).
    pub output_limit: usize,
}

impl Configuration {
    /// The defaults of `component.toml`: 8 KiB heads, 64 KiB bodies, 10 s, 64 connections.
    pub const DEFAULT: Configuration = Configuration {
        max_connections: 64,
        header_limit: 8 * 1024,
        body_limit: 64 * 1024,
        request_timeout_ms: 10_000,
        max_headers: 64,
        output_limit: 16 * 1024,
    };
}

impl Default for Configuration {
    fn default() -> Self {
        Self::DEFAULT
    }
}
