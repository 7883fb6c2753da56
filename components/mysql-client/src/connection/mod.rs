//! [`Connection`]: one authenticated session over any `sauce_connect` stream, with the text
//! protocol ([`query`](Connection::query)), prepared statements
//! ([`execute`](Connection::execute), cached), transactions, `COM_PING` and `COM_INIT_DB`.
//!
//! # Interrupted operations
//! Every operation marks the connection busy until the server's whole reply has been read.
//! A future dropped half-way (a timeout) leaves it busy; so does any failure that leaves the
//! protocol state unknown (a lost stream, a malformed reply, a limit). Such a connection
//! refuses further use ([`UsageError::ConnectionBroken`]) and the pool discards it. A server
//! error reply (`ERR`) ends the exchange cleanly and the connection stays usable.
use alloc::string::String;
use alloc::vec::Vec;

use sauce_connect::{Connector, Read, Write};

use crate::error::{Cause, Error, ErrorKind, UsageError};
use crate::limits::Limits;
use crate::options::Options;
use crate::param::Param;
use crate::protocol::capabilities::{self, STATUS_IN_TRANSACTION};
use crate::protocol::command;
use crate::protocol::response::{self, decode_ok};
use crate::random::Random;
use crate::row::ResultSet;
use crate::sql::Sql;
use crate::transaction::Transaction;

mod authenticate;
mod results;
mod statements;
#[cfg(test)]
pub(crate) mod tests;
mod transport;

pub use statements::Statement;

use statements::StatementCache;
use transport::Transport;

/// Whether the connection can take a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Idle at a packet boundary.
    Ready,
    /// An operation is in flight (or was dropped half-way).
    Busy,
    /// An operation failed and left the protocol state unknown.
    Broken,
}

/// One session with a MySQL or MariaDB server.
pub struct Connection<S> {
    transport: Transport<S>,
    capabilities: u32,
    server_version: String,
    connection_id: u32,
    status: u16,
    state: State,
    lost: bool,
    rollback_pending: bool,
    limits: Limits,
    statements: StatementCache,
}

impl<S> core::fmt::Debug for Connection<S> {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("Connection")
            .field("server_version", &self.server_version)
            .field("connection_id", &self.connection_id)
            .field("state", &self.state)
            .field("status", &self.status)
            .finish()
    }
}

impl<S: Read + Write> Connection<S> {
    /// Opens a stream to `options.host:options.port` with `connector`, then authenticates.
    pub async fn open<C>(
        connector: &C,
        options: &Options,
        random: &mut dyn Random,
    ) -> Result<Connection<S>, Error>
    where
        C: Connector<Stream = S>,
    {
        let stream = connector
            .connect(&options.host, options.port)
            .await
            .map_err(|error| {
                Error::new(
                    ErrorKind::Unavailable,
                    Cause::Connect(alloc::format!("{}:{}: {error}", options.host, options.port)),
                )
            })?;
        Connection::connect(stream, options, random).await
    }

    /// Runs the connection phase (handshake and authentication) over `stream`.
    /// `random` pads RSA encryption when full `caching_sha2_password` authentication needs it.
    pub async fn connect(
        stream: S,
        options: &Options,
        random: &mut dyn Random,
    ) -> Result<Connection<S>, Error> {
        let mut transport = Transport::new(stream, options.limits.max_packet);
        let session = authenticate::authenticate(&mut transport, options, random).await?;
        Ok(Connection {
            transport,
            capabilities: session.capabilities,
            server_version: session.server_version,
            connection_id: session.connection_id,
            status: session.status,
            state: State::Ready,
            lost: false,
            rollback_pending: false,
            limits: options.limits,
            statements: StatementCache::new(options.statement_cache),
        })
    }

    /// The server's version string (MariaDB's starts with `5.5.5-`).
    pub fn server_version(&self) -> &str {
        &self.server_version
    }

    /// The server's id for this session (what `KILL` takes).
    pub const fn connection_id(&self) -> u32 {
        self.connection_id
    }

    /// Whether the server reports an open transaction.
    pub const fn in_transaction(&self) -> bool {
        self.status & STATUS_IN_TRANSACTION != 0
    }

    /// Whether the connection can take commands: nothing interrupted it, no failure broke it.
    pub fn is_usable(&self) -> bool {
        self.state == State::Ready
    }

    /// Whether the stream itself failed (so sibling connections may have too).
    pub(crate) const fn is_lost(&self) -> bool {
        self.lost
    }

    /// Whether a dropped transaction's rollback is still to be sent.
    pub(crate) const fn has_rollback_pending(&self) -> bool {
        self.rollback_pending
    }

