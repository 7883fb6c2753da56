//! What can go wrong, and what kind of wrong it is for a handler deciding an HTTP status.
use alloc::boxed::Box;
use alloc::string::String;

use crate::authentication::ScramError;
use crate::configuration::ConfigurationError;
use crate::protocol::{EncodeError, ProtocolError};
use crate::types::FromSqlError;
pub use server::ServerError;

mod server;

/// The error of every operation of this crate.
#[derive(Debug)]
pub enum Error {
    /// could not connect to the database: {0}
    Connect(String),
    /// the database is unavailable (its last connection attempt failed: {reason}); the next
    /// attempt is in {retry_after_ms} ms
    Backoff {
        /// Why the last attempt failed.
        reason: String,
        /// Milliseconds until the pool tries again.
        retry_after_ms: u64,
    },
    /// the connection was lost: {0:?}
    ConnectionLost(sauce_connect::ErrorKind),
    /// the server closed the connection
    Closed,
    /// the operation did not finish within {0} ms
    Timeout(u64),
    /// the server answered with an error: {0}
    Server(Box<ServerError>),
    /// the server sent something this client cannot understand: {0}
    Protocol(ProtocolError),
    /// the request cannot be encoded: {0}
    Encode(EncodeError),
    /// the server asks for authentication method {0}, which this client does not support
    UnsupportedAuthentication(i32),
    /// the server asks for a password and the configuration has none
    PasswordMissing,
    /// SCRAM authentication failed: {0}
    Scram(ScramError),
    /// column {column} cannot be read: {error}
    Column {
        /// The column's position (from 0).
        column: usize,
        /// What went wrong.
        error: FromSqlError,
    },
    /// the result has no column named `{0}`
    ColumnNotFound(String),
    /// the result has no column {0}
    ColumnIndex(usize),
    /// the query returned no row
    NoRows,
    /// the query returned more than one row
    TooManyRows,
    /// the result is larger than the limit of {0} bytes
    ResultTooLarge(usize),
    /// the transaction had failed, so COMMIT rolled it back
    TransactionAborted,
    /// the connection failed during an earlier operation and cannot be used again
    Broken,
    /// the configuration is invalid: {0}
    Configuration(ConfigurationError),
}

/// What kind of failure an [`Error`] is: the part a handler maps to a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The database cannot be reached or refused the session (503, with `Retry-After`).
    Unavailable,
    /// The operation ran out of time (504).
    Timeout,
    /// A unique constraint refused the row, SQLSTATE 23505 (409).
    UniqueViolation,
    /// Another conflict: foreign key, exclusion, serialization failure, deadlock (409).
    Conflict,
    /// The data was refused: a bad value, NOT NULL, CHECK (400 or 422).
    BadInput,
    /// Any other server error (500).
    Server,
    /// The server's reply made no sense (502).
    Protocol,
    /// The program asked for something impossible: a wrong column type, a missing row (500).
    Usage,
}

impl ErrorKind {
    /// The HTTP status a handler would usually answer with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorKind::Unavailable => 503,
            ErrorKind::Timeout => 504,
            ErrorKind::UniqueViolation | ErrorKind::Conflict => 409,
            ErrorKind::BadInput => 422,
            ErrorKind::Server | ErrorKind::Usage => 500,
            ErrorKind::Protocol => 502,
        }
    }
}

