//! Test fixture: hostile clients against a SauceOS HTTP guest, shared by the hostile-client
//! suite (`host/cli/tests/hostile_clients.rs`) and its benchmark (`bench/src/bin/hostile.rs`).
//!
//! # Map
//! - [`attacks`]: each attack (partial heads, never-reading clients, uploads at and over the
//!   body limit, resets after the first bytes, pipelining into a client that never reads), and a
//!   fresh client's view during and after one.
//!
//! # Rules
//! 1. Traffic goes only to the target given: 127.0.0.1 (QEMU user networking) or an address
//!    inside a network namespace the caller created.
//! 2. An attack closes every connection it opened (with a reset) before it returns.
#![forbid(unsafe_code)]

pub mod attacks;
