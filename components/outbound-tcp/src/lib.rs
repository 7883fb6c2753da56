//! Outbound TCP connections and DNS for an image's tasks: database clients dial out here.
//!
//! The stack's sockets belong to the network task, so a task never touches them: it asks
//! through a [`TcpConnector`] (a cheap cloneable handle), and the [`OutboundService`] — a
//! [`NetworkService`](sauce_tcp_ip::NetworkService) the network loop drives — opens the
//! socket, resolves names with `smoltcp`'s DNS socket, and moves bytes between each socket
//! and the two buffers it shares with the task's [`TcpStream`]. Each side wakes the other:
//! the service wakes the task's waker when something it waits for changes, the handle raises
//! the loop's wake signal when it queued work.
//!
//! ```text
//! task ── TcpConnector::connect("db.internal", 5432) ──▶ Shared slot ◀── OutboundService::serve
//!      ◀─ TcpStream: read/write/shutdown (buffers) ──▶            ──▶ smoltcp TCP + DNS sockets
//! ```
//!
//! # The handle's API (stable: database components build on it)
//! - [`TcpConnector`] (`Clone + Send + Sync`): [`Connector::connect`](sauce_connect::Connector)
//!   `(host, port)` with `host` an IPv4 address or a DNS name;
//!   [`connect_to`](TcpConnector::connect_to)`(address, port)`;
//!   [`resolve`](TcpConnector::resolve)`(name)`; [`limits`](TcpConnector::limits).
//! - [`TcpStream`]: `sauce_connect::Read + Write`; [`shutdown`](TcpStream::shutdown) (FIN
//!   once every written byte is handed to TCP), [`abort`](TcpStream::abort) (reset),
//!   [`remote`](TcpStream::remote). Dropping it closes gracefully (rule 5).
//! - [`ExecutorClock`]: `sauce_connect::Clock` over the executor's timers.
//! - [`ConnectError`], [`StreamError`]: the errors, each variant's doc its message.
//!
//! # Map
//! - [`board`]: the contract with the generated board: [`board::Configuration`], `init`.
//! - [`connector`]: [`TcpConnector`], opening connections and resolving names.
//! - [`dns_servers`]: [`DnsSettings`] (`lease or 10.0.2.3`) and which servers lookups ask
//!   now: the configured ones, or a DHCP lease's.
//! - [`stream`]: [`TcpStream`], a connection as `Read + Write`.
//! - [`service`]: [`OutboundService`], the sockets' side, driven by the network loop.
//! - [`clock`]: [`ExecutorClock`], the clients' clock.
//! - [`error`]: [`ConnectError`], [`StreamError`].
//! - `shared` (private): the slots and lookups the handles and the service share.
//! - `ports` (private): ephemeral ports, rotated over 49152–65535.
//!
//! # Rules
//! 1. Tasks never touch a socket; the service never blocks a task: every exchange goes
//!    through the shared state, under a lock held for a few copies and never across an await.
//! 2. Bounded: at most [`Limits::max_connections`] connections (a slot counts until its
//!    socket is closed) and as many lookups; one more fails at once with
//!    [`ConnectError::TooManyConnections`]. Buffers are reserved fallibly, on a slot's first
//!    use, and kept for the next connection.
//! 3. Timeouts are the service's, on the network loop's clock: connecting
//!    ([`Limits::connect_timeout_ms`]), resolving ([`Limits::resolve_timeout_ms`]), closing.
//!    Reads and writes have none of their own: clients wrap them in
//!    [`sauce_connect::with_timeout`].
//! 4. Cancel-safe: a read or write that is dropped before it completes moved no byte; a
//!    connect or resolve that is dropped gives its slot back (the socket is reset).
//! 5. A dropped stream closes gracefully (its written bytes are sent, then FIN) within
//!    [`Limits::close_timeout_ms`], then is reset; [`TcpStream::abort`] resets at once. A
//!    socket that reaches TIME-WAIT is released at once (ports rotate instead).
//! 6. Nothing the network sends can make this crate panic: socket and DNS results are
//!    matched, never unwrapped.
//! 7. DNS servers named by the configuration (the intent's `[network] dns`, or `dns=`) are
//!    the ones asked, always; the default (`lease or 10.0.2.3`) gives way to a DHCP lease's
//!    servers while the lease lasts and names any, and each change is logged with its origin
//!    (`outbound: DNS 10.0.2.3 (from the DHCP lease)`).
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod board;
pub mod clock;
pub mod connector;
pub mod dns_servers;
pub mod error;
mod ports;
pub mod service;
mod shared;
pub mod stream;

pub use clock::ExecutorClock;
pub use connector::TcpConnector;
pub use dns_servers::{DnsOrigin, DnsSettings};
pub use error::{ConnectError, StreamError};
pub use service::OutboundService;
pub use shared::Limits;
pub use stream::TcpStream;

#[cfg(test)]
mod tests;
