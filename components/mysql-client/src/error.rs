//! The one error type of the crate: a [`kind`](Error::kind) a handler maps to an HTTP status,
//! and the [`Cause`] with the server's code, SQLSTATE and message when the server sent them.
use alloc::string::String;
use core::fmt;

mod causes;
mod classify;

pub use causes::{AuthenticationError, UsageError};

use crate::protocol::response::ServerError;
use crate::protocol::ProtocolError;

/// What kind of failure an [`Error`] is; the suggested HTTP status is in each variant's doc.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The database cannot be reached, refused the session, or the connection was lost:
    /// retry later (503 with `Retry-After`).
    Unavailable,
    /// The operation (or the server's statement) ran out of time (504).
    Timeout,
    /// The statement conflicts with existing data or another transaction: a duplicate key
    /// (1062), a deadlock, a row still referenced (409).
    Conflict,
    /// The server rejected a value: too long, out of range, `NULL` where none is allowed, a
    /// foreign key without a parent row (422).
    BadInput,
    /// Any other error the server reported, such as a syntax error (500).
    Server,
    /// The server's reply broke the protocol (502).
    Protocol,
    /// A reply exceeded a configured limit (500).
    Limit,
    /// The program used the client wrongly: wrong parameter count, a column read as the
    /// wrong type (500).
    Usage,
}

impl ErrorKind {
    /// The HTTP status a handler would usually answer with (the same table as the Postgres
    /// client's): 503, 504, 409, 422, 500, 502.
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorKind::Unavailable => 503,
            ErrorKind::Timeout => 504,
            ErrorKind::Conflict => 409,
            ErrorKind::BadInput => 422,
            ErrorKind::Server | ErrorKind::Limit | ErrorKind::Usage => 500,
            ErrorKind::Protocol => 502,
        }
    }
}

/// Why an operation failed; each variant's doc is its message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// {0} (the server's code, SQLSTATE and message)
    Server(ServerError),
    /// the connection failed ({0:?})
    Io(sauce_connect::ErrorKind),
    /// the server closed the connection
    Closed,
    /// could not connect: {0}
    Connect(String),
    /// {0}
    Protocol(ProtocolError),
    /// authentication failed: {0}
    Authentication(AuthenticationError),
    /// {0}
    Usage(UsageError),
    /// the operation did not finish within {0} ms
    TimedOut(u64),
    /// the database is unavailable ({last}); next attempt in {retry_after_ms} ms
    Backoff {
        /// Milliseconds until the pool tries to connect again.
        retry_after_ms: u64,
        /// Why the last attempt failed.
        last: String,
    },
    /// no pooled connection became free within {0} ms
    PoolBusy(u64),
    /// too many tasks are already waiting for a pooled connection
    TooManyWaiters,
}

/// An error of this crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    cause: Cause,
}

impl Error {
    /// An error of `kind` with `cause`.
    pub(crate) const fn new(kind: ErrorKind, cause: Cause) -> Error {
        Error { kind, cause }
    }

    /// What kind of failure this is.
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Why it happened.
    pub const fn cause(&self) -> &Cause {
        &self.cause
    }

    /// The server's error, when the server reported this one.
    pub const fn server(&self) -> Option<&ServerError> {
        match &self.cause {
            Cause::Server(error) => Some(error),
            _ => None,
        }
    }

    /// The server's error code (1062 for a duplicate key), when the server reported this error.
    pub fn code(&self) -> Option<u16> {
        self.server().map(|error| error.code)
    }

    /// The server's SQLSTATE, when the server reported this error.
    pub fn sql_state(&self) -> Option<&str> {
        self.server().map(|error| error.sql_state.as_str())
    }

    /// Milliseconds after which retrying makes sense, for a `Retry-After` header.
    pub const fn retry_after_ms(&self) -> Option<u64> {
        match &self.cause {
            Cause::Backoff { retry_after_ms, .. } => Some(*retry_after_ms),
            _ => None,
        }
    }

    /// Whether the connection is gone (so the pool also drops its idle siblings).
    pub(crate) const fn is_connection_lost(&self) -> bool {
        matches!(self.cause, Cause::Io(_) | Cause::Closed)
    }

