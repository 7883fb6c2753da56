//! Rows of the binary protocol (`COM_STMT_EXECUTE`): a `0x00` header, a NULL bitmap offset
//! by two bits, then each non-NULL value in its type's fixed or length-encoded form.
use alloc::vec::Vec;

use super::column::{Column, ColumnType};
use super::error::ProtocolError;
use super::text_row::string_value;
use super::wire::Reader;
use crate::value::{Date, DateTime, Time, Value};

const WHAT: &str = "binary row";

/// Bytes of the NULL bitmap of a binary row with `columns` columns.
pub const fn row_bitmap_length(columns: usize) -> usize {
    (columns + 7 + 2) / 8
}

/// Decodes one binary row of `columns` into `output` (which is cleared first).
pub fn decode_binary_row(
    payload: &[u8],
    columns: &[Column],
    output: &mut Vec<Value>,
) -> Result<(), ProtocolError> {
    output.clear();
    let mut reader = Reader::new(payload, WHAT);
    if reader.u8()? != 0 {
        return Err(reader.malformed());
    }
    let bitmap = reader.bytes(row_bitmap_length(columns.len()))?;
    for (index, column) in columns.iter().enumerate() {
        let bit = index + 2;
        let is_null = bitmap
            .get(bit / 8)
            .is_some_and(|byte| byte & (1 << (bit % 8)) != 0);
        let value = if is_null {
            Value::Null
        } else {
            binary_value(column, &mut reader)?
        };
        output.push(value);
    }
    if !reader.is_empty() {
        return Err(reader.malformed());
    }
    Ok(())
}

fn binary_value(column: &Column, reader: &mut Reader<'_>) -> Result<Value, ProtocolError> {
    let unsigned = column.is_unsigned();
    Ok(match column.column_type {
        ColumnType::Tiny => {
            let byte = reader.u8()?;
            if unsigned {
                Value::UInt(u64::from(byte))
            } else {
                Value::Int(i64::from(byte as i8))
            }
        }
        ColumnType::Short | ColumnType::Year => {
            let number = reader.u16()?;
            if unsigned {
                Value::UInt(u64::from(number))
            } else {
                Value::Int(i64::from(number as i16))
            }
        }
        ColumnType::Long | ColumnType::Int24 => {
            let number = reader.u32()?;
            if unsigned {
                Value::UInt(u64::from(number))
            } else {
                Value::Int(i64::from(number as i32))
            }
        }
        ColumnType::LongLong => {
            let number = reader.u64()?;
            if unsigned {
                Value::UInt(number)
            } else {
                Value::Int(number as i64)
            }
        }
        ColumnType::Float => Value::Float(f32::from_le_bytes(reader.array()?)),
        ColumnType::Double => Value::Double(f64::from_le_bytes(reader.array()?)),
        ColumnType::Null => Value::Null,
        ColumnType::Date | ColumnType::NewDate => Value::Date(date_time(reader)?.date),
        ColumnType::DateTime
        | ColumnType::DateTime2
        | ColumnType::Timestamp
        | ColumnType::Timestamp2 => Value::DateTime(date_time(reader)?),
        ColumnType::Time | ColumnType::Time2 => Value::Time(time(reader)?),
        ColumnType::Decimal | ColumnType::NewDecimal => {
            let bytes = reader.length_encoded_bytes()?;
            let text = core::str::from_utf8(bytes).map_err(|_| reader.malformed())?;
            Value::Decimal(text.into())
        }
        ColumnType::Other(_) => return Err(reader.malformed()),
        _ => string_value(column, reader.length_encoded_bytes()?),
    })
}

/// A binary `DATE`/`DATETIME`/`TIMESTAMP`: a length (0, 4, 7 or 11), then the fields.
fn date_time(reader: &mut Reader<'_>) -> Result<DateTime, ProtocolError> {
    let length = reader.u8()?;
    let mut value = DateTime::default();
    if length >= 4 {
        value.date = Date {
            year: reader.u16()?,
            month: reader.u8()?,
            day: reader.u8()?,
        };
    }
    if length >= 7 {
        value.hour = reader.u8()?;
        value.minute = reader.u8()?;
        value.second = reader.u8()?;
    }
    if length >= 11 {
        value.microsecond = reader.u32()?;
    }
    if !matches!(length, 0 | 4 | 7 | 11) || !value.is_plausible() {
        return Err(reader.malformed());
    }
    Ok(value)
}

