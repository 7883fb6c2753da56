//! [`Pool`]: up to N connections opened on demand through a `sauce_connect::Connector`,
//! per-query timeouts on a `sauce_connect::Clock`, reconnect with capped, jittered backoff.
//!
//! # Rules
//! 1. Connections open lazily: creating a pool touches no network, so a service boots while
//!    its database is down and answers 503s ([`ErrorKind::Unavailable`]) until it is up.
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
//! 6. Single-threaded: the pool is shared by reference between tasks of one executor; no
//!    `RefCell` borrow is ever held across an `.await`.
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::RefCell;
use core::future::Future;
use core::task::{Context, Poll, Waker};

use sauce_connect::{with_timeout, Clock, Connector, TimedOut};

use crate::connection::Connection;
use crate::error::{Cause, Error, ErrorKind};
use crate::options::Options;
use crate::param::Param;
use crate::random::Random;
use crate::row::ResultSet;
use crate::sql::Sql;

mod backoff;
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
    random: RefCell<R>,
    options: Options,
    settings: PoolOptions,
    state: RefCell<State<C::Stream>>,
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
            random: RefCell::new(random),
            options,
            settings: PoolOptions {
                size: settings.size.max(1),
                ..settings
            },
            state: RefCell::new(State {
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
        let state = self.state.borrow();
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

    /// Decides, without waiting, what a checkout does next.
    fn next_step(&self, deadline: u64) -> Step<C::Stream> {
        let now = self.clock.now_ms();
        let mut state = self.state.borrow_mut();
        if let Some(idle) = state.idle.pop() {
            return Step::Hand(idle.connection, idle.since_ms);
        }
        let backing_off = now < state.retry_at_ms;
        if state.open < self.settings.size && !backing_off {
            state.open += 1;
            return Step::Connect;
        }
        if backing_off && state.open == 0 {
            return Step::Fail(Error::new(
                ErrorKind::Unavailable,
                Cause::Backoff {
                    retry_after_ms: state.retry_at_ms - now,
                    last: state.last_failure.clone(),
                },
            ));
        }
        if state.waiting >= self.settings.max_waiters {
            return Step::Fail(Error::new(ErrorKind::Unavailable, Cause::TooManyWaiters));
        }
        let until_ms = if backing_off && state.open < self.settings.size {
            deadline.min(state.retry_at_ms)
        } else {
            deadline
        };
        Step::Wait { until_ms }
    }

    /// Pings a connection that idled too long; `None` (and the connection closed) if it fails.
    async fn check_idle(
        &self,
        mut connection: Connection<C::Stream>,
        idle_for_ms: u64,
    ) -> Option<Connection<C::Stream>> {
        if idle_for_ms < self.settings.ping_after_idle_ms {
            return Some(connection);
        }
        let ping = with_timeout(
            &self.clock,
            self.settings.query_timeout_ms,
            connection.ping(),
        )
        .await;
        if matches!(ping, Ok(Ok(()))) {
            return Some(connection);
        }
        self.release(connection);
        None
    }

    /// Opens a connection into a slot already counted in `open`.
    async fn connect(&self) -> Result<PooledConnection<'_, C, K, R>, Error> {
        let slot = Slot { pool: self };
        let opened = with_timeout(
            &self.clock,
            self.settings.connect_timeout_ms,
            Connection::open(
                &self.connector,
                &self.options,
                &mut SharedRandom(&self.random),
            ),
        )
        .await;
        let error = match opened {
            Ok(Ok(connection)) => {
                core::mem::forget(slot);
                self.state.borrow_mut().failures = 0;
                return Ok(PooledConnection::new(self, connection));
            }
            Ok(Err(error)) => error,
            Err(TimedOut) => Error::new(
                ErrorKind::Unavailable,
                Cause::TimedOut(self.settings.connect_timeout_ms),
            ),
        };
        let jitter = self.random.borrow_mut().next_u32();
        {
            let mut state = self.state.borrow_mut();
            state.failures = state.failures.saturating_add(1);
            let delay = backoff::delay_ms(
                state.failures,
                self.settings.backoff_initial_ms,
                self.settings.backoff_max_ms,
                jitter,
            );
            state.retry_at_ms = self.clock.now_ms().saturating_add(delay);
            state.last_failure = error.to_string();
        }
        drop(slot);
        Err(error)
    }

    /// Waits until a connection is returned or closed, or `until_ms`; past `deadline` the
    /// checkout fails.
    async fn wait(&self, deadline: u64, until_ms: u64) -> Result<(), Error> {
        let now = self.clock.now_ms();
        if now >= deadline {
            return Err(Error::new(
                ErrorKind::Unavailable,
                Cause::PoolBusy(self.settings.checkout_timeout_ms),
            ));
        }
        let waiting = Waiting::new(self);
        let start = self.state.borrow().generation;
        let changed = core::future::poll_fn(|context: &mut Context<'_>| {
            let mut state = self.state.borrow_mut();
            if state.generation != start {
                return Poll::Ready(());
            }
            if !state
                .wakers
                .iter()
                .any(|waker| waker.will_wake(context.waker()))
            {
                state.wakers.push(context.waker().clone());
            }
            Poll::Pending
        });
        let _ = with_timeout(&self.clock, until_ms.saturating_sub(now), changed).await;
        drop(waiting);
        Ok(())
    }

    /// Takes back a checked-out connection: idle again if reusable, closed otherwise.
    pub(crate) fn give_back(&self, connection: Connection<C::Stream>) {
        let reusable = connection.is_usable()
            && !connection.in_transaction()
            && !connection.has_rollback_pending();
        if reusable {
            let since_ms = self.clock.now_ms();
            self.state.borrow_mut().idle.push(Idle {
                connection,
                since_ms,
            });
            self.notify();
        } else {
            self.release(connection);
        }
    }

    /// Closes a connection (and, if its stream was lost, every idle one).
    fn release(&self, connection: Connection<C::Stream>) {
        let siblings = {
            let mut state = self.state.borrow_mut();
            let siblings = if connection.is_lost() {
                core::mem::take(&mut state.idle)
            } else {
                Vec::new()
            };
            state.open = state.open.saturating_sub(1 + siblings.len());
            siblings
        };
        drop(connection);
        drop(siblings);
        self.notify();
    }

    /// Wakes every waiting checkout.
    fn notify(&self) {
        let wakers = {
            let mut state = self.state.borrow_mut();
            state.generation = state.generation.wrapping_add(1);
            core::mem::take(&mut state.wakers)
        };
        for waker in wakers {
            waker.wake();
        }
    }
}