    /// An error the server reported.
    pub(crate) fn server_error(error: ServerError) -> Error {
        Error::new(classify::classify(&error), Cause::Server(error))
    }

    /// A stream failure.
    pub(crate) fn io(kind: sauce_connect::ErrorKind) -> Error {
        Error::new(ErrorKind::Unavailable, Cause::Io(kind))
    }

    /// A misuse of the API.
    pub(crate) const fn usage(error: UsageError) -> Error {
        Error::new(ErrorKind::Usage, Cause::Usage(error))
    }

    /// A failure of authentication on the client's side.
    pub(crate) const fn authentication(error: AuthenticationError) -> Error {
        Error::new(ErrorKind::Unavailable, Cause::Authentication(error))
    }

    /// An operation that ran out of time.
    pub(crate) const fn timed_out(milliseconds: u64) -> Error {
        Error::new(ErrorKind::Timeout, Cause::TimedOut(milliseconds))
    }
}

impl From<ProtocolError> for Error {
    fn from(error: ProtocolError) -> Error {
        let kind = if error.is_limit() {
            ErrorKind::Limit
        } else {
            ErrorKind::Protocol
        };
        Error::new(kind, Cause::Protocol(error))
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Server(error) => write!(formatter, "{error}"),
            Cause::Io(kind) => write!(formatter, "the connection failed ({kind:?})"),
            Cause::Closed => formatter.write_str("the server closed the connection"),
            Cause::Connect(reason) => write!(formatter, "could not connect: {reason}"),
            Cause::Protocol(error) => write!(formatter, "{error}"),
            Cause::Authentication(error) => write!(formatter, "authentication failed: {error}"),
            Cause::Usage(error) => write!(formatter, "{error}"),
            Cause::TimedOut(milliseconds) => write!(
                formatter,
                "the operation did not finish within {milliseconds} ms"
            ),
            Cause::Backoff {
                retry_after_ms,
                last,
            } => write!(
                formatter,
                "the database is unavailable ({last}); next attempt in {retry_after_ms} ms"
            ),
            Cause::PoolBusy(milliseconds) => write!(
                formatter,
                "no pooled connection became free within {milliseconds} ms"
            ),
            Cause::TooManyWaiters => {
                formatter.write_str("too many tasks are already waiting for a pooled connection")
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cause.fmt(formatter)
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn server_errors_keep_their_fields_and_get_a_kind() {
        let error = Error::server_error(ServerError {
            code: 1062,
            sql_state: "23000".into(),
            message: "Duplicate entry 'a' for key 'PRIMARY'".into(),
        });
        assert_eq!(error.kind(), ErrorKind::Conflict);
        assert_eq!(error.kind().http_status(), 409);
        assert_eq!(error.code(), Some(1062));
        assert_eq!(error.sql_state(), Some("23000"));
        assert_eq!(
            error.to_string(),
            "server error 1062 (23000): Duplicate entry 'a' for key 'PRIMARY'"
        );
        assert!(!error.is_connection_lost());
    }

    #[test]
    fn other_causes_have_kinds_and_messages() {
        let lost = Error::io(sauce_connect::ErrorKind::ConnectionReset);
        assert_eq!(lost.kind(), ErrorKind::Unavailable);
        assert_eq!(lost.kind().http_status(), 503);
        assert!(lost.is_connection_lost());
        assert_eq!(lost.code(), None);
        assert_eq!(
            Error::from(ProtocolError::TooLarge {
                what: "result",
                limit: 10
            })
            .kind(),
            ErrorKind::Limit
        );
        assert_eq!(
            Error::from(ProtocolError::Malformed("row")).kind(),
            ErrorKind::Protocol
        );
        let backoff = Error::new(
            ErrorKind::Unavailable,
            Cause::Backoff {
                retry_after_ms: 400,
                last: "connection refused".into(),
            },
        );
        assert_eq!(backoff.retry_after_ms(), Some(400));
        assert_eq!(
            backoff.to_string(),
            "the database is unavailable (connection refused); next attempt in 400 ms"
        );
        assert_eq!(
            Error::timed_out(200).to_string(),
            "the operation did not finish within 200 ms"
        );
    }
}
