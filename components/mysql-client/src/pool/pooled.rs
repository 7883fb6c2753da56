//! A checked-out connection and its transactions: every operation runs under the pool's
//! query timeout, and dropping the guard gives the connection back (or closes it).
use sauce_connect::{Clock, Connector};

use super::{timed, Pool};
use crate::connection::Connection;
use crate::error::{Error, UsageError};
use crate::param::Param;
use crate::random::Random;
use crate::row::ResultSet;
use crate::sql::Sql;
use crate::transaction::Transaction;

/// A connection checked out of a [`Pool`]; returned when dropped.
pub struct PooledConnection<'p, C: Connector, K: Clock, R: Random> {
    pool: &'p Pool<C, K, R>,
    connection: Option<Connection<C::Stream>>,
}

impl<C: Connector, K: Clock, R: Random> core::fmt::Debug for PooledConnection<'_, C, K, R> {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("PooledConnection")
            .field("connection", &self.connection)
            .finish()
    }
}

impl<'p, C: Connector, K: Clock, R: Random> PooledConnection<'p, C, K, R> {
    pub(super) fn new(pool: &'p Pool<C, K, R>, connection: Connection<C::Stream>) -> Self {
        PooledConnection {
            pool,
            connection: Some(connection),
        }
    }

    /// The connection itself, for operations without the pool's timeout.
    pub fn connection(&mut self) -> Result<&mut Connection<C::Stream>, Error> {
        self.connection
            .as_mut()
            .ok_or(Error::usage(UsageError::ConnectionBroken))
    }

    /// Runs `sql` with the text protocol, within the query timeout.
    pub async fn query<'s>(&mut self, sql: impl Into<Sql<'s>>) -> Result<ResultSet, Error> {
        let pool = self.pool;
        let connection = self.connection()?;
        timed(
            &pool.clock,
            pool.settings.query_timeout_ms,
            connection.query(sql),
        )
        .await
    }

    /// Runs `sql` as a prepared statement with `params`, within the query timeout.
    pub async fn execute<'s>(
        &mut self,
        sql: impl Into<Sql<'s>>,
        params: &[Param<'_>],
    ) -> Result<ResultSet, Error> {
        let pool = self.pool;
        let connection = self.connection()?;
        timed(
            &pool.clock,
            pool.settings.query_timeout_ms,
            connection.execute(sql, params),
        )
        .await
    }

    /// `COM_PING`, within the query timeout.
    pub async fn ping(&mut self) -> Result<(), Error> {
        let pool = self.pool;
        let connection = self.connection()?;
        timed(
            &pool.clock,
            pool.settings.query_timeout_ms,
            connection.ping(),
        )
        .await
    }

    /// `COM_INIT_DB`, within the query timeout.
    pub async fn select_database(&mut self, database: &str) -> Result<(), Error> {
        let pool = self.pool;
        let connection = self.connection()?;
        timed(
            &pool.clock,
            pool.settings.query_timeout_ms,
            connection.select_database(database),
        )
        .await
    }

    /// Starts a transaction whose statements run within the query timeout each. Dropped
    /// without commit or rollback, it rolls back (the pool closes the connection).
    pub async fn begin(&mut self) -> Result<PooledTransaction<'_, C::Stream, K>, Error> {
        let timeout = self.pool.settings.query_timeout_ms;
        let clock = &self.pool.clock;
        let connection = self
            .connection
            .as_mut()
            .ok_or(Error::usage(UsageError::ConnectionBroken))?;
        let transaction = timed(clock, timeout, connection.begin()).await?;
        Ok(PooledTransaction {
            transaction,
            clock,
            timeout,
        })
    }
}

impl<C: Connector, K: Clock, R: Random> Drop for PooledConnection<'_, C, K, R> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            self.pool.give_back(connection);
        }
    }
}

/// A transaction on a pooled connection, each statement under the pool's query timeout.
#[derive(Debug)]
pub struct PooledTransaction<'c, S: sauce_connect::Read + sauce_connect::Write, K: Clock> {
    transaction: Transaction<'c, S>,
    clock: &'c K,
    timeout: u64,
}

impl<S: sauce_connect::Read + sauce_connect::Write, K: Clock> PooledTransaction<'_, S, K> {
    /// Runs `sql` with the text protocol inside the transaction.
    pub async fn query<'s>(&mut self, sql: impl Into<Sql<'s>>) -> Result<ResultSet, Error> {
        timed(self.clock, self.timeout, self.transaction.query(sql)).await
    }

    /// Runs `sql` as a prepared statement with `params` inside the transaction.
    pub async fn execute<'s>(
        &mut self,
        sql: impl Into<Sql<'s>>,
        params: &[Param<'_>],
    ) -> Result<ResultSet, Error> {
        timed(
            self.clock,
            self.timeout,
            self.transaction.execute(sql, params),
        )
        .await
    }

    /// Commits.
    pub async fn commit(self) -> Result<(), Error> {
        timed(self.clock, self.timeout, self.transaction.commit()).await
    }

    /// Rolls back.
    pub async fn rollback(self) -> Result<(), Error> {
        timed(self.clock, self.timeout, self.transaction.rollback()).await
    }
}
