//! How a checkout proceeds: hand out an idle connection (pinged if it idled long), open a
//! new one (with backoff after failures), or wait for one to come back; and how connections
//! come back.
use alloc::string::ToString;
use alloc::vec::Vec;
use core::task::{Context, Poll};

use sauce_connect::{with_timeout, Clock, Connector, TimedOut};

use super::{backoff, Idle, Pool, PooledConnection, Step};
use crate::connection::Connection;
use crate::error::{Cause, Error, ErrorKind};
use crate::random::Random;

impl<C: Connector, K: Clock, R: Random> Pool<C, K, R> {
    /// Decides, without waiting, what a checkout does next.
    pub(super) fn next_step(&self, deadline: u64) -> Step<C::Stream> {
        let now = self.clock.now_ms();
        let mut state = self.state.lock();
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
    pub(super) async fn check_idle(
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
    pub(super) async fn connect(&self) -> Result<PooledConnection<'_, C, K, R>, Error> {
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
                self.state.lock().failures = 0;
                return Ok(PooledConnection::new(self, connection));
            }
            Ok(Err(error)) => error,
            Err(TimedOut) => Error::new(
                ErrorKind::Unavailable,
                Cause::TimedOut(self.settings.connect_timeout_ms),
            ),
        };
        let jitter = self.random.lock().next_u32();
        {
            let mut state = self.state.lock();
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
    pub(super) async fn wait(&self, deadline: u64, until_ms: u64) -> Result<(), Error> {
        let now = self.clock.now_ms();
        if now >= deadline {
            return Err(Error::new(
                ErrorKind::Unavailable,
                Cause::PoolBusy(self.settings.checkout_timeout_ms),
            ));
        }
        let waiting = Waiting::new(self);
        let start = self.state.lock().generation;
        let changed = core::future::poll_fn(|context: &mut Context<'_>| {
            let mut state = self.state.lock();
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
            self.state.lock().idle.push(Idle {
                connection,
                since_ms,
            });
            self.notify();
        } else {
            self.release(connection);
        }
    }

    /// Closes a connection (and, if its stream was lost, every idle one).
    pub(super) fn release(&self, connection: Connection<C::Stream>) {
        let siblings = {
            let mut state = self.state.lock();
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
    pub(super) fn notify(&self) {
        let wakers = {
            let mut state = self.state.lock();
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
pub(super) struct Slot<'p, C: Connector, K: Clock, R: Random> {
    pool: &'p Pool<C, K, R>,
}

impl<C: Connector, K: Clock, R: Random> Drop for Slot<'_, C, K, R> {
    fn drop(&mut self) {
        {
            let mut state = self.pool.state.lock();
            state.open = state.open.saturating_sub(1);
        }
        self.pool.notify();
    }
}

/// Counts a waiting checkout while it lives.
pub(super) struct Waiting<'p, C: Connector, K: Clock, R: Random> {
    pool: &'p Pool<C, K, R>,
}

impl<'p, C: Connector, K: Clock, R: Random> Waiting<'p, C, K, R> {
    fn new(pool: &'p Pool<C, K, R>) -> Self {
        pool.state.lock().waiting += 1;
        Waiting { pool }
    }
}

impl<C: Connector, K: Clock, R: Random> Drop for Waiting<'_, C, K, R> {
    fn drop(&mut self) {
        let mut state = self.pool.state.lock();
        state.waiting = state.waiting.saturating_sub(1);
    }
}

/// Lends the pool's random source to one connection attempt, borrowing it only inside each
/// (synchronous) call, so concurrent attempts never hold it at once.
pub(super) struct SharedRandom<'a, R>(&'a spin::Mutex<R>);

impl<R: Random> Random for SharedRandom<'_, R> {
    fn fill_bytes(&mut self, bytes: &mut [u8]) {
        self.0.lock().fill_bytes(bytes);
    }
}
