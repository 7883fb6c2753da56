//! Why a server's bytes could not be decoded: the one error type of the protocol layer.
use core::fmt;

/// A reply that breaks the protocol (or a configured limit); each variant's doc is its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolError {
    /// the server's {0} ended early
    Truncated(&'static str),
    /// the server's {0} is malformed
    Malformed(&'static str),
    /// a packet arrived with sequence id {got} where {expected} was expected
    OutOfOrder {
        /// The sequence id the exchange was at.
        expected: u8,
        /// The sequence id the packet carried.
        got: u8,
    },
    /// a packet starting with byte 0x{byte:02x} arrived while waiting for {waiting_for}
    Unexpected {
        /// What the client was waiting for.
        waiting_for: &'static str,
        /// The packet's first byte.
        byte: u8,
    },
    /// the server speaks handshake protocol version {0}, not 10
    ProtocolVersion(u8),
    /// the server does not support {0}, which this client requires
    MissingCapability(&'static str),
    /// a reply of more than {limit} bytes exceeds the configured limit ({what})
    TooLarge {
        /// Which limit: packet, result, columns, parameters.
        what: &'static str,
        /// The configured limit.
        limit: usize,
    },
}

impl ProtocolError {
    /// Whether this is a configured limit rather than malformed bytes.
    pub const fn is_limit(&self) -> bool {
        matches!(self, ProtocolError::TooLarge { .. })
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::Truncated(what) => write!(formatter, "the server's {what} ended early"),
            ProtocolError::Malformed(what) => write!(formatter, "the server's {what} is malformed"),
            ProtocolError::OutOfOrder { expected, got } => write!(
                formatter,
                "a packet arrived with sequence id {got} where {expected} was expected"
            ),
            ProtocolError::Unexpected { waiting_for, byte } => write!(
                formatter,
                "a packet starting with byte 0x{byte:02x} arrived while waiting for {waiting_for}"
            ),
            ProtocolError::ProtocolVersion(version) => write!(
                formatter,
                "the server speaks handshake protocol version {version}, not 10"
            ),
            ProtocolError::MissingCapability(what) => write!(
                formatter,
                "the server does not support {what}, which this client requires"
            ),
            ProtocolError::TooLarge { what, limit } => write!(
                formatter,
                "a reply of more than {limit} bytes exceeds the configured limit ({what})"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn messages_name_the_field_and_the_numbers() {
        assert_eq!(
            ProtocolError::Truncated("OK packet").to_string(),
            "the server's OK packet ended early"
        );
        assert_eq!(
            ProtocolError::Unexpected {
                waiting_for: "a row",
                byte: 0xfb
            }
            .to_string(),
            "a packet starting with byte 0xfb arrived while waiting for a row"
        );
        assert!(ProtocolError::TooLarge {
            what: "packet",
            limit: 1
        }
        .is_limit());
        assert!(!ProtocolError::Malformed("row").is_limit());
    }
}
