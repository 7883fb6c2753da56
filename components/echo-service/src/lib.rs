//! The TCP echo service (RFC 862): every byte received on the port is sent back, until the
//! client closes. A [`NetworkService`](sauce_tcp_ip::NetworkService) that is not HTTP: what
//! shows that the network stage needs no HTTP (`examples/echo`).
//!
//! # Map
//! - [`board`]: the component's contract with the generated board.
//! - [`service`]: [`EchoService`], its [`Configuration`] and [`Statistics`].
//!
//! # Rules
//! 1. Every socket and its buffers are allocated when the service starts, sized from the heap
//!    so that all of them fit; nothing is allocated while serving.
//! 2. A SYN that finds no listening socket is held, not reset: the client retransmits it and
//!    gets the next socket that frees up, as with a full Linux listen backlog.
//! 3. Bytes are echoed as fast as the client takes them: when the send buffer is full the
//!    service stops reading, so the client's window closes; nothing is dropped.
//! 4. A connection ends when the client closes and every byte is echoed, or after
//!    [`Configuration::idle_timeout_ms`] without a byte moved (reset): no client can hold a
//!    socket forever.
//! 5. Nothing here reads a clock: time comes in as `now_ms`.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod board;
pub mod service;

pub use service::{Configuration, EchoService, Statistics};

#[cfg(test)]
mod tests;
