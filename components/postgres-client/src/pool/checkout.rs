//! Taking a connection out of the pool and putting it back: idle ones first (probed), new ones
//! while there is room and no backoff, otherwise waiting for a return.
use alloc::format;
use core::ops::{Deref, DerefMut};
use core::task::Poll;

use rand_core::RngCore;
use sauce_connect::{Clock, Connector};

use super::Pool;
use crate::protocol::TransactionStatus;
use crate::{Client, Error};

/// A connection taken from a pool; it goes back when dropped, unless it is broken.
pub struct PooledClient<'p, C: Connector, K: Clock, R: RngCore> {
    pool: &'p Pool<C, K, R>,
    client: Option<Client<C::Stream>>,
}

impl<C: Connector, K: Clock, R: RngCore> Deref for PooledClient<'_, C, K, R> {
    type Target = Client<C::Stream>;

    fn deref(&self) -> &Client<C::Stream> {
        self.client
            .as_ref()
            .expect("a pooled client holds its client until dropped")
    }
}

impl<C: Connector, K: Clock, R: RngCore> DerefMut for PooledClient<'_, C, K, R> {
    fn deref_mut(&mut self) -> &mut Client<C::Stream> {
        self.client
            .as_mut()
            .expect("a pooled client holds its client until dropped")
    }
}

impl<C: Connector, K: Clock, R: RngCore> Drop for PooledClient<'_, C, K, R> {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            self.pool.release(client);
        }
    }
}

/// A connection being opened: counted in `open` until it succeeds or is abandoned.
struct Opening<'p, C: Connector, K: Clock, R: RngCore> {
    pool: &'p Pool<C, K, R>,
    done: bool,
}

impl<C: Connector, K: Clock, R: RngCore> Drop for Opening<'_, C, K, R> {
    fn drop(&mut self) {
        if !self.done {
            self.pool.forget_one();
        }
    }
}

impl<C: Connector, K: Clock, R: RngCore> Pool<C, K, R> {
    /// A usable connection: idle, new, or returned by another task (no deadline here).
    pub(super) async fn checkout(&self) -> Result<PooledClient<'_, C, K, R>, Error> {
        loop {
            let idle = self.state.lock().idle.pop();
            if let Some(mut client) = idle {
                if client.probe().await {
                    return Ok(PooledClient {
                        pool: self,
                        client: Some(client),
                    });
                }
                self.forget_one();
                continue;
            }
            let has_room = {
                let state = self.state.lock();
                state.open < self.options.size.max(1)
            };
            if has_room {
                let client = self.open().await?;
                return Ok(PooledClient {
                    pool: self,
                    client: Some(client),
                });
            }
            self.wait_for_return().await;
        }
    }

    /// Opens a new connection, unless the backoff says not yet.
    async fn open(&self) -> Result<Client<C::Stream>, Error> {
        let now = self.clock.now_ms();
        {
            let mut state = self.state.lock();
            if let Some((retry_after_ms, reason)) = state.backoff.waiting(now) {
                return Err(Error::Backoff {
                    reason: reason.into(),
                    retry_after_ms,
                });
            }
            state.open += 1;
        }
        let mut opening = Opening {
            pool: self,
            done: false,
        };
        let outcome = self.connect().await;
        let mut state = self.state.lock();
        match &outcome {
            Ok(_) => {
                opening.done = true;
                state.backoff.succeeded();
            }
            Err(error) if error.kind() == crate::ErrorKind::Unavailable => {
                let random = self.random.lock().next_u64();
                state.backoff.failed(
                    self.clock.now_ms(),
                    random,
                    self.options.backoff_initial_ms,
                    self.options.backoff_max_ms,
                    format!("{error}"),
                );
            }
            Err(_) => {}
        }
        drop(state);
        drop(opening);
        outcome
    }

    /// Connects and starts a session.
    async fn connect(&self) -> Result<Client<C::Stream>, Error> {
        let configuration = &self.configuration;
        let stream = self
            .connector
            .connect(&configuration.host, configuration.port)
            .await
            .map_err(|error| {
                Error::Connect(format!(
                    "{}:{}: {error}",
                    configuration.host, configuration.port
                ))
            })?;
        let session = {
            let mut random = self.random.lock();
            Client::connect(stream, configuration, &mut *random)
        };
        session.await
    }

    /// Waits until a connection is returned or room is made.
    async fn wait_for_return(&self) {
        core::future::poll_fn(|context| {
            let mut state = self.state.lock();
            if !state.idle.is_empty() || state.open < self.options.size.max(1) {
                return Poll::Ready(());
            }
            if !state
                .waiters
                .iter()
                .any(|waiter| waiter.will_wake(context.waker()))
            {
                state.waiters.push(context.waker().clone());
            }
            Poll::Pending
        })
        .await
    }

    /// Takes a connection back: broken ones are dropped (closing them), the others idle. One
    /// left inside a transaction will roll it back before its next use.
    fn release(&self, mut client: Client<C::Stream>) {
        if client.is_broken() {
            drop(client);
            self.forget_one();
            return;
        }
        if client.transaction_status() != TransactionStatus::Idle {
            client.roll_back_before_next_use();
        }
        let waiters = {
            let mut state = self.state.lock();
            state.idle.push(client);
            core::mem::take(&mut state.waiters)
        };
        wake_all(waiters);
    }

    /// One open connection is gone.
    fn forget_one(&self) {
        let waiters = {
            let mut state = self.state.lock();
            state.open = state.open.saturating_sub(1);
            core::mem::take(&mut state.waiters)
        };
        wake_all(waiters);
    }
}

/// Wakes every waiting task (each checks again whether it can proceed), outside any borrow
/// of the pool's state.
fn wake_all(waiters: alloc::vec::Vec<core::task::Waker>) {
    for waiter in waiters {
        waiter.wake();
    }
}
