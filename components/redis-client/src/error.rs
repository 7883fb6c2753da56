//! What can go wrong, and what kind of wrong it is for a handler deciding an HTTP status.
use alloc::string::String;

use crate::configuration::ConfigurationError;
use crate::resp::ProtocolError;

/// The error of every operation of this crate.
#[derive(Debug)]
pub enum Error {
    /// could not connect to Redis: {0}
    Connect(String),
    /// Redis is unavailable (its last connection attempt failed: {reason}); the next attempt
    /// is in {retry_after_ms} ms
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
    Server(ServerError),
    /// the server sent something this client cannot understand: {0}
    Protocol(ProtocolError),
    /// the reply has an unexpected type: expected {0}
    UnexpectedReply(&'static str),
    /// the connection failed during an earlier operation and cannot be used again
    Broken,
    /// the configuration is invalid: {0}
    Configuration(ConfigurationError),
}

/// An error reply (`-WRONGTYPE Operation against a key …`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerError {
    /// The whole error line.
    pub message: String,
}

impl ServerError {
    /// The error code: the first word (`ERR`, `WRONGTYPE`, `NOAUTH`, `WRONGPASS`, …).
    pub fn code(&self) -> &str {
        self.message.split(' ').next().unwrap_or_default()
    }
}

impl core::fmt::Display for ServerError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.write_str(&self.message)
    }
}

/// What kind of failure an [`Error`] is: the part a handler maps to a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Redis cannot be reached, refused the login, or is loading or busy (503).
    Unavailable,
    /// The operation ran out of time (504).
    Timeout,
    /// Any other error reply (500).
    Server,
    /// The server's reply made no sense (502).
    Protocol,
    /// The program asked for something the reply does not fit, such as an integer from a
    /// string reply (500).
    Usage,
}

impl ErrorKind {
    /// The HTTP status a handler would usually answer with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorKind::Unavailable => 503,
            ErrorKind::Timeout => 504,
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
            | Error::Configuration(_) => ErrorKind::Unavailable,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Server(error) => match error.code() {
                "NOAUTH" | "WRONGPASS" | "NOPERM" | "LOADING" | "BUSY" | "MASTERDOWN"
                | "TRYAGAIN" | "CLUSTERDOWN" | "READONLY" | "OOM" => ErrorKind::Unavailable,
                _ => ErrorKind::Server,
            },
            Error::Protocol(_) => ErrorKind::Protocol,
            Error::UnexpectedReply(_) => ErrorKind::Usage,
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
            Error::Connect(reason) => write!(formatter, "could not connect to Redis: {reason}"),
            Error::Backoff { reason, retry_after_ms } => write!(
                formatter,
                "Redis is unavailable (its last connection attempt failed: {reason}); the next attempt is in {retry_after_ms} ms"
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
            Error::UnexpectedReply(expected) => {
                write!(formatter, "the reply has an unexpected type: expected {expected}")
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

impl From<ConfigurationError> for Error {
    fn from(error: ConfigurationError) -> Self {
        Error::Configuration(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_map_to_kinds() {
        let server = |message: &str| {
            Error::Server(ServerError {
                message: message.into(),
            })
        };
        assert_eq!(
            server("WRONGPASS invalid username-password pair").kind(),
            ErrorKind::Unavailable
        );
        assert_eq!(server("LOADING Redis is loading").kind().http_status(), 503);
        assert_eq!(
            server("WRONGTYPE Operation against a key").kind(),
            ErrorKind::Server
        );
        assert_eq!(
            server("ERR syntax error").server_error().unwrap().code(),
            "ERR"
        );
        assert_eq!(Error::Timeout(3).kind().http_status(), 504);
        assert_eq!(
            Error::UnexpectedReply("an integer").kind(),
            ErrorKind::Usage
        );
    }
}
