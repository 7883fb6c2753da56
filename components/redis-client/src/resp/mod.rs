//! RESP2 and RESP3 without I/O: replies decoded from a byte buffer, commands encoded into one.
//!
//! Decoding is two passes. [`scan`] walks the front of the buffer without allocating and says
//! whether a whole reply is there (and how long it is, or how many bytes it needs at least);
//! only then [`decode`] builds the [`Value`]. So a declared length or element count is never
//! trusted for an allocation: every element is already in the buffer when it is built, and a
//! reply longer than [`Limits::max_reply_bytes`] is refused as soon as its size is known.
mod decode;
mod encode;
mod value;

pub use decode::{decode, scan, Scan};
pub use encode::{encode_command, IntegerText};
pub use value::Value;

/// Bounds on what one reply may make the client hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The longest reply accepted, in encoded bytes.
    pub max_reply_bytes: usize,
    /// The deepest nesting of arrays, maps, sets and pushes.
    pub max_depth: usize,
}

impl Limits {
    /// 16 MiB replies, nesting 32 deep.
    pub const DEFAULT: Limits = Limits {
        max_reply_bytes: 16 << 20,
        max_depth: 32,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// A reply that could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolError {
    /// an unknown type byte {0:#04x}
    UnknownType(u8),
    /// a line is not terminated by CR LF
    LineEnding,
    /// a length or count is malformed
    Length,
    /// an integer is malformed
    Integer,
    /// a double is malformed
    Double,
    /// a boolean is neither `t` nor `f`
    Boolean,
    /// a reply is larger than the limit of {0} bytes
    TooLarge(usize),
    /// replies nest deeper than the limit of {0}
    TooDeep(usize),
    /// a verbatim string lacks its `xxx:` format prefix
    Verbatim,
}

impl core::fmt::Display for ProtocolError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ProtocolError::UnknownType(byte) => {
                write!(formatter, "an unknown type byte {byte:#04x}")
            }
            ProtocolError::LineEnding => formatter.write_str("a line is not terminated by CR LF"),
            ProtocolError::Length => formatter.write_str("a length or count is malformed"),
            ProtocolError::Integer => formatter.write_str("an integer is malformed"),
            ProtocolError::Double => formatter.write_str("a double is malformed"),
            ProtocolError::Boolean => formatter.write_str("a boolean is neither `t` nor `f`"),
            ProtocolError::TooLarge(limit) => {
                write!(
                    formatter,
                    "a reply is larger than the limit of {limit} bytes"
                )
            }
            ProtocolError::TooDeep(limit) => {
                write!(formatter, "replies nest deeper than the limit of {limit}")
            }
            ProtocolError::Verbatim => {
                formatter.write_str("a verbatim string lacks its `xxx:` format prefix")
            }
        }
    }
}

#[cfg(test)]
mod tests;
