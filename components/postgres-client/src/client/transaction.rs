//! Transactions: `BEGIN` on creation, `COMMIT` or `ROLLBACK` by method, rollback when dropped.
//!
//! `Drop` cannot wait for the server in async code, so a transaction dropped without
//! `commit` or `rollback` (an early `?` return, a timeout) only marks its client: the client
//! sends `ROLLBACK` before its next operation. If the client is dropped instead (a pool
//! discards a timed-out connection), closing the connection makes the server roll back.
use core::ops::{Deref, DerefMut};

use sauce_connect::{Read, Write};

use super::Client;
use crate::Error;

/// An open transaction on a client. Queries go through it (it dereferences to the client).
#[derive(Debug)]
pub struct Transaction<'c, S: Read + Write> {
    client: &'c mut Client<S>,
    finished: bool,
}

impl<S: Read + Write> Client<S> {
    /// Opens a transaction (`BEGIN`).
    pub async fn begin(&mut self) -> Result<Transaction<'_, S>, Error> {
        self.batch_execute("BEGIN").await?;
        Ok(Transaction {
            client: self,
            finished: false,
        })
    }
}

impl<S: Read + Write> Transaction<'_, S> {
    /// Commits. If a statement of the transaction had failed, the server rolls back instead
    /// and this returns [`Error::TransactionAborted`].
    pub async fn commit(mut self) -> Result<(), Error> {
        self.finished = true;
        self.client.begin_operation().await?;
        let outcome = self.client.simple("COMMIT", None).await;
        match self.client.end_operation(outcome)?.as_str() {
            "ROLLBACK" => Err(Error::TransactionAborted),
            _ => Ok(()),
        }
    }

    /// Rolls back.
    pub async fn rollback(mut self) -> Result<(), Error> {
        self.finished = true;
        self.client.batch_execute("ROLLBACK").await
    }
}

impl<S: Read + Write> Deref for Transaction<'_, S> {
    type Target = Client<S>;

    fn deref(&self) -> &Client<S> {
        self.client
    }
}

impl<S: Read + Write> DerefMut for Transaction<'_, S> {
    fn deref_mut(&mut self) -> &mut Client<S> {
        self.client
    }
}

impl<S: Read + Write> Drop for Transaction<'_, S> {
    fn drop(&mut self) {
        if !self.finished {
            self.client.pending_rollback = true;
        }
    }
}
