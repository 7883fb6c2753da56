//! Frontend (client → server) messages, appended to an output buffer.
//!
//! Every encoder either appends one whole message or leaves the buffer as it found it: a
//! statement with a NUL byte or a value out of range never leaves half a message behind.
use alloc::vec::Vec;

use crate::types::Parameter;

/// Protocol version 3.0 as the startup message spells it.
const PROTOCOL_VERSION: i32 = 196_608;

/// A message that cannot be encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodeError {
    /// {0} contains a NUL byte, which the protocol cannot carry
    ContainsNul(&'static str),
    /// a message is longer than the protocol's 2 GiB
    TooLong,
    /// {0} parameters; the protocol allows at most 65,535
    TooManyParameters(usize),
    /// {0} is out of the range Postgres can store
    OutOfRange(&'static str),
}

impl core::fmt::Display for EncodeError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            EncodeError::ContainsNul(what) => write!(
                formatter,
                "{what} contains a NUL byte, which the protocol cannot carry"
            ),
            EncodeError::TooLong => {
                formatter.write_str("a message is longer than the protocol's 2 GiB")
            }
            EncodeError::TooManyParameters(count) => write!(
                formatter,
                "{count} parameters; the protocol allows at most 65,535"
            ),
            EncodeError::OutOfRange(what) => {
                write!(formatter, "{what} is out of the range Postgres can store")
            }
        }
    }
}

/// Appends one message: the type byte (if any), a length, and what `body` writes.
fn message(
    buffer: &mut Vec<u8>,
    tag: Option<u8>,
    body: impl FnOnce(&mut Vec<u8>) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    let start = buffer.len();
    buffer.extend(tag);
    let length_at = buffer.len();
    buffer.extend_from_slice(&[0; 4]);
    let outcome = body(buffer)
        .and_then(|()| i32::try_from(buffer.len() - length_at).map_err(|_| EncodeError::TooLong));
    match outcome {
        Ok(length) => {
            buffer[length_at..length_at + 4].copy_from_slice(&length.to_be_bytes());
            Ok(())
        }
        Err(error) => {
            buffer.truncate(start);
            Err(error)
        }
    }
}

/// Appends `text` and a NUL terminator.
fn c_string(buffer: &mut Vec<u8>, text: &[u8], what: &'static str) -> Result<(), EncodeError> {
    if text.contains(&0) {
        return Err(EncodeError::ContainsNul(what));
    }
    buffer.extend_from_slice(text);
    buffer.push(0);
    Ok(())
}

/// The startup message with `parameters` (`user`, `database`, …).
pub fn startup(buffer: &mut Vec<u8>, parameters: &[(&str, &str)]) -> Result<(), EncodeError> {
    message(buffer, None, |buffer| {
        buffer.extend_from_slice(&PROTOCOL_VERSION.to_be_bytes());
        for (name, value) in parameters {
            c_string(buffer, name.as_bytes(), "a startup parameter name")?;
            c_string(buffer, value.as_bytes(), "a startup parameter value")?;
        }
        buffer.push(0);
        Ok(())
    })
}

/// `p`: a password (cleartext or md5 answer).
pub fn password(buffer: &mut Vec<u8>, password: &[u8]) -> Result<(), EncodeError> {
    message(buffer, Some(b'p'), |buffer| {
        c_string(buffer, password, "the password")
    })
}

/// `p`: the first SASL message, naming the mechanism.
pub fn sasl_initial_response(
    buffer: &mut Vec<u8>,
    mechanism: &str,
    data: &[u8],
) -> Result<(), EncodeError> {
    message(buffer, Some(b'p'), |buffer| {
        c_string(buffer, mechanism.as_bytes(), "a SASL mechanism")?;
        let length = i32::try_from(data.len()).map_err(|_| EncodeError::TooLong)?;
        buffer.extend_from_slice(&length.to_be_bytes());
        buffer.extend_from_slice(data);
        Ok(())
    })
}

/// `p`: a later SASL message.
pub fn sasl_response(buffer: &mut Vec<u8>, data: &[u8]) -> Result<(), EncodeError> {
    message(buffer, Some(b'p'), |buffer| {
        buffer.extend_from_slice(data);
        Ok(())
    })
}

/// `Q`: a simple query (one or more statements, no parameters).
pub fn query(buffer: &mut Vec<u8>, sql: &str) -> Result<(), EncodeError> {
    message(buffer, Some(b'Q'), |buffer| {
        c_string(buffer, sql.as_bytes(), "the statement")
    })
}

/// `P`: parses `sql` as the prepared statement `name` (empty: the unnamed one), with the
/// parameters' types taken from the values that will be bound.
pub fn parse(
    buffer: &mut Vec<u8>,
    name: &str,
    sql: &str,
    parameters: &[Parameter<'_>],
) -> Result<(), EncodeError> {
    let count = parameter_count(parameters)?;
    message(buffer, Some(b'P'), |buffer| {
        c_string(buffer, name.as_bytes(), "a statement name")?;
        c_string(buffer, sql.as_bytes(), "the statement")?;
        buffer.extend_from_slice(&count.to_be_bytes());
        for parameter in parameters {
            buffer.extend_from_slice(&parameter.type_oid().to_be_bytes());
        }
        Ok(())
    })
}

/// `B`: binds `parameters` to `statement` as `portal`; every result column comes back binary.
pub fn bind(
    buffer: &mut Vec<u8>,
    portal: &str,
    statement: &str,
    parameters: &[Parameter<'_>],
) -> Result<(), EncodeError> {
    let count = parameter_count(parameters)?;
    message(buffer, Some(b'B'), |buffer| {
        c_string(buffer, portal.as_bytes(), "a portal name")?;
        c_string(buffer, statement.as_bytes(), "a statement name")?;
        buffer.extend_from_slice(&count.to_be_bytes());
        for parameter in parameters {
            buffer.extend_from_slice(&parameter.format().to_be_bytes());
        }
        buffer.extend_from_slice(&count.to_be_bytes());
        for parameter in parameters {
            parameter.write(buffer)?;
        }
        buffer.extend_from_slice(&1u16.to_be_bytes());
        buffer.extend_from_slice(&1u16.to_be_bytes());
        Ok(())
    })
}

/// The number of parameters as the protocol's 16-bit count.
fn parameter_count(parameters: &[Parameter<'_>]) -> Result<u16, EncodeError> {
    u16::try_from(parameters.len()).map_err(|_| EncodeError::TooManyParameters(parameters.len()))
}

/// `D`: asks for the row description of `portal`.
pub fn describe_portal(buffer: &mut Vec<u8>, portal: &str) -> Result<(), EncodeError> {
    message(buffer, Some(b'D'), |buffer| {
        buffer.push(b'P');
        c_string(buffer, portal.as_bytes(), "a portal name")
    })
}

/// `E`: runs `portal`, returning at most `max_rows` rows (0: all).
pub fn execute(buffer: &mut Vec<u8>, portal: &str, max_rows: u32) -> Result<(), EncodeError> {
    message(buffer, Some(b'E'), |buffer| {
        c_string(buffer, portal.as_bytes(), "a portal name")?;
        buffer.extend_from_slice(&max_rows.to_be_bytes());
        Ok(())
    })
}

/// `S`: ends an extended-query cycle; the server answers `ReadyForQuery`.
pub fn sync(buffer: &mut Vec<u8>) {
    buffer.extend_from_slice(&[b'S', 0, 0, 0, 4]);
}

/// `X`: ends the session.
pub fn terminate(buffer: &mut Vec<u8>) {
    buffer.extend_from_slice(&[b'X', 0, 0, 0, 4]);
}