/// A binary `TIME`: a length (0, 8 or 12), sign, days, hours, minutes, seconds, microseconds.
fn time(reader: &mut Reader<'_>) -> Result<Time, ProtocolError> {
    let length = reader.u8()?;
    let mut value = Time::default();
    if length >= 8 {
        value.negative = match reader.u8()? {
            0 => false,
            1 => true,
            _ => return Err(reader.malformed()),
        };
        value.days = reader.u32()?;
        value.hours = reader.u8()?;
        value.minutes = reader.u8()?;
        value.seconds = reader.u8()?;
    }
    if length >= 12 {
        value.microseconds = reader.u32()?;
    }
    if !matches!(length, 0 | 8 | 12) || !value.is_plausible() {
        return Err(reader.malformed());
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::column::UNSIGNED_FLAG;
    use crate::protocol::text_row::tests::column;
    use proptest::prelude::*;

    #[test]
    fn a_row_with_every_fixed_width_type_decodes() {
        let columns = [
            column(ColumnType::Tiny, 0, 63),
            column(ColumnType::Tiny, UNSIGNED_FLAG, 63),
            column(ColumnType::Short, 0, 63),
            column(ColumnType::Long, UNSIGNED_FLAG, 63),
            column(ColumnType::LongLong, 0, 63),
            column(ColumnType::Float, 0, 63),
            column(ColumnType::Double, 0, 63),
            column(ColumnType::DateTime, 0, 63),
            column(ColumnType::Time, 0, 63),
            column(ColumnType::VarString, 0, 45),
            column(ColumnType::Blob, 0, 63),
        ];
        let mut payload = vec![0x00, 0b0000_0000, 0b0001_0000];
        payload.push(0x80);
        payload.push(0xff);
        payload.extend_from_slice(&(-2i16).to_le_bytes());
        payload.extend_from_slice(&u32::MAX.to_le_bytes());
        payload.extend_from_slice(&i64::MIN.to_le_bytes());
        payload.extend_from_slice(&1.5f32.to_le_bytes());
        payload.extend_from_slice(&(-0.25f64).to_le_bytes());
        payload.extend_from_slice(&[11, 0xe8, 0x07, 2, 29, 23, 59, 58]);
        payload.extend_from_slice(&7u32.to_le_bytes());
        payload.extend_from_slice(&[8, 1, 2, 0, 0, 0, 3, 4, 5]);
        payload.extend_from_slice(b"\x02hi");
        let mut values = Vec::new();
        decode_binary_row(&payload, &columns, &mut values).unwrap();
        assert_eq!(values[0], Value::Int(-128));
        assert_eq!(values[1], Value::UInt(255));
        assert_eq!(values[2], Value::Int(-2));
        assert_eq!(values[3], Value::UInt(u64::from(u32::MAX)));
        assert_eq!(values[4], Value::Int(i64::MIN));
        assert_eq!(values[5], Value::Float(1.5));
        assert_eq!(values[6], Value::Double(-0.25));
        let expected = DateTime::new(Date::new(2024, 2, 29).unwrap(), 23, 59, 58, 7).unwrap();
        assert_eq!(values[7], Value::DateTime(expected));
        assert_eq!(
            values[8],
            Value::Time(Time::new(true, 2, 3, 4, 5, 0).unwrap())
        );
        assert_eq!(values[9], Value::Text("hi".into()));
        assert_eq!(values[10], Value::Null);
    }

    #[test]
    fn bad_lengths_headers_and_trailing_bytes_are_malformed() {
        let columns = [column(ColumnType::Date, 0, 63)];
        let mut values = Vec::new();
        for payload in [
            &[0x00, 0x00, 5, 0, 0, 0, 0, 0][..],
            &[0x01, 0x00, 0][..],
            &[0x00, 0x00, 0, 9][..],
            &[0x00, 0x00, 4, 0xe8, 0x07, 13, 1][..],
            &[0x00][..],
        ] {
            assert!(decode_binary_row(payload, &columns, &mut values).is_err());
        }
        assert!(decode_binary_row(&[0x00, 0x00, 0], &columns, &mut values).is_ok());
        assert_eq!(values, [Value::Date(Date::default())]);
        let unknown = [column(ColumnType::Other(0x40), 0, 63)];
        assert!(decode_binary_row(&[0x00, 0x00, 1, b'x'], &unknown, &mut values).is_err());
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64), types in proptest::collection::vec(any::<u8>(), 0..12)) {
            let columns: Vec<Column> = types.iter().map(|&byte| column(ColumnType::from_byte(byte), 0, 45)).collect();
            let mut values = Vec::new();
            if decode_binary_row(&bytes, &columns, &mut values).is_ok() {
                prop_assert_eq!(values.len(), columns.len());
            }
        }
    }
}
