//! Sans-IO HTTP/1.1 server core: static routes compiled into the image, keep-alive, pipelining.
//!
//! The crate never touches a socket or a clock. The TCP glue (smoltcp sockets in the image)
//! feeds each [`Connection`] the bytes it received and the current time, moves the bytes it
//! wants to send into the socket, and closes the socket when asked. Host tests drive the same
//! code with byte strings and fake times.
//!
//! # Map
//! - [`board`]: the component's contract with the generated board.
//! - [`app`]: requests the image's app answers ([`AppRoutes`], [`AppRequest`], [`AppResponse`]).
//! - [`server`]: [`Server`] (router + limits), new connections, the canned 503 for overload.
//! - [`connection`]: [`Connection`], the per-connection state machine, and its [`Events`].
//! - [`configuration`]: [`Configuration`], the limits of `component.toml`.
//! - [`route`]: [`Route`], [`Content`] and [`Router`]: exact and `/*` prefix routes.
//! - [`response`]: [`Response`] and [`StaticFile`], static data; built-in error responses.
//! - [`files`]: [`FileStore`], the hook folder routes call to find a file, and the
//!   [`FileAnswer`] it gives (200, 206, 304, 416, or the folder's 301); the store itself
//!   (sorted table, `index.html`, preconditions, `Range`, gzip copies) is the `static-files`
//!   component.
//! - [`method`]: [`Method`] and the [`Methods`] a route allows.
//! - [`head`]: the request-head parser ([`parse_head`]) and why it is not `httparse`.
//! - [`path`]: request-target paths, percent-decoding while comparing, dot segments.
//! - `exchange`, `emit`, `output`, `syntax` (private): deciding an answer, writing it,
//!   queueing its bytes, HTTP byte classes.
//!
//! # Rules
//! 1. No byte sequence, split or timing makes this crate panic, allocate without bound, or
//!    loop without taking input: every parser indexes untrusted bytes through checked
//!    accessors (`get`, `split_at` after a bound check, iterators). Property tests and the
//!    fuzz target in `fuzz/` hold it to that.
//! 2. Memory per connection is bounded by the configuration: one head buffer of at most
//!    [`Configuration::header_limit`] bytes (bodies are counted and discarded, never stored)
//!    and an output buffer that stops growing at [`Configuration::output_limit`] plus one
//!    response. Buffers are reused: a steady stream of requests allocates nothing.
//! 3. Responses leave in request order; how the input is split across
//!    [`Connection::receive`] calls never changes the bytes sent.
//! 4. After 400, 408, 413, 431, 505 and 501 for `Transfer-Encoding` the connection closes (the
//!    request's framing is unknown or untrusted); the next connection is served normally.
//!    After 404, 405, 501 for an unknown method, and 400 for a bad path, it stays open.
//! 5. Every response has `Server: SauceOS` and `Content-Length` (except 1xx, 204 and 304,
//!    which have no body), `Connection: close` when the server closes after it, the same
//!    headers for `HEAD` as for `GET`, and `Date` once the board gives the server the wall
//!    clock (`Server::with_wall_clock`).
//! 6. Nothing here reads a clock: time comes in as milliseconds in `receive` and `poll`.
//! 7. A static route answers `OPTIONS` with 204 and `Allow` (its methods and `OPTIONS`; a
//!    405 lists the same); `OPTIONS *` lists the static routes' methods. A folder's path
//!    without its trailing slash gets 301 with `Location` (the raw path, `/`, the query).
//!    File responses carry `Accept-Ranges: bytes`, `Last-Modified` when known, `Vary:
//!    Accept-Encoding` when the file has a gzip copy, `Content-Encoding` and `Content-Range`
//!    when they apply; `Range` is honoured for `GET` only (RFC 9110 §14.2).
//!
//! # Driving a connection
//! ```
//! use sauce_http_server::{Configuration, Methods, Response, Route, Router, Server};
//!
//! static ROUTES: [Route; 1] =
//!     [Route::response("/", Methods::GET, Response::new(200, "text/plain", b"hi\n"))];
//! let server = Server::new(Router::new(&ROUTES), Configuration::DEFAULT);
//! let mut connection = server.connection(0);
//! let mut received: &[u8] = b"GET / HTTP/1.1\r\n\r\n";
//! let mut sent = Vec::new();
//! loop {
//!     let taken = connection.receive(received, 1); // from the socket's receive buffer
//!     received = &received[taken..];
//!     let bytes = connection.transmit(); // into the socket's send buffer
//!     sent.extend_from_slice(bytes);
//!     let count = bytes.len();
//!     connection.consumed(count);
//!     if (taken == 0 && count == 0) || connection.wants_close() {
//!         break;
//!     }
//! }
//! assert!(sent.ends_with(b"Content-Length: 3\r\n\r\nhi\n"));
//! let events = connection.poll(2); // on every wake-up; sleep until `events.deadline_ms`
//! assert!(!events.wants_close);
//! ```
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod app;
pub mod board;
pub mod configuration;
pub mod connection;
mod date;
mod emit;
mod exchange;
pub mod files;
pub mod head;
pub mod method;
mod output;
pub mod path;
pub mod response;
pub mod route;
pub mod server;
mod syntax;

pub use app::{AppBody, AppRequest, AppResponse, AppRoute, AppRoutes};
pub use configuration::Configuration;
pub use connection::{Connection, Events, Timeout};
pub use files::{FileAnswer, FileRequest, FileStore};
pub use head::{parse_head, HeadError, RequestHead, Version};
pub use method::{Method, Methods};
pub use response::{Response, StaticFile};
pub use route::{Content, Route, Router};
pub use server::Server;
