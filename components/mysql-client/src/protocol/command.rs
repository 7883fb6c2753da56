//! Commands of the command phase, and the prepared-statement packets: `COM_STMT_PREPARE`'s
//! OK reply and `COM_STMT_EXECUTE` with its typed parameters.
use alloc::vec::Vec;

use super::column::ColumnType;
use super::error::ProtocolError;
use super::wire::{self, Reader};
use crate::param::Param;
use crate::value::{DateTime, Time};

/// `COM_QUIT`: close the connection.
pub const QUIT: u8 = 0x01;
/// `COM_INIT_DB`: change the default database.
pub const INIT_DB: u8 = 0x02;
/// `COM_QUERY`: run SQL text (text protocol).
pub const QUERY: u8 = 0x03;
/// `COM_PING`: check the connection.
pub const PING: u8 = 0x0e;
/// `COM_STMT_PREPARE`: prepare a statement.
pub const STATEMENT_PREPARE: u8 = 0x16;
/// `COM_STMT_EXECUTE`: run a prepared statement (binary protocol).
pub const STATEMENT_EXECUTE: u8 = 0x17;
/// `COM_STMT_CLOSE`: free a prepared statement (the server sends no reply).
pub const STATEMENT_CLOSE: u8 = 0x19;

/// The parameter-type flag of unsigned integers.
const UNSIGNED_PARAMETER: u8 = 0x80;

/// Appends a command that is its code followed by text or nothing (`COM_QUERY`,
/// `COM_INIT_DB`, `COM_STMT_PREPARE`, `COM_PING`, `COM_QUIT`).
pub fn encode_simple(command: u8, argument: &[u8], output: &mut Vec<u8>) {
    output.push(command);
    output.extend_from_slice(argument);
}

/// Appends `COM_STMT_CLOSE` for statement `id`.
pub fn encode_statement_close(id: u32, output: &mut Vec<u8>) {
    output.push(STATEMENT_CLOSE);
    wire::put_u32(output, id);
}

/// The server's reply to `COM_STMT_PREPARE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrepareOk {
    /// The statement's id on this connection.
    pub statement_id: u32,
    /// Columns of its result set (0 for statements without rows).
    pub columns: u16,
    /// `?` placeholders.
    pub parameters: u16,
    /// Warnings raised by preparing.
    pub warnings: u16,
}

/// Decodes `COM_STMT_PREPARE_OK`.
pub fn decode_prepare_ok(payload: &[u8]) -> Result<PrepareOk, ProtocolError> {
    let mut reader = Reader::new(payload, "prepare reply");
    let header = reader.u8()?;
    if header != 0 {
        return Err(ProtocolError::Unexpected {
            waiting_for: "a prepare reply",
            byte: header,
        });
    }
    let statement_id = reader.u32()?;
    let columns = reader.u16()?;
    let parameters = reader.u16()?;
    reader.skip(1)?;
    let warnings = if reader.is_empty() { 0 } else { reader.u16()? };
    Ok(PrepareOk {
        statement_id,
        columns,
        parameters,
        warnings,
    })
}

