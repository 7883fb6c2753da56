//! Async byte streams, a connector and a clock: what a protocol client needs from the machine.
//!
//! Database clients (Postgres, Redis, MySQL) are written once against these traits. In an
//! image the `outbound-tcp` component implements them over smoltcp sockets and the kernel
//! clock; on the host, [`host`] (feature `std`) implements them over `std::net`, so the same
//! client code is tested against real servers.
//!
//! # Map
//! - [`Connector`]: opens a byte stream to `host:port` (the stream is
//!   `embedded_io_async::Read + Write`, re-exported as [`Read`] and [`Write`]).
//! - [`Clock`]: milliseconds since an arbitrary start, and an async sleep.
//! - [`with_timeout`]: runs a future against a deadline on a [`Clock`].
//! - [`backoff`]: reconnect pacing for pools: exponential, capped, with equal jitter.
//! - [`url`]: database URLs split and percent-decoded, strictly.
//! - [`yielding`]: [`yield_now`], a turn for the executor in the middle of long work.
//! - [`host`] (feature `std`): non-blocking std sockets, a wall clock and a polling `block_on`.
//!
//! # Rules
//! 1. Single-threaded: futures here are not `Send`; nothing takes a lock.
//! 2. Time comes from the [`Clock`] a caller hands in; nothing here reads a clock itself.
//! 3. A connector's error says what failed in words a person can act on (`Display`).
//! 4. Work that takes longer than a moment (a key derivation) awaits [`yield_now`] between
//!    pieces: no poll of a client's future holds the CPU for long.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

pub use embedded_io_async::{Error, ErrorKind, ErrorType, Read, Write};

pub mod backoff;
#[cfg(feature = "std")]
pub mod host;
pub mod url;
pub mod yielding;

pub use yielding::yield_now;

/// Opens byte streams to servers.
pub trait Connector {
    /// A connected stream.
    type Stream: Read + Write;
    /// Why a connection could not be made.
    type Error: core::fmt::Debug + core::fmt::Display;

    /// Connects to `host` (a name or an address) on `port`.
    fn connect(
        &self,
        host: &str,
        port: u16,
    ) -> impl Future<Output = Result<Self::Stream, Self::Error>>;
}

/// Time for timeouts and backoff.
pub trait Clock {
    /// Milliseconds since an arbitrary, fixed start.
    fn now_ms(&self) -> u64;

    /// Completes once `milliseconds` have passed.
    fn sleep_ms(&self, milliseconds: u64) -> impl Future<Output = ()>;
}

/// A future did not complete before its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimedOut;

impl core::fmt::Display for TimedOut {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.write_str("timed out")
    }
}

/// Runs `future` until it completes or `milliseconds` pass on `clock`, whichever is first.
/// The future is polled first, so one that is ready at once is never timed out.
pub async fn with_timeout<C: Clock, F: Future>(
    clock: &C,
    milliseconds: u64,
    future: F,
) -> Result<F::Output, TimedOut> {
    let mut future = core::pin::pin!(future);
    let mut sleep = core::pin::pin!(clock.sleep_ms(milliseconds));
    core::future::poll_fn(|context: &mut Context<'_>| {
        if let Poll::Ready(output) = future.as_mut().poll(context) {
            return Poll::Ready(Ok(output));
        }
        match Pin::as_mut(&mut sleep).poll(context) {
            Poll::Ready(()) => Poll::Ready(Err(TimedOut)),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}
