//! Errors of authentication and of using the client wrongly.
use alloc::string::String;
use core::fmt;

#[cfg(feature = "rsa")]
use crate::protocol::public_key::PublicKeyError;
use crate::value::ConversionError;

/// Why authentication failed on the client's side; each variant's doc is its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthenticationError {
    /// the server asks for authentication plugin `{0}`, which this client does not implement
    UnsupportedPlugin(String),
    /// the server needs the whole password over a plain connection: pin its public key
    /// (`Options::server_public_key`) or allow retrieving it
    PublicKeyRetrievalDisabled,
    /// {0}
    #[cfg(feature = "rsa")]
    PublicKey(PublicKeyError),
    /// full `caching_sha2_password` authentication needs this crate's `rsa` feature
    RsaDisabled,
    /// the server asked for more than 8 authentication exchanges
    TooManyRounds,
}

impl fmt::Display for AuthenticationError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthenticationError::UnsupportedPlugin(name) => write!(
                formatter,
                "the server asks for authentication plugin `{name}`, which this client does not implement"
            ),
            AuthenticationError::PublicKeyRetrievalDisabled => formatter.write_str(
                "the server needs the whole password over a plain connection: pin its public key \
                 (`Options::server_public_key`) or allow retrieving it",
            ),
            #[cfg(feature = "rsa")]
            AuthenticationError::PublicKey(error) => write!(formatter, "{error}"),
            AuthenticationError::RsaDisabled => formatter.write_str(
                "full `caching_sha2_password` authentication needs this crate's `rsa` feature",
            ),
            AuthenticationError::TooManyRounds => {
                formatter.write_str("the server asked for more than 8 authentication exchanges")
            }
        }
    }
}

/// A mistake in how the client was used; each variant's doc is its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UsageError {
    /// the statement has {expected} parameters but {given} were given
    ParameterCount {
        /// Placeholders in the statement.
        expected: usize,
        /// Parameters passed.
        given: usize,
    },
    /// column {column}: {error}
    Conversion {
        /// The column's name (or index).
        column: String,
        /// What went wrong.
        error: ConversionError,
    },
    /// the result has no column {0}
    NoSuchColumn(String),
    /// an earlier operation on this connection was interrupted or failed; it cannot be used
    ConnectionBroken,
    /// user, password and database names cannot contain NUL bytes
    NulInSetting,
    /// the statement was prepared on another connection
    ForeignStatement,
    /// the URL is invalid: {0}
    InvalidUrl(&'static str),
}

impl fmt::Display for UsageError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::ParameterCount { expected, given } => write!(
                formatter,
                "the statement has {expected} parameters but {given} were given"
            ),
            UsageError::Conversion { column, error } => {
                write!(formatter, "column {column}: {error}")
            }
            UsageError::NoSuchColumn(column) => {
                write!(formatter, "the result has no column {column}")
            }
            UsageError::ConnectionBroken => formatter.write_str(
                "an earlier operation on this connection was interrupted or failed; it cannot be used",
            ),
            UsageError::NulInSetting => {
                formatter.write_str("user, password and database names cannot contain NUL bytes")
            }
            UsageError::ForeignStatement => {
                formatter.write_str("the statement was prepared on another connection")
            }
            UsageError::InvalidUrl(reason) => write!(formatter, "the URL is invalid: {reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn messages_say_what_to_do() {
        assert_eq!(
            AuthenticationError::UnsupportedPlugin("client_ed25519".into()).to_string(),
            "the server asks for authentication plugin `client_ed25519`, which this client does not implement"
        );
        assert_eq!(
            UsageError::ParameterCount {
                expected: 2,
                given: 1
            }
            .to_string(),
            "the statement has 2 parameters but 1 were given"
        );
        assert_eq!(
            UsageError::Conversion {
                column: "`id`".into(),
                error: ConversionError::Null
            }
            .to_string(),
            "column `id`: the value is NULL; read it as an `Option`"
        );
    }
}
