//! Rows of the text protocol (`COM_QUERY`): every value a length-encoded string or `0xfb` for
//! NULL, turned into typed [`Value`]s by the column's type.
use alloc::string::String;
use alloc::vec::Vec;

use super::column::{Column, ColumnType};
use super::error::ProtocolError;
use super::wire::Reader;
use crate::value::{Date, DateTime, Time, Value};

const WHAT: &str = "text row";

/// Decodes one text row of `columns` into `output` (which is cleared first).
pub fn decode_text_row(
    payload: &[u8],
    columns: &[Column],
    output: &mut Vec<Value>,
) -> Result<(), ProtocolError> {
    output.clear();
    let mut reader = Reader::new(payload, WHAT);
    for column in columns {
        let value = match reader.nullable_bytes()? {
            None => Value::Null,
            Some(bytes) => text_value(column, bytes)?,
        };
        output.push(value);
    }
    if !reader.is_empty() {
        return Err(reader.malformed());
    }
    Ok(())
}

/// The typed value of `bytes`, a value of `column` in text form.
pub fn text_value(column: &Column, bytes: &[u8]) -> Result<Value, ProtocolError> {
    let malformed = ProtocolError::Malformed(WHAT);
    let ascii = || core::str::from_utf8(bytes).map_err(|_| malformed);
    Ok(match column.column_type {
        ColumnType::Tiny
        | ColumnType::Short
        | ColumnType::Long
        | ColumnType::Int24
        | ColumnType::LongLong
        | ColumnType::Year => {
            if column.is_unsigned() {
                Value::UInt(ascii()?.parse().map_err(|_| malformed)?)
            } else {
                Value::Int(ascii()?.parse().map_err(|_| malformed)?)
            }
        }
        ColumnType::Float => Value::Float(ascii()?.parse().map_err(|_| malformed)?),
        ColumnType::Double => Value::Double(ascii()?.parse().map_err(|_| malformed)?),
        ColumnType::Decimal | ColumnType::NewDecimal => Value::Decimal(String::from(ascii()?)),
        ColumnType::Date | ColumnType::NewDate => Value::Date(Date::parse(bytes).ok_or(malformed)?),
        ColumnType::DateTime
        | ColumnType::DateTime2
        | ColumnType::Timestamp
        | ColumnType::Timestamp2 => Value::DateTime(DateTime::parse(bytes).ok_or(malformed)?),
        ColumnType::Time | ColumnType::Time2 => Value::Time(Time::parse(bytes).ok_or(malformed)?),
        ColumnType::Null => Value::Null,
        _ => string_value(column, bytes),
    })
}

/// Text for character columns (and JSON), bytes for binary ones, `BIT`, `GEOMETRY` and
/// anything not valid UTF-8.
pub fn string_value(column: &Column, bytes: &[u8]) -> Value {
    let binary = match column.column_type {
        ColumnType::Bit | ColumnType::Geometry => true,
        ColumnType::Json => false,
        _ => column.is_binary(),
    };
    if !binary {
        if let Ok(text) = core::str::from_utf8(bytes) {
            return Value::Text(String::from(text));
        }
    }
    Value::Bytes(bytes.to_vec())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::protocol::column::{BINARY_CHARACTER_SET, UNSIGNED_FLAG};
    use crate::protocol::wire::put_length_encoded_bytes;
    use proptest::prelude::*;

    pub(crate) fn column(column_type: ColumnType, flags: u16, character_set: u16) -> Column {
        Column {
            schema: String::new(),
            table: String::new(),
            name: String::from("c"),
            column_type,
            flags,
            character_set,
            length: 0,
            decimals: 0,
        }
    }

    fn row(values: &[Option<&[u8]>]) -> Vec<u8> {
        let mut payload = Vec::new();
        for value in values {
            match value {
                None => payload.push(0xfb),
                Some(bytes) => put_length_encoded_bytes(&mut payload, bytes),
            }
        }
        payload
    }

    #[test]
    fn values_take_their_columns_types() {
        let columns = [
            column(ColumnType::LongLong, UNSIGNED_FLAG, 63),
            column(ColumnType::Tiny, 0, 63),
            column(ColumnType::Double, 0, 63),
            column(ColumnType::NewDecimal, 0, 63),
            column(ColumnType::VarString, 0, 45),
            column(ColumnType::Blob, 0, BINARY_CHARACTER_SET),
            column(ColumnType::DateTime, 0, 63),
            column(ColumnType::Date, 0, 63),
            column(ColumnType::Time, 0, 63),
            column(ColumnType::Blob, 0, 45),
            column(ColumnType::Long, 0, 63),
        ];
        let payload = row(&[
            Some(b"18446744073709551615"),
            Some(b"-128"),
            Some(b"2.5"),
            Some(b"-12.50"),
            Some("héllo".as_bytes()),
            Some(&[0, 0xff]),
            Some(b"2024-01-02 03:04:05"),
            Some(b"2024-01-02"),
            Some(b"-01:00:00"),
            Some(br#"{"a": 1}"#),
            None,
        ]);
        let mut values = Vec::new();
        decode_text_row(&payload, &columns, &mut values).unwrap();
        assert_eq!(values[0], Value::UInt(u64::MAX));
        assert_eq!(values[1], Value::Int(-128));
        assert_eq!(values[2], Value::Double(2.5));
        assert_eq!(values[3], Value::Decimal("-12.50".into()));
        assert_eq!(values[4], Value::Text("héllo".into()));
        assert_eq!(values[5], Value::Bytes(vec![0, 0xff]));
        assert!(matches!(values[6], Value::DateTime(_)));
        assert!(matches!(values[7], Value::Date(_)));
        assert!(matches!(
            values[8],
            Value::Time(Time { negative: true, .. })
        ));
        assert_eq!(values[9], Value::Text(r#"{"a": 1}"#.into()));
        assert_eq!(values[10], Value::Null);
    }

    #[test]
    fn bad_numbers_missing_and_extra_values_are_malformed() {
        let columns = [column(ColumnType::Long, 0, 63)];
        let mut values = Vec::new();
        for payload in [
            row(&[Some(b"12x")]),
            row(&[]),
            row(&[Some(b"1"), Some(b"2")]),
        ] {
            assert!(decode_text_row(&payload, &columns, &mut values).is_err());
        }
        let unsigned = [column(ColumnType::Long, UNSIGNED_FLAG, 63)];
        assert!(decode_text_row(&row(&[Some(b"-1")]), &unsigned, &mut values).is_err());
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64), type_byte in any::<u8>(), flags in any::<u16>()) {
            let columns = [column(ColumnType::from_byte(type_byte), flags, 45), column(ColumnType::VarString, 0, 45)];
            let mut values = Vec::new();
            if decode_text_row(&bytes, &columns, &mut values).is_ok() {
                prop_assert_eq!(values.len(), 2);
            }
        }
    }
}