    /// Runs `sql` with the text protocol and returns its first result set (the others, from a
    /// stored procedure, are read and dropped; see [`query_all`](Self::query_all)).
    pub async fn query<'s>(&mut self, sql: impl Into<Sql<'s>>) -> Result<ResultSet, Error> {
        let mut results = self.query_all(sql).await?;
        Ok(if results.is_empty() {
            ResultSet::default()
        } else {
            results.swap_remove(0)
        })
    }

    /// Runs `sql` with the text protocol and returns every result set it produced.
    pub async fn query_all<'s>(
        &mut self,
        sql: impl Into<Sql<'s>>,
    ) -> Result<Vec<ResultSet>, Error> {
        let sql = sql.into();
        self.enter().await?;
        let outcome = self.run_query(sql.as_str()).await;
        self.leave(&outcome);
        outcome
    }

    /// Runs `sql` as a prepared statement with `params` bound (binary protocol), preparing
    /// it once per connection and keeping it in the statement cache.
    pub async fn execute<'s>(
        &mut self,
        sql: impl Into<Sql<'s>>,
        params: &[Param<'_>],
    ) -> Result<ResultSet, Error> {
        let sql = sql.into();
        self.enter().await?;
        let outcome = self.run_cached(sql.as_str(), params).await;
        self.leave(&outcome);
        outcome
    }

    /// Prepares `sql`; the statement lives until [`close_statement`](Self::close_statement)
    /// or the end of the connection.
    pub async fn prepare<'s>(&mut self, sql: impl Into<Sql<'s>>) -> Result<Statement, Error> {
        let sql = sql.into();
        self.enter().await?;
        let outcome = self.run_prepare(sql.as_str()).await;
        self.leave(&outcome);
        outcome
    }

    /// Runs a statement from [`prepare`](Self::prepare) with `params` bound.
    pub async fn execute_statement(
        &mut self,
        statement: &Statement,
        params: &[Param<'_>],
    ) -> Result<ResultSet, Error> {
        if statement.connection_id != self.connection_id {
            return Err(Error::usage(UsageError::ForeignStatement));
        }
        self.enter().await?;
        let outcome = self.run_execute(statement, params).await;
        self.leave(&outcome);
        outcome
    }

    /// Frees a statement from [`prepare`](Self::prepare) on the server.
    pub async fn close_statement(&mut self, statement: Statement) -> Result<(), Error> {
        if statement.connection_id != self.connection_id {
            return Err(Error::usage(UsageError::ForeignStatement));
        }
        self.enter().await?;
        let outcome = self.send_close(statement.id()).await;
        self.leave(&outcome);
        outcome
    }

    /// Checks the connection with `COM_PING`.
    pub async fn ping(&mut self) -> Result<(), Error> {
        self.enter().await?;
        let outcome = self.simple_command(command::PING, b"").await;
        self.leave(&outcome);
        outcome
    }

    /// Makes `database` the default database (`COM_INIT_DB`); the name is sent as data, not
    /// spliced into SQL.
    pub async fn select_database(&mut self, database: &str) -> Result<(), Error> {
        self.enter().await?;
        let outcome = self
            .simple_command(command::INIT_DB, database.as_bytes())
            .await;
        self.leave(&outcome);
        outcome
    }

    /// Starts a transaction (`START TRANSACTION`). A [`Transaction`] dropped without
    /// `commit` or `rollback` rolls back: the `ROLLBACK` is sent before this connection's next
    /// command (a pool discards such a connection instead, which makes the server roll back
    /// at once).
    pub async fn begin(&mut self) -> Result<Transaction<'_, S>, Error> {
        self.query("START TRANSACTION").await?;
        Ok(Transaction::new(self))
    }

    /// Says goodbye (`COM_QUIT`) and returns the stream, for the caller to close.
    pub async fn close(mut self) -> Result<S, Error> {
        if self.state == State::Ready {
            self.transport.start_command();
            self.transport
                .send(|payload| command::encode_simple(command::QUIT, b"", payload))
                .await?;
        }
        Ok(self.transport.into_stream())
    }

    /// Marks a dropped transaction's rollback as owed.
    pub(crate) fn owe_rollback(&mut self) {
        self.rollback_pending = true;
    }

    /// Takes the connection for one operation, first paying a dropped transaction's rollback.
    async fn enter(&mut self) -> Result<(), Error> {
        if self.state != State::Ready {
            return Err(Error::usage(UsageError::ConnectionBroken));
        }
        self.state = State::Busy;
        if self.rollback_pending {
            let outcome = self.run_query("ROLLBACK").await.map(|_| ());
            self.rollback_pending = false;
            if let Err(error) = outcome {
                self.leave::<()>(&Err(error.clone()));
                return Err(error);
            }
        }
        Ok(())
    }

    /// Gives the connection back after an operation: usable again unless the failure left
    /// the protocol state unknown.
    fn leave<T>(&mut self, outcome: &Result<T, Error>) {
        self.state = match outcome {
            Ok(_) => State::Ready,
            Err(error) if error.server().is_some() || error.kind() == ErrorKind::Usage => {
                State::Ready
            }
            Err(error) => {
                self.lost = error.is_connection_lost();
                State::Broken
            }
        };
    }

    /// Sends a command whose reply is OK or ERR.
    async fn simple_command(&mut self, code: u8, argument: &[u8]) -> Result<(), Error> {
        self.transport.start_command();
        self.transport
            .send(|payload| command::encode_simple(code, argument, payload))
            .await?;
        let payload = self.transport.read().await?;
        match payload.first() {
            Some(&response::ERR) => Err(Error::server_error(response::decode_err(payload)?)),
            _ => {
                self.status = decode_ok(payload)?.status;
                Ok(())
            }
        }
    }

    fn deprecate_eof(&self) -> bool {
        self.capabilities & capabilities::DEPRECATE_EOF != 0
    }
}