/// A slot counted in `open` while a connection is being opened; dropping it (a failure, or
/// the checkout future dropped) gives the slot back.
struct Slot<'p, C: Connector, K: Clock, R: Random> {
    pool: &'p Pool<C, K, R>,
}

impl<C: Connector, K: Clock, R: Random> Drop for Slot<'_, C, K, R> {
    fn drop(&mut self) {
        {
            let mut state = self.pool.state.borrow_mut();
            state.open = state.open.saturating_sub(1);
        }
        self.pool.notify();
    }
}

/// Counts a waiting checkout while it lives.
struct Waiting<'p, C: Connector, K: Clock, R: Random> {
    pool: &'p Pool<C, K, R>,
}

impl<'p, C: Connector, K: Clock, R: Random> Waiting<'p, C, K, R> {
    fn new(pool: &'p Pool<C, K, R>) -> Self {
        pool.state.borrow_mut().waiting += 1;
        Waiting { pool }
    }
}

impl<C: Connector, K: Clock, R: Random> Drop for Waiting<'_, C, K, R> {
    fn drop(&mut self) {
        let mut state = self.pool.state.borrow_mut();
        state.waiting = state.waiting.saturating_sub(1);
    }
}

/// Lends the pool's random source to one connection attempt, borrowing it only inside each
/// (synchronous) call, so concurrent attempts never hold it at once.
struct SharedRandom<'a, R>(&'a RefCell<R>);

impl<R: Random> Random for SharedRandom<'_, R> {
    fn fill_bytes(&mut self, bytes: &mut [u8]) {
        self.0.borrow_mut().fill_bytes(bytes);
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
