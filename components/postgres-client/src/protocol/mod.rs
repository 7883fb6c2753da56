//! Protocol 3.0 as pure functions over byte buffers: framing, backend decoding, frontend encoding.
//!
//! Nothing here performs I/O or allocates on behalf of the server: decoding borrows from the
//! receive buffer, and a frame longer than the caller's limit is refused from its 5-byte
//! header, before any of its body is buffered.
mod backend;
mod fields;
mod frontend;
mod reader;
mod views;

pub use backend::{parse, Authentication, BackendMessage, TransactionStatus};
pub use fields::Fields;
pub use frontend::{
    bind, describe_portal, execute, parse as parse_statement, password, query,
    sasl_initial_response, sasl_response, startup, sync, terminate, EncodeError,
};
pub(crate) use reader::Reader;
pub use views::{DataRow, FieldDescription, Mechanisms, RowDescription};

/// A backend message that could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolError {
    /// a message declared a length below 4
    InvalidLength(i32),
    /// a {length}-byte message is larger than the limit of {limit} bytes
    TooLarge {
        /// The declared length.
        length: usize,
        /// The configured limit.
        limit: usize,
    },
    /// the message ended early: {0}
    Truncated(&'static str),
    /// bytes left over after the message: {0}
    TrailingBytes(&'static str),
    /// text that is not UTF-8: {0}
    NotUtf8(&'static str),
    /// a value out of range: {0}
    InvalidValue(&'static str),
    /// an unknown message type {0:#04x}
    UnknownMessage(u8),
    /// an unexpected message type {0:#04x} at this point of the conversation
    Unexpected(u8),
}

impl core::fmt::Display for ProtocolError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ProtocolError::InvalidLength(length) => {
                write!(
                    formatter,
                    "a message declared a length of {length}, below 4"
                )
            }
            ProtocolError::TooLarge { length, limit } => write!(
                formatter,
                "a {length}-byte message is larger than the limit of {limit} bytes"
            ),
            ProtocolError::Truncated(what) => write!(formatter, "{what} ended early"),
            ProtocolError::TrailingBytes(what) => {
                write!(formatter, "bytes left over after {what}")
            }
            ProtocolError::NotUtf8(what) => write!(formatter, "{what} is not UTF-8"),
            ProtocolError::InvalidValue(what) => write!(formatter, "{what} is out of range"),
            ProtocolError::UnknownMessage(tag) => {
                write!(formatter, "an unknown message type {tag:#04x}")
            }
            ProtocolError::Unexpected(tag) => write!(
                formatter,
                "an unexpected message type {tag:#04x} at this point of the conversation"
            ),
        }
    }
}

/// What the front of a receive buffer holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// Not a whole message yet: the buffer must hold at least `needed` bytes in all.
    Incomplete {
        /// Total bytes the buffer must hold before the message is complete.
        needed: usize,
    },
    /// A whole message of `length` bytes (type byte and length field included).
    Complete {
        /// The message type.
        tag: u8,
        /// Bytes from the type byte to the end of the body.
        length: usize,
    },
}

/// Looks at the front of `buffer`: is there a whole message, and how long is it? A message
/// whose declared body is longer than `limit` bytes is an error.
pub fn frame(buffer: &[u8], limit: usize) -> Result<Frame, ProtocolError> {
    let Some(header) = buffer.get(..5) else {
        return Ok(Frame::Incomplete { needed: 5 });
    };
    let tag = header[0];
    let declared = i32::from_be_bytes([header[1], header[2], header[3], header[4]]);
    let body = usize::try_from(declared)
        .ok()
        .and_then(|length| length.checked_sub(4))
        .ok_or(ProtocolError::InvalidLength(declared))?;
    if body > limit {
        return Err(ProtocolError::TooLarge {
            length: body,
            limit,
        });
    }
    let length = body + 5;
    if buffer.len() < length {
        Ok(Frame::Incomplete { needed: length })
    } else {
        Ok(Frame::Complete { tag, length })
    }
}

/// Decodes the message at the front of `buffer`, if it is whole: the message and the number of
/// bytes it took.
pub fn decode(
    buffer: &[u8],
    limit: usize,
) -> Result<Option<(BackendMessage<'_>, usize)>, ProtocolError> {
    match frame(buffer, limit)? {
        Frame::Incomplete { .. } => Ok(None),
        Frame::Complete { tag, length } => {
            let body = buffer
                .get(5..length)
                .ok_or(ProtocolError::Truncated("a frame"))?;
            Ok(Some((parse(tag, body)?, length)))
        }
    }
}

#[cfg(test)]
mod tests;