/// Appends `COM_STMT_EXECUTE` for statement `id` with `params` bound (no cursor, one
/// iteration, types sent every time).
pub fn encode_execute(id: u32, params: &[Param<'_>], output: &mut Vec<u8>) {
    output.push(STATEMENT_EXECUTE);
    wire::put_u32(output, id);
    output.push(0);
    wire::put_u32(output, 1);
    if params.is_empty() {
        return;
    }
    let bitmap_start = output.len();
    output.resize(bitmap_start + params.len().div_ceil(8), 0);
    for (index, param) in params.iter().enumerate() {
        if matches!(param, Param::Null) {
            if let Some(byte) = output.get_mut(bitmap_start + index / 8) {
                *byte |= 1 << (index % 8);
            }
        }
    }
    output.push(1);
    for param in params {
        let (column_type, flag) = parameter_type(param);
        output.push(column_type.byte());
        output.push(flag);
    }
    for param in params {
        encode_value(param, output);
    }
}

fn parameter_type(param: &Param<'_>) -> (ColumnType, u8) {
    match param {
        Param::Null => (ColumnType::Null, 0),
        Param::Int(_) => (ColumnType::LongLong, 0),
        Param::UInt(_) => (ColumnType::LongLong, UNSIGNED_PARAMETER),
        Param::Float(_) => (ColumnType::Float, 0),
        Param::Double(_) => (ColumnType::Double, 0),
        Param::Decimal(_) => (ColumnType::NewDecimal, 0),
        Param::Text(_) => (ColumnType::VarString, 0),
        Param::Bytes(_) => (ColumnType::Blob, 0),
        Param::Date(_) => (ColumnType::Date, 0),
        Param::DateTime(_) => (ColumnType::DateTime, 0),
        Param::Time(_) => (ColumnType::Time, 0),
    }
}

fn encode_value(param: &Param<'_>, output: &mut Vec<u8>) {
    match param {
        Param::Null => {}
        Param::Int(number) => wire::put_u64(output, *number as u64),
        Param::UInt(number) => wire::put_u64(output, *number),
        Param::Float(number) => output.extend_from_slice(&number.to_le_bytes()),
        Param::Double(number) => output.extend_from_slice(&number.to_le_bytes()),
        Param::Decimal(text) | Param::Text(text) => {
            wire::put_length_encoded_bytes(output, text.as_bytes());
        }
        Param::Bytes(bytes) => wire::put_length_encoded_bytes(output, bytes),
        Param::Date(date) => {
            output.push(4);
            wire::put_u16(output, date.year);
            output.extend_from_slice(&[date.month, date.day]);
        }
        Param::DateTime(date_time) => encode_date_time(date_time, output),
        Param::Time(time) => encode_time(time, output),
    }
}

fn encode_date_time(value: &DateTime, output: &mut Vec<u8>) {
    let with_microseconds = value.microsecond != 0;
    output.push(if with_microseconds { 11 } else { 7 });
    wire::put_u16(output, value.date.year);
    output.extend_from_slice(&[
        value.date.month,
        value.date.day,
        value.hour,
        value.minute,
        value.second,
    ]);
    if with_microseconds {
        wire::put_u32(output, value.microsecond);
    }
}

fn encode_time(value: &Time, output: &mut Vec<u8>) {
    let with_microseconds = value.microseconds != 0;
    output.push(if with_microseconds { 12 } else { 8 });
    output.push(u8::from(value.negative));
    wire::put_u32(output, value.days);
    output.extend_from_slice(&[value.hours, value.minutes, value.seconds]);
    if with_microseconds {
        wire::put_u32(output, value.microseconds);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Date;
    use proptest::prelude::*;

    #[test]
    fn execute_carries_bitmap_types_and_values() {
        let mut output = Vec::new();
        let date = DateTime::new(Date::new(2024, 5, 6).unwrap(), 7, 8, 9, 0).unwrap();
        encode_execute(
            9,
            &[
                Param::Int(-1),
                Param::Null,
                Param::UInt(2),
                Param::Text("a'b"),
                Param::DateTime(date),
            ],
            &mut output,
        );
        let mut expected = vec![0x17, 9, 0, 0, 0, 0, 1, 0, 0, 0];
        expected.push(0b0000_0010);
        expected.push(1);
        expected.extend_from_slice(&[0x08, 0, 0x06, 0, 0x08, 0x80, 0xfd, 0, 0x0c, 0]);
        expected.extend_from_slice(&[0xff; 8]);
        expected.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0]);
        expected.extend_from_slice(b"\x03a'b");
        expected.extend_from_slice(&[7, 0xe8, 0x07, 5, 6, 7, 8, 9]);
        assert_eq!(output, expected);
    }

    #[test]
    fn execute_without_parameters_stops_after_the_iteration_count() {
        let mut output = Vec::new();
        encode_execute(1, &[], &mut output);
        assert_eq!(output, [0x17, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
    }

    #[test]
    fn times_with_microseconds_use_the_long_form() {
        let mut output = Vec::new();
        encode_time(&Time::new(true, 1, 2, 3, 4, 5).unwrap(), &mut output);
        assert_eq!(output, [12, 1, 1, 0, 0, 0, 2, 3, 4, 5, 0, 0, 0]);
    }

    #[test]
    fn prepare_ok_decodes_with_and_without_warnings() {
        let reply = decode_prepare_ok(&[0, 5, 0, 0, 0, 2, 0, 3, 0, 0, 1, 0]).unwrap();
        assert_eq!(
            reply,
            PrepareOk {
                statement_id: 5,
                columns: 2,
                parameters: 3,
                warnings: 1
            }
        );
        assert_eq!(
            decode_prepare_ok(&[0, 5, 0, 0, 0, 2, 0, 3, 0, 0])
                .unwrap()
                .warnings,
            0
        );
        assert!(decode_prepare_ok(&[0, 5, 0]).is_err());
        assert!(decode_prepare_ok(&[0xff, 5, 0]).is_err());
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
            let _ = decode_prepare_ok(&bytes);
        }
    }
}
