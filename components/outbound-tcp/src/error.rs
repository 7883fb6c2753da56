//! Why a connection could not be opened, or stopped working: each variant's doc is its message.
use core::fmt;

/// Opening a connection or resolving a name failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectError {
    /// every outbound connection slot is in use (see `max_connections`)
    TooManyConnections,
    /// every DNS lookup slot is in use
    TooManyLookups,
    /// the connection's buffers do not fit in the heap
    OutOfMemory,
    /// the network service is not running (the image's stack did not start it)
    NotRunning,
    /// the address or port cannot be connected to (port 0, an unspecified address, or no route)
    Unaddressable,
    /// the interface has no address yet (DHCP has not leased one)
    NoAddress,
    /// the server refused the connection (it answered with a reset)
    Refused,
    /// the connection was not established in time
    TimedOut,
    /// the name is not a valid DNS name
    InvalidName,
    /// no DNS server is configured (`dns` of outbound-tcp, or `dns=` on the command line)
    NoDnsServer,
    /// the DNS servers know no IPv4 address for the name
    NameNotFound,
    /// the DNS servers did not answer in time
    ResolveTimedOut,
}

impl ConnectError {
    /// The message, as in the variant's documentation.
    pub const fn message(self) -> &'static str {
        match self {
            Self::TooManyConnections => {
                "every outbound connection slot is in use (see `max_connections`)"
            }
            Self::TooManyLookups => "every DNS lookup slot is in use",
            Self::OutOfMemory => "the connection's buffers do not fit in the heap",
            Self::NotRunning => {
                "the network service is not running (the image's stack did not start it)"
            }
            Self::Unaddressable => {
                "the address or port cannot be connected to (port 0, an unspecified address, or no route)"
            }
            Self::NoAddress => "the interface has no address yet (DHCP has not leased one)",
            Self::Refused => "the server refused the connection (it answered with a reset)",
            Self::TimedOut => "the connection was not established in time",
            Self::InvalidName => "the name is not a valid DNS name",
            Self::NoDnsServer => {
                "no DNS server is configured (`dns` of outbound-tcp, or `dns=` on the command line)"
            }
            Self::NameNotFound => "the DNS servers know no IPv4 address for the name",
            Self::ResolveTimedOut => "the DNS servers did not answer in time",
        }
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.message())
    }
}

impl core::error::Error for ConnectError {}

/// A read, write or shutdown on an open connection failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamError {
    /// the connection was reset (by the server, or by a timeout of the stack)
    Reset,
    /// the connection was shut down for writing; nothing more can be sent
    WriteAfterShutdown,
}

impl fmt::Display for StreamError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::Reset => "the connection was reset (by the server, or by a timeout of the stack)",
            Self::WriteAfterShutdown => {
                "the connection was shut down for writing; nothing more can be sent"
            }
        })
    }
}

impl core::error::Error for StreamError {}

impl sauce_connect::Error for StreamError {
    fn kind(&self) -> sauce_connect::ErrorKind {
        match self {
            Self::Reset => sauce_connect::ErrorKind::ConnectionReset,
            Self::WriteAfterShutdown => sauce_connect::ErrorKind::NotConnected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn messages_are_the_variant_docs_and_kinds_match() {
        assert_eq!(
            ConnectError::TimedOut.to_string(),
            "the connection was not established in time"
        );
        assert_eq!(
            sauce_connect::Error::kind(&StreamError::Reset),
            sauce_connect::ErrorKind::ConnectionReset
        );
        assert!(StreamError::WriteAfterShutdown
            .to_string()
            .contains("shut down"));
    }
}
