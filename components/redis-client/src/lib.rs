//! A Redis client for SauceOS images: RESP2 and RESP3 without I/O, an async client over any
//! byte stream with the common commands and pipelining, and a pool with timeouts, backoff
//! and a health rule.
//!
//! `no_std` + `alloc`, single-threaded, written against [`sauce_connect`]: the image's
//! outbound TCP or, in host tests, std sockets carry the bytes.
//!
//! # Map
//! - [`resp`]: [`Value`], the two-pass reply decoder ([`resp::scan`], [`resp::decode`]) and
//!   command encoding; pure and fuzzable.
//! - [`client`]: [`Client`], one session: handshake (`HELLO 3`/`AUTH`, `SELECT`),
//!   [`Client::command`], [`Client::pipeline`].
//! - [`commands`]: typed methods for strings, keys, hashes, lists and sets.
//! - [`pipeline`]: [`Pipeline`], commands encoded ahead for one round trip.
//! - [`pool`](mod@pool): [`Pool`], connections made through a [`sauce_connect::Connector`].
//! - [`configuration`]: [`Configuration`] from a `redis://` URL.
//! - [`error`]: [`Error`], its [`ErrorKind`] for handlers, [`ServerError`].
//! - URLs are split and percent-decoded by `sauce_connect::url` (shared with the other clients).
//! - [`board`]: the component's contract with the generated board: each `[[database]] kind =
//!   "redis"` becomes a pool at boot, reached by name with [`pool()`] (`pool("cache")`).
//!
//! # Rules
//! 1. No server reply makes this crate panic or allocate without bound: a reply is scanned
//!    whole before anything is built, so declared lengths and counts are never trusted for an
//!    allocation; replies over [`resp::Limits`] (size, nesting) are refused. Property tests
//!    and the fuzz target in `fuzz/` hold it to that.
//! 2. Arguments are always length-prefixed bulk strings: no key or value can change the
//!    shape of a command.
//! 3. A client that failed or was cancelled mid-operation is broken for good
//!    ([`Client::is_broken`]); an error reply leaves it usable. A pool never hands out a
//!    broken client and probes idle ones before reuse.
//! 4. Push messages (RESP3 `>`) are never mistaken for replies: they are skipped.
//! 5. Nothing reads a clock or a random source of its own: time comes from a
//!    [`sauce_connect::Clock`], backoff jitter from a [`rand_core::RngCore`] the caller
//!    supplies.
//! 6. A configuration never prints its password (`Display` and `Debug` mask it).
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod board;
pub mod client;
pub mod commands;
pub mod configuration;
pub mod error;
pub mod pipeline;
pub mod pool;
pub mod resp;

pub use board::pool;
pub use client::Client;
pub use commands::{Expiry, SetCondition, SetOptions, Ttl};
pub use configuration::{Configuration, ConfigurationError, Protocol};
pub use error::{Error, ErrorKind, ServerError};
pub use pipeline::Pipeline;
pub use pool::{Pool, PoolOptions, PoolStatus, PooledClient};
pub use resp::{Limits, Value};
