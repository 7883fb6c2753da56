//! One connection to a Postgres server: startup and authentication, queries, transactions.
//!
//! A client keeps a health state. An operation that is cancelled half-way (its future dropped,
//! as a timeout does) or that fails in the middle of the conversation leaves the client
//! [`Client::is_broken`]; every later operation fails with [`Error::Broken`] and a pool
//! discards it. A server error (a constraint, a syntax error) is not that kind of failure:
//! the client reads on to `ReadyForQuery` and stays usable.
mod io;
mod query;
mod simple;
mod startup;
mod transaction;

use alloc::string::String;
use alloc::vec::Vec;

use sauce_connect::{Read, Write};

use crate::configuration::Limits;
use crate::protocol::{self, TransactionStatus};
use crate::Error;
use io::Input;
pub use transaction::Transaction;

/// What a cancel request would need: the backend's process id and secret key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackendKey {
    /// The backend's process id.
    pub process_id: i32,
    /// Its secret key.
    pub secret_key: i32,
}

/// Where a client stands between operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Health {
    /// Ready for the next operation.
    Ready,
    /// An operation began and has not finished (if nothing is running it, it was cancelled).
    InFlight,
    /// The conversation with the server is lost.
    Broken,
}

/// At most this many server parameters (`ParameterStatus`) are remembered.
const MAX_PARAMETERS: usize = 64;

/// A connection to a Postgres server over any byte stream.
pub struct Client<S> {
    stream: S,
    input: Input,
    output: Vec<u8>,
    limits: Limits,
    status: TransactionStatus,
    health: Health,
    /// A transaction was dropped without commit or rollback: roll back before the next use.
    pending_rollback: bool,
    backend_key: Option<BackendKey>,
    parameters: Vec<(String, String)>,
}

impl<S> core::fmt::Debug for Client<S> {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("Client")
            .field("status", &self.status)
            .field("health", &self.health)
            .field("backend_key", &self.backend_key)
            .finish_non_exhaustive()
    }
}

impl<S: Read + Write> Client<S> {
    /// Whether the connection failed or was interrupted mid-operation and must be dropped.
    pub fn is_broken(&self) -> bool {
        self.health != Health::Ready
    }

    /// The transaction status the server reported last.
    pub fn transaction_status(&self) -> TransactionStatus {
        self.status
    }

    /// The key a cancel request would need.
    pub fn backend_key(&self) -> Option<BackendKey> {
        self.backend_key
    }

    /// A run-time parameter the server reported (`server_version`, `TimeZone`, …).
    pub fn server_parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, value)| value.as_str())
    }

    /// Ends the session politely (`Terminate`); the stream is dropped after.
    pub async fn close(mut self) -> Result<(), Error> {
        protocol::terminate(&mut self.output);
        io::send(&mut self.stream, &mut self.output).await
    }

    /// Whether an idle client is still usable, without waiting for the network: a pool asks
    /// this before handing out a connection that sat idle.
    pub async fn probe(&mut self) -> bool {
        !self.is_broken() && self.input.probe(&mut self.stream).await
    }

    /// Asks for `ROLLBACK` before the next operation (a pool does this for a connection
    /// returned inside a transaction).
    pub(crate) fn roll_back_before_next_use(&mut self) {
        self.pending_rollback = true;
    }

    /// Marks the start of an operation, after rolling back a dropped transaction.
    async fn begin_operation(&mut self) -> Result<(), Error> {
        if self.health != Health::Ready {
            return Err(Error::Broken);
        }
        self.health = Health::InFlight;
        if self.pending_rollback {
            let outcome = self.simple("ROLLBACK", None).await;
            self.pending_rollback = false;
            if let Err(error) = outcome {
                self.health = Health::Broken;
                return Err(error);
            }
        }
        Ok(())
    }

    /// Marks the end of an operation with its outcome: a failure of the conversation itself
    /// breaks the client.
    fn end_operation<T>(&mut self, outcome: Result<T, Error>) -> Result<T, Error> {
        self.health = match &outcome {
            Err(error) if breaks_connection(error) => Health::Broken,
            _ => Health::Ready,
        };
        outcome
    }
}

/// Remembers a `ParameterStatus` (bounded: a server cannot grow the list without end).
fn remember_parameter(parameters: &mut Vec<(String, String)>, name: &str, value: &str) {
    if let Some(entry) = parameters.iter_mut().find(|(known, _)| known == name) {
        entry.1 = String::from(value);
    } else if parameters.len() < MAX_PARAMETERS {
        parameters.push((String::from(name), String::from(value)));
    }
}

/// Whether an error leaves the conversation in an unknown state.
fn breaks_connection(error: &Error) -> bool {
    match error {
        Error::Server(server) => matches!(server.severity.as_str(), "FATAL" | "PANIC"),
        Error::ConnectionLost(_)
        | Error::Closed
        | Error::Protocol(_)
        | Error::ResultTooLarge(_)
        | Error::Timeout(_)
        | Error::Broken => true,
        _ => false,
    }
}

/// The row count at the end of a command tag (`INSERT 0 3` → 3, `CREATE TABLE` → 0).
fn rows_affected(tag: &str) -> u64 {
    tag.rsplit(' ')
        .next()
        .and_then(|count| count.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_counts_come_from_the_end_of_the_tag() {
        assert_eq!(rows_affected("INSERT 0 3"), 3);
        assert_eq!(rows_affected("UPDATE 12"), 12);
        assert_eq!(rows_affected("SELECT 0"), 0);
        assert_eq!(rows_affected("CREATE TABLE"), 0);
        assert_eq!(rows_affected(""), 0);
    }
}

#[cfg(test)]
mod scripted_tests;
