//! [`Pool`]: up to N connections opened on demand through a `sauce_connect::Connector`,
//! per-query timeouts on a `sauce_connect::Clock`, reconnect with capped, jittered backoff.
//!
//! # Rules
//! 1. Connections open lazily: creating a pool touches no network, so a service boots while
//!    its database is down and answers 503s ([`ErrorKind::Unavailable`](crate::ErrorKind::Unavailable)) until it is up.
//! 2. After a failed connection attempt the pool waits `backoff_initial_ms × 2^(n−1)` (capped
//!    at `backoff_max_ms`, the upper half random) before the next; meanwhile checkouts that
//!    would need a new connection fail at once with [`Error::retry_after_ms`] set.
//! 3. A connection goes back to the idle list only if its last operation completed; one that
//!    timed out, failed mid-reply, lost its stream or still has a transaction open is closed
//!    (the server rolls back an open transaction when the socket closes). A lost stream also
//!    closes every idle connection, which likely shares its fate (a server restart).
//! 4. A connection idle longer than `ping_after_idle_ms` is pinged before it is handed out.
//! 5. When all N are busy a checkout waits, at most `checkout_timeout_ms` and with at most
//!    `max_waiters` others; waiters are woken whenever a connection is returned or closed.
//! 6. Shared by reference between tasks of one executor; its state's lock (`spin::Mutex`) is
//!    taken for a few field updates and never held across an `.await`, so a pool over `Send`
//!    parts is `Sync` (the board keeps it in a static registry).
use alloc::string::String;
use alloc::vec::Vec;
use core::future::Future;
use core::task::Waker;

use sauce_connect::{with_timeout, Clock, Connector, TimedOut};

use crate::connection::Connection;
use crate::error::Error;
use crate::options::Options;
use crate::param::Param;
use crate::random::Random;
use crate::row::ResultSet;
use crate::sql::Sql;

mod backoff;
mod checkout;
mod pooled;
#[cfg(test)]
mod tests;

pub use pooled::{PooledConnection, PooledTransaction};

/// How a pool behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolOptions {
    /// The most connections open at once (at least 1).
    pub size: usize,
    /// How long one query (or ping, or transaction statement) may take.
    pub query_timeout_ms: u64,
    /// How long opening a connection (TCP and authentication) may take.
    pub connect_timeout_ms: u64,
    /// How long a checkout may wait for a busy pool.
    pub checkout_timeout_ms: u64,
    /// How many checkouts may wait at once; more fail at once.
    pub max_waiters: usize,
    /// The first backoff delay after a failed connection attempt.
    pub backoff_initial_ms: u64,
    /// The longest backoff delay.
    pub backoff_max_ms: u64,
    /// Idle connections older than this are pinged before use.
    pub ping_after_idle_ms: u64,
}

impl PoolOptions {
    /// 4 connections, 5 s query, connect and checkout timeouts, backoff from 100 ms to 10 s,
    /// a ping after 30 s idle, 1024 waiters.
    pub const DEFAULT: PoolOptions = PoolOptions {
        size: 4,
        query_timeout_ms: 5_000,
        connect_timeout_ms: 5_000,
        checkout_timeout_ms: 5_000,
        max_waiters: 1024,
        backoff_initial_ms: 100,
        backoff_max_ms: 10_000,
        ping_after_idle_ms: 30_000,
    };
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions::DEFAULT
    }
}

/// Counters describing a pool, for logs and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolStatus {
    /// Connections open (idle, checked out, or being opened).
    pub open: usize,
    /// Connections idle.
    pub idle: usize,
    /// Checkouts waiting.
    pub waiting: usize,
    /// Consecutive failed connection attempts.
    pub failures: u32,
}

/// A pool of connections to one database.
pub struct Pool<C: Connector, K: Clock, R: Random> {
    connector: C,
    clock: K,
    random: spin::Mutex<R>,
    options: Options,
    settings: PoolOptions,
    state: spin::Mutex<State<C::Stream>>,
}

struct Idle<S> {
    connection: Connection<S>,
    since_ms: u64,
}

struct State<S> {
    idle: Vec<Idle<S>>,
    open: usize,
    waiting: usize,
    wakers: Vec<Waker>,
    generation: u64,
    failures: u32,
    retry_at_ms: u64,
    last_failure: String,
}

/// What a checkout does next.
enum Step<S> {
    Hand(Connection<S>, u64),
    Connect,
    Wait { until_ms: u64 },
    Fail(Error),
}

impl<C: Connector, K: Clock, R: Random> core::fmt::Debug for Pool<C, K, R> {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("Pool")
            .field("options", &self.options)
            .field("settings", &self.settings)
            .field("status", &self.status())
            .finish()
    }
}

impl<C: Connector, K: Clock, R: Random> Pool<C, K, R> {
    /// A pool that opens connections to `options` with `connector`, times operations on
    /// `clock` and draws RSA padding and backoff jitter from `random`. Opens nothing yet.
    pub fn new(connector: C, clock: K, random: R, options: Options, settings: PoolOptions) -> Self {
        Pool {
            connector,
            clock,
            random: spin::Mutex::new(random),
            options,
            settings: PoolOptions {
                size: settings.size.max(1),
                ..settings
            },
            state: spin::Mutex::new(State {
                idle: Vec::new(),
                open: 0,
                waiting: 0,
                wakers: Vec::new(),
                generation: 0,
                failures: 0,
                retry_at_ms: 0,
                last_failure: String::new(),
            }),
        }
    }

    /// The pool's counters.
    pub fn status(&self) -> PoolStatus {
        let state = self.state.lock();
        PoolStatus {
            open: state.open,
            idle: state.idle.len(),
            waiting: state.waiting,
            failures: state.failures,
        }
    }

    /// The pool's settings.
    pub const fn settings(&self) -> &PoolOptions {
        &self.settings
    }

    /// Checks a connection out: an idle one, a new one, or the first one returned.
    pub async fn get(&self) -> Result<PooledConnection<'_, C, K, R>, Error> {
        let deadline = self
            .clock
            .now_ms()
            .saturating_add(self.settings.checkout_timeout_ms);
        loop {
            match self.next_step(deadline) {
                Step::Hand(connection, since_ms) => {
                    let idle_for = self.clock.now_ms().saturating_sub(since_ms);
                    if let Some(connection) = self.check_idle(connection, idle_for).await {
                        return Ok(PooledConnection::new(self, connection));
                    }
                }
                Step::Connect => return self.connect().await,
                Step::Wait { until_ms } => self.wait(deadline, until_ms).await?,
                Step::Fail(error) => return Err(error),
            }
        }
    }

    /// Runs `sql` (text protocol) on a pooled connection.
    pub async fn query<'s>(&self, sql: impl Into<Sql<'s>>) -> Result<ResultSet, Error> {
        self.get().await?.query(sql).await
    }

    /// Runs `sql` as a prepared statement with `params` on a pooled connection.
    pub async fn execute<'s>(
        &self,
        sql: impl Into<Sql<'s>>,
        params: &[Param<'_>],
    ) -> Result<ResultSet, Error> {
        self.get().await?.execute(sql, params).await
    }
}

/// Runs `future` within `milliseconds`, turning a timeout into [`ErrorKind::Timeout`].
pub(crate) async fn timed<K: Clock, T>(
    clock: &K,
    milliseconds: u64,
    future: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    match with_timeout(clock, milliseconds, future).await {
        Ok(outcome) => outcome,
        Err(TimedOut) => Err(Error::timed_out(milliseconds)),
    }
}
