//! Limits and timeouts of a server, fixed when the image is built.

/// Limits and timeouts shared by every connection of a [`Server`](crate::Server).
///
/// The fields mirror the `[config.*]` keys of `component.toml`; the generated board crate
/// fills them from the intent. [`Configuration::DEFAULT`] holds the defaults. Each timeout and
/// limit is counted by the glue when it fires (see `Events::timeout`).
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
    /// Header-read timeout: a request head whose first byte arrived this long ago and that is
    /// still incomplete is answered with 408, however slowly its bytes keep coming (slowloris).
    pub request_timeout_ms: u64,
    /// Body-read timeout: a body not complete this long after its head is answered with 408,
    /// unless bytes keep arriving at [`minimum_body_rate`](Self::minimum_body_rate).
    pub body_timeout_ms: u64,
    /// Bytes per second a slow upload must keep up: every this many body bytes received extend
    /// the body deadline by one second (Apache's `mod_reqtimeout` `MinRate`).
    pub minimum_body_rate: u64,
    /// Keep-alive timeout: a connection with no request in progress and nothing to send closes
    /// silently after this long.
    pub idle_timeout_ms: u64,
    /// Send timeout: a connection whose peer accepts no response byte for this long (a zero
    /// window, a client that never reads) is closed and its output dropped.
    pub send_timeout_ms: u64,
    /// Most header fields in one request; more are answered with 431.
    pub max_headers: usize,
    /// Response bytes buffered for the glue before the connection stops reading pipelined
    /// requests ([`Connection::receive`](crate::Connection::receive) then takes fewer bytes).
    pub output_limit: usize,
    /// Responses queued (answered but not yet fully sent) before the connection stops reading
    /// pipelined requests.
    pub max_pipelined: usize,
}

impl Configuration {
    /// The defaults of `component.toml`: 8 KiB heads, 64 KiB bodies, 10 s to send a head, 10 s
    /// for a body (longer at 1 KiB/s or more), 10 s idle, 10 s without sending, 128 connections,
    /// 16 pipelined responses in at most 4 KiB of buffered output.
    pub const DEFAULT: Configuration = Configuration {
        max_connections: 128,
        header_limit: 8 * 1024,
        body_limit: 64 * 1024,
        request_timeout_ms: 10_000,
        body_timeout_ms: 10_000,
        minimum_body_rate: 1024,
        idle_timeout_ms: 10_000,
        send_timeout_ms: 10_000,
        max_headers: 64,
        output_limit: 4 * 1024,
        max_pipelined: 16,
    };

    /// The most heap bytes one connection's buffers can hold (its head buffer, its output
    /// buffer at the limit plus one response, the queue of output segments and the cached
    /// response head): what the glue reserves before it accepts a connection.
    pub const fn connection_bytes(&self) -> usize {
        self.header_limit
            + self.output_limit
            + crate::output::LARGEST_QUEUED_RESPONSE
            + crate::output::SEGMENT_QUEUE_BYTES
            + crate::output::HEAD_CACHE_BYTES
    }
}

impl Default for Configuration {
    fn default() -> Self {
        Self::DEFAULT
    }
}