impl Error {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Connect(_)
            | Error::Backoff { .. }
            | Error::ConnectionLost(_)
            | Error::Closed
            | Error::Broken
            | Error::UnsupportedAuthentication(_)
            | Error::PasswordMissing
            | Error::Scram(_)
            | Error::Configuration(_) => ErrorKind::Unavailable,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Server(error) => error.kind(),
            Error::Protocol(_) | Error::ResultTooLarge(_) => ErrorKind::Protocol,
            Error::Encode(_) => ErrorKind::BadInput,
            Error::Column { .. }
            | Error::ColumnNotFound(_)
            | Error::ColumnIndex(_)
            | Error::NoRows
            | Error::TooManyRows
            | Error::TransactionAborted => ErrorKind::Usage,
        }
    }

    /// The server's error, when the server sent one.
    pub fn server_error(&self) -> Option<&ServerError> {
        match self {
            Error::Server(error) => Some(error),
            _ => None,
        }
    }

    /// Milliseconds after which a retry may succeed, for a `Retry-After` header.
    pub fn retry_after_ms(&self) -> Option<u64> {
        match self {
            Error::Backoff { retry_after_ms, .. } => Some(*retry_after_ms),
            _ if self.kind() == ErrorKind::Unavailable => Some(1000),
            _ => None,
        }
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Error::Connect(reason) => write!(formatter, "could not connect to the database: {reason}"),
            Error::Backoff { reason, retry_after_ms } => write!(
                formatter,
                "the database is unavailable (its last connection attempt failed: {reason}); the next attempt is in {retry_after_ms} ms"
            ),
            Error::ConnectionLost(kind) => write!(formatter, "the connection was lost: {kind:?}"),
            Error::Closed => formatter.write_str("the server closed the connection"),
            Error::Timeout(milliseconds) => {
                write!(formatter, "the operation did not finish within {milliseconds} ms")
            }
            Error::Server(error) => write!(formatter, "the server answered with an error: {error}"),
            Error::Protocol(error) => write!(
                formatter,
                "the server sent something this client cannot understand: {error}"
            ),
            Error::Encode(error) => write!(formatter, "the request cannot be encoded: {error}"),
            Error::UnsupportedAuthentication(method) => write!(
                formatter,
                "the server asks for authentication method {method}, which this client does not support"
            ),
            Error::PasswordMissing => {
                formatter.write_str("the server asks for a password and the configuration has none")
            }
            Error::Scram(error) => write!(formatter, "SCRAM authentication failed: {error}"),
            Error::Column { column, error } => {
                write!(formatter, "column {column} cannot be read: {error}")
            }
            Error::ColumnNotFound(name) => write!(formatter, "the result has no column named `{name}`"),
            Error::ColumnIndex(index) => write!(formatter, "the result has no column {index}"),
            Error::NoRows => formatter.write_str("the query returned no row"),
            Error::TooManyRows => formatter.write_str("the query returned more than one row"),
            Error::ResultTooLarge(limit) => {
                write!(formatter, "the result is larger than the limit of {limit} bytes")
            }
            Error::TransactionAborted => {
                formatter.write_str("the transaction had failed, so COMMIT rolled it back")
            }
            Error::Broken => formatter.write_str(
                "the connection failed during an earlier operation and cannot be used again",
            ),
            Error::Configuration(error) => write!(formatter, "the configuration is invalid: {error}"),
        }
    }
}

impl From<ProtocolError> for Error {
    fn from(error: ProtocolError) -> Self {
        Error::Protocol(error)
    }
}

impl From<EncodeError> for Error {
    fn from(error: EncodeError) -> Self {
        Error::Encode(error)
    }
}

impl From<ScramError> for Error {
    fn from(error: ScramError) -> Self {
        Error::Scram(error)
    }
}

impl From<ConfigurationError> for Error {
    fn from(error: ConfigurationError) -> Self {
        Error::Configuration(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(code: &str) -> Error {
        Error::Server(Box::new(ServerError {
            code: String::from(code),
            ..ServerError::default()
        }))
    }

    #[test]
    fn sqlstates_map_to_kinds_and_statuses() {
        assert_eq!(server("23505").kind(), ErrorKind::UniqueViolation);
        assert_eq!(server("23505").kind().http_status(), 409);
        assert_eq!(server("23503").kind(), ErrorKind::Conflict);
        assert_eq!(server("23502").kind(), ErrorKind::BadInput);
        assert_eq!(server("22P02").kind(), ErrorKind::BadInput);
        assert_eq!(server("28P01").kind(), ErrorKind::Unavailable);
        assert_eq!(server("57014").kind(), ErrorKind::Timeout);
        assert_eq!(server("42601").kind(), ErrorKind::Server);
        assert_eq!(server("").kind(), ErrorKind::Server);
        assert_eq!(Error::Timeout(5).kind().http_status(), 504);
        assert_eq!(Error::Closed.retry_after_ms(), Some(1000));
        assert_eq!(Error::NoRows.retry_after_ms(), None);
    }
}
