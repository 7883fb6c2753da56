//! [`Transaction`]: statements between `START TRANSACTION` and `COMMIT` or `ROLLBACK`.
use sauce_connect::{Read, Write};

use crate::connection::Connection;
use crate::error::Error;
use crate::param::Param;
use crate::row::ResultSet;
use crate::sql::Sql;

/// An open transaction on a borrowed connection.
///
/// Dropped without [`commit`](Self::commit) or [`rollback`](Self::rollback) (an early
/// return, a `?`, a timeout), it rolls back: the connection sends `ROLLBACK` before its next
/// command, and a pool discards the connection instead, so the server rolls back at once
/// when the socket closes. Nothing is ever committed implicitly.
#[derive(Debug)]
pub struct Transaction<'c, S: Read + Write> {
    connection: &'c mut Connection<S>,
    finished: bool,
}

impl<'c, S: Read + Write> Transaction<'c, S> {
    pub(crate) fn new(connection: &'c mut Connection<S>) -> Self {
        Transaction {
            connection,
            finished: false,
        }
    }

    /// Runs `sql` with the text protocol inside the transaction.
    pub async fn query<'s>(&mut self, sql: impl Into<Sql<'s>>) -> Result<ResultSet, Error> {
        self.connection.query(sql).await
    }

    /// Runs `sql` as a prepared statement with `params` inside the transaction.
    pub async fn execute<'s>(
        &mut self,
        sql: impl Into<Sql<'s>>,
        params: &[Param<'_>],
    ) -> Result<ResultSet, Error> {
        self.connection.execute(sql, params).await
    }

    /// Commits. If `COMMIT` fails the transaction is over anyway (the server rolled back or
    /// the connection is gone).
    pub async fn commit(mut self) -> Result<(), Error> {
        self.finished = true;
        self.connection.query("COMMIT").await.map(|_| ())
    }

    /// Rolls back.
    pub async fn rollback(mut self) -> Result<(), Error> {
        self.finished = true;
        self.connection.query("ROLLBACK").await.map(|_| ())
    }

    /// The connection, for operations the transaction does not wrap (`ping`, `prepare`).
    pub fn connection(&mut self) -> &mut Connection<S> {
        self.connection
    }
}

impl<S: Read + Write> Drop for Transaction<'_, S> {
    fn drop(&mut self) {
        if !self.finished {
            self.connection.owe_rollback();
        }
    }
}
