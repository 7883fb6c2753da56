//! Serves the HTTP server's routes over TCP: a pool of smoltcp sockets, one connection each.
//!
//! `sauce-http-server` is sans-IO (bytes and times in, bytes out); `sauce-tcp-ip` is a
//! sans-IO TCP/IP stack. This crate is the glue: it keeps a pool of TCP sockets listening on
//! one port, gives each established one a [`Connection`](sauce_http_server::Connection), moves
//! bytes between them, and recycles each socket when its connection ends.
//!
//! # Map
//! - [`app`]: [`AppDispatch`](app::AppDispatch), how requests reach the image's app.
//! - [`board`]: the component's contract with the generated board: a `network-service` from
//!   the server, sized from the heap.
//! - [`report`]: the once-a-second statistics line (counters and heap).
//! - [`service`]: [`HttpService`] (`new`, `with_limits`, `step`; a
//!   [`NetworkService`](sauce_tcp_ip::NetworkService)),
//!   [`Statistics`] and the socket buffer sizes.
//! - `slot` (private): one socket of the pool: listening, serving, closing, listening again.
//!
//! # Rules
//! 1. One socket carries one connection; the pool holds at most `listeners` sockets, so at
//!    most that many connections are open at once. A connection beyond the server's
//!    `max_connections` is answered 503 and closed; a SYN when every socket is busy and the
//!    pool is whole is refused by the stack (RST). Give `max_connections + 1` listeners so the
//!    503 can be sent.
//! 2. The pool grows with the connections: [`SPARE_LISTENERS`](service::SPARE_LISTENERS)
//!    sockets listen ahead of them (twice what the last round took, during a burst), and the
//!    stack receives at most one frame per listening socket until the pool is whole, so a SYN
//!    never finds it short. Sockets and their buffers are allocated as the pool grows and never
//!    freed; a closed connection's socket listens again. Keep-alive requests allocate nothing
//!    here.
//! 3. Nothing starves the pool: idle and slow connections end by the HTTP server's timeouts
//!    (silent close, or 408). A socket stuck in SYN-RECEIVED for longer than the request
//!    timeout listens again (the half-open connection is dropped); one still closing that long
//!    after its FIN (the peer neither acknowledges nor closes) is reset. A socket whose peer
//!    closed too (TIME-WAIT) listens again at once.
//! 4. Responses are flushed before the FIN: a socket is closed only once its connection
//!    wants to close, that is after every response byte is in the socket's send buffer.
//! 5. Nothing here reads a clock or waits: time comes in as `now_ms`; the caller sleeps.
//!
//! # Driving loop
//! The caller (the kernel's async task, or a host test) repeats:
//! ```text
//! loop {
//!     let now = clock();
//!     stack.receive(now, budget);     // at most one frame per listening socket
//!     service.serve(&mut stack, now); // accept, move bytes, close, re-listen, grow the pool
//!     stack.poll_limited(now, budget); // send what was just queued, run TCP timers
//!     wait for (NIC interrupt signal OR deadline);
//! }
//! ```
//! [`HttpService::step`] is that loop's body (it repeats serve-and-poll while they make
//! progress) and returns the deadline. In the kernel, with `sauce-executor`:
//! ```text
//! loop {
//!     let deadline = service.step(&mut stack, now_ms());
//!     // Wake on whichever comes first; `None` means no timer.
//!     select(NIC_INTERRUPT.wait(), sleep_until(deadline)).await;
//! }
//! ```
//!
//! # Example
//! ```
//! use sauce_http_server::{Configuration, Methods, Response, Route, Router, Server};
//! use sauce_http_service::HttpService;
//! use sauce_tcp_ip::smoltcp::wire::{Ipv4Address, Ipv4Cidr};
//! use sauce_tcp_ip::{Addressing, MemoryLink, NetworkConfiguration, NetworkStack};
//!
//! static ROUTES: [Route; 1] =
//!     [Route::response("/", Methods::GET, Response::new(200, "text/plain", b"hi\n"))];
//! let server = Server::new(Router::new(&ROUTES), Configuration::DEFAULT);
//! let configuration = NetworkConfiguration {
//!     address: Addressing::Static(Ipv4Cidr::new(Ipv4Address::new(10, 0, 2, 15), 24)),
//!     gateway: Some(Ipv4Address::new(10, 0, 2, 2)),
//!     mac: [0x52, 0x54, 0, 0x12, 0x34, 0x56],
//!     socket_capacity: 66,
//! };
//! let mut stack = NetworkStack::new(MemoryLink::new(), configuration, 0, 1).unwrap();
//! let mut service = HttpService::new(server, 80, 65);
//! let deadline = service.step(&mut stack, 0); // in a loop, waking on interrupts too
//! assert_eq!(deadline, None); // nothing to do until a packet arrives
//! ```
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod app;
pub mod board;
pub mod limits;
mod peers;
pub mod report;
pub mod service;
mod slot;
#[cfg(test)]
mod test_network;
#[cfg(test)]
mod tests;

pub use limits::Limits;
pub use service::{HttpService, Statistics, TimeoutCounts};
