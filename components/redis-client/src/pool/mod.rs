//! A pool of connections to one Redis server: per-operation timeouts, reconnects with
//! backoff, and a health rule (a connection that failed or timed out mid-operation is never
//! reused).
//!
//! Shared by the executor's tasks (`&Pool`): its state sits behind a lock (`spin::Mutex`)
//! taken for a few field updates and never held across an `.await` (so it is never
//! contended on one CPU, and a pool over `Send` parts is `Sync`: the board keeps it in a
//! static registry); a task waiting for a connection is woken when one is returned, never
//! blocking the others.
mod checkout;

use alloc::vec::Vec;

use rand_core::RngCore;
use sauce_connect::{with_timeout, Clock, Connector};

use crate::configuration::Configuration;
use crate::pipeline::Pipeline;
use crate::resp::Value;
use crate::{Client, Error};
pub use checkout::PooledClient;
use sauce_connect::backoff::Backoff;

/// How a pool behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolOptions {
    /// The most connections open at once.
    pub size: usize,
    /// The deadline of one [`Pool::run`] (waiting for a connection, connecting and the
    /// operation itself), in milliseconds.
    pub timeout_ms: u64,
    /// The pause after the first failed connection attempt; it doubles per failure.
    pub backoff_initial_ms: u64,
    /// The longest pause between attempts.
    pub backoff_max_ms: u64,
}

impl PoolOptions {
    /// 4 connections, 2 s per operation, backoff from 100 ms to 10 s.
    pub const DEFAULT: PoolOptions = PoolOptions {
        size: 4,
        timeout_ms: 2_000,
        backoff_initial_ms: 100,
        backoff_max_ms: 10_000,
    };
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions::DEFAULT
    }
}

/// What a pool holds right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolStatus {
    /// Connections open (idle, in use or being made).
    pub open: usize,
    /// Connections idle in the pool.
    pub idle: usize,
}

/// The mutable part of a pool.
struct State<S> {
    idle: Vec<Client<S>>,
    open: usize,
    waiters: Vec<core::task::Waker>,
    backoff: Backoff,
}

/// Connections to one Redis server, made through `C`, timed by `K`, jittered by `R`.
pub struct Pool<C: Connector, K: Clock, R: RngCore> {
    connector: C,
    clock: K,
    random: spin::Mutex<R>,
    configuration: Configuration,
    options: PoolOptions,
    state: spin::Mutex<State<C::Stream>>,
}

impl<C: Connector, K: Clock, R: RngCore> Pool<C, K, R> {
    /// A pool that connects on demand (nothing is opened here).
    pub fn new(
        configuration: Configuration,
        options: PoolOptions,
        connector: C,
        clock: K,
        random: R,
    ) -> Self {
        Pool {
            connector,
            clock,
            random: spin::Mutex::new(random),
            configuration,
            options,
            state: spin::Mutex::new(State {
                idle: Vec::new(),
                open: 0,
                waiters: Vec::new(),
                backoff: Backoff::default(),
            }),
        }
    }

    /// The configuration (its `Display` masks the password).
    pub fn configuration(&self) -> &Configuration {
        &self.configuration
    }

    /// How many connections are open and idle.
    pub fn status(&self) -> PoolStatus {
        let state = self.state.lock();
        PoolStatus {
            open: state.open,
            idle: state.idle.len(),
        }
    }

    /// Runs `operation` on a pooled connection, all of it (waiting for a connection,
    /// connecting, the operation) within [`PoolOptions::timeout_ms`]. On timeout the
    /// operation is dropped where it stands and its connection discarded.
    ///
    /// ```no_run
    /// # async fn example<C: sauce_connect::Connector, K: sauce_connect::Clock, R: rand_core::RngCore>(
    /// #     pool: &sauce_redis::Pool<C, K, R>,
    /// # ) -> Result<i64, sauce_redis::Error> {
    /// pool.run(async |client| client.incr(b"hits").await).await
    /// # }
    /// ```
    pub async fn run<T>(
        &self,
        operation: impl AsyncFnOnce(&mut Client<C::Stream>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let timeout = self.options.timeout_ms;
        let work = async {
            let mut client = self.checkout().await?;
            operation(&mut client).await
        };
        with_timeout(&self.clock, timeout, work)
            .await
            .unwrap_or(Err(Error::Timeout(timeout)))
    }

    /// A connection for several operations, waiting at most [`PoolOptions::timeout_ms`] for
    /// one. Operations on it are not timed: prefer [`Pool::run`].
    pub async fn get(&self) -> Result<PooledClient<'_, C, K, R>, Error> {
        let timeout = self.options.timeout_ms;
        with_timeout(&self.clock, timeout, self.checkout())
            .await
            .unwrap_or(Err(Error::Timeout(timeout)))
    }

    /// [`Client::command`] on a pooled connection, timed.
    pub async fn command(&self, arguments: &[&[u8]]) -> Result<Value, Error> {
        self.run(async |client| client.command(arguments).await)
            .await
    }

    /// [`Client::pipeline`] on a pooled connection, timed.
    pub async fn pipeline(&self, pipeline: &Pipeline) -> Result<Vec<Value>, Error> {
        self.run(async |client| client.pipeline(pipeline).await)
            .await
    }
}
