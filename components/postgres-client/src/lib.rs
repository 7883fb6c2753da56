//! A Postgres client for SauceOS images: protocol 3.0 without I/O, an async client over any
//! byte stream, and a pool with timeouts, backoff and a health rule.
//!
//! `no_std` + `alloc`, single-threaded, written against [`sauce_connect`]: the image's
//! outbound TCP or, in host tests, std sockets carry the bytes.
//!
//! # Map
//! - [`protocol`]: framing, backend message decoding and frontend encoding over byte buffers;
//!   pure and fuzzable.
//! - [`authentication`]: the md5 answer and the SCRAM-SHA-256 exchange.
//! - [`types`]: type OIDs, parameters ([`ToParameter`]), column decoding ([`FromSql`]), and
//!   [`Timestamp`], [`Uuid`], [`Json`], [`Numeric`].
//! - [`statement`]: [`Statement`], SQL text kept apart from values.
//! - [`row`]: [`Row`] (typed, binary) and [`SimpleRow`] (text) results.
//! - [`client`]: [`Client`], one session: startup, extended and simple queries,
//!   [`Transaction`].
//! - [`pool`](mod@pool): [`Pool`], connections made through a [`sauce_connect::Connector`].
//! - [`configuration`]: [`Configuration`] from a `postgres://` URL, [`Limits`].
//! - [`error`]: [`Error`], its [`ErrorKind`] for handlers, [`ServerError`] fields.
//! - URLs are split and percent-decoded by `sauce_connect::url` (shared with the other clients).
//! - [`board`]: the component's contract with the generated board: each `[[database]] kind =
//!   "postgres"` becomes a pool at boot, reached by name with [`pool()`] (`pool("main")`).
//!
//! # Rules
//! 1. No server reply makes this crate panic or allocate without bound: decoders read through
//!    a checked cursor, a message longer than [`Limits::max_message_bytes`] is refused from
//!    its header, a result longer than [`Limits::max_result_bytes`] ends the query, SCRAM
//!    iterations are capped. Property tests and the fuzz targets in `fuzz/` hold it to that.
//! 2. Values are only ever bound as parameters of the extended protocol; SQL text is a
//!    [`Statement`], a literal or something explicitly marked [`Statement::trusted`].
//! 3. A client that failed or was cancelled mid-operation is broken for good
//!    ([`Client::is_broken`]); a server error leaves it usable. A pool never hands out a broken
//!    client and probes idle ones before reuse.
//! 4. A transaction dropped without `commit`/`rollback` is rolled back before its client's
//!    next operation (or by the server, when the connection is dropped).
//! 5. Nothing reads a clock or a random source of its own: time comes from a
//!    [`sauce_connect::Clock`], randomness (SCRAM nonces, backoff jitter) from a
//!    [`rand_core::RngCore`] the caller supplies.
//! 6. A configuration never prints its password (`Display` and `Debug` mask it).
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod authentication;
pub mod board;
pub mod client;
pub mod configuration;
pub mod error;
pub mod pool;
pub mod protocol;
pub mod row;
pub mod statement;
pub mod types;

pub use board::pool;
pub use client::{BackendKey, Client, Transaction};
pub use configuration::{Configuration, ConfigurationError, Limits};
pub use error::{Error, ErrorKind, ServerError};
pub use pool::{Pool, PoolOptions, PoolStatus, PooledClient};
pub use protocol::TransactionStatus;
pub use row::{Column, Row, SimpleRow};
pub use statement::Statement;
pub use types::{FromSql, Json, Numeric, Timestamp, ToParameter, Uuid};
