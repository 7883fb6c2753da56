//! Column definitions (protocol 4.1) and the column types they name.
use alloc::string::String;

use super::error::ProtocolError;
use super::wire::Reader;

/// Column flag: the column is `UNSIGNED`.
pub const UNSIGNED_FLAG: u16 = 1 << 5;
/// Column flag: the column is `NOT NULL`.
pub const NOT_NULL_FLAG: u16 = 1;
/// Column flag: binary data (also set on `BINARY`/`VARBINARY`/`BLOB`).
pub const BINARY_FLAG: u16 = 1 << 7;
/// The `binary` character set: the column holds bytes, not text.
pub const BINARY_CHARACTER_SET: u16 = 63;

/// A column type as the wire names it (`enum_field_types`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // The variants are the server's type names.
pub enum ColumnType {
    Decimal,
    Tiny,
    Short,
    Long,
    Float,
    Double,
    Null,
    Timestamp,
    LongLong,
    Int24,
    Date,
    Time,
    DateTime,
    Year,
    NewDate,
    VarChar,
    Bit,
    Timestamp2,
    DateTime2,
    Time2,
    Json,
    NewDecimal,
    Enum,
    Set,
    TinyBlob,
    MediumBlob,
    LongBlob,
    Blob,
    VarString,
    String,
    Geometry,
    /// A type this client does not know (decoded as bytes in text rows; refused in binary).
    Other(u8),
}

impl ColumnType {
    /// The type for wire byte `byte`.
    pub const fn from_byte(byte: u8) -> ColumnType {
        match byte {
            0x00 => ColumnType::Decimal,
            0x01 => ColumnType::Tiny,
            0x02 => ColumnType::Short,
            0x03 => ColumnType::Long,
            0x04 => ColumnType::Float,
            0x05 => ColumnType::Double,
            0x06 => ColumnType::Null,
            0x07 => ColumnType::Timestamp,
            0x08 => ColumnType::LongLong,
            0x09 => ColumnType::Int24,
            0x0a => ColumnType::Date,
            0x0b => ColumnType::Time,
            0x0c => ColumnType::DateTime,
            0x0d => ColumnType::Year,
            0x0e => ColumnType::NewDate,
            0x0f => ColumnType::VarChar,
            0x10 => ColumnType::Bit,
            0x11 => ColumnType::Timestamp2,
            0x12 => ColumnType::DateTime2,
            0x13 => ColumnType::Time2,
            0xf5 => ColumnType::Json,
            0xf6 => ColumnType::NewDecimal,
            0xf7 => ColumnType::Enum,
            0xf8 => ColumnType::Set,
            0xf9 => ColumnType::TinyBlob,
            0xfa => ColumnType::MediumBlob,
            0xfb => ColumnType::LongBlob,
            0xfc => ColumnType::Blob,
            0xfd => ColumnType::VarString,
            0xfe => ColumnType::String,
            0xff => ColumnType::Geometry,
            other => ColumnType::Other(other),
        }
    }

    /// The wire byte of this type.
    pub const fn byte(self) -> u8 {
        match self {
            ColumnType::Decimal => 0x00,
            ColumnType::Tiny => 0x01,
            ColumnType::Short => 0x02,
            ColumnType::Long => 0x03,
            ColumnType::Float => 0x04,
            ColumnType::Double => 0x05,
            ColumnType::Null => 0x06,
            ColumnType::Timestamp => 0x07,
            ColumnType::LongLong => 0x08,
            ColumnType::Int24 => 0x09,
            ColumnType::Date => 0x0a,
            ColumnType::Time => 0x0b,
            ColumnType::DateTime => 0x0c,
            ColumnType::Year => 0x0d,
            ColumnType::NewDate => 0x0e,
            ColumnType::VarChar => 0x0f,
            ColumnType::Bit => 0x10,
            ColumnType::Timestamp2 => 0x11,
            ColumnType::DateTime2 => 0x12,
            ColumnType::Time2 => 0x13,
            ColumnType::Json => 0xf5,
            ColumnType::NewDecimal => 0xf6,
            ColumnType::Enum => 0xf7,
            ColumnType::Set => 0xf8,
            ColumnType::TinyBlob => 0xf9,
            ColumnType::MediumBlob => 0xfa,
            ColumnType::LongBlob => 0xfb,
            ColumnType::Blob => 0xfc,
            ColumnType::VarString => 0xfd,
            ColumnType::String => 0xfe,
            ColumnType::Geometry => 0xff,
            ColumnType::Other(byte) => byte,
        }
    }
}

/// One column of a result set (or one parameter of a prepared statement).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The schema (database) of the column's table, empty for computed columns.
    pub schema: String,
    /// The table's alias in the statement, empty for computed columns.
    pub table: String,
    /// The column's name or alias in the statement.
    pub name: String,
    /// The column's type.
    pub column_type: ColumnType,
    /// Column flags (`NOT_NULL_FLAG`, `UNSIGNED_FLAG`, …).
    pub flags: u16,
    /// The collation id (63 is binary).
    pub character_set: u16,
    /// The column's maximum display length.
    pub length: u32,
    /// Digits after the decimal point (or fractional-second digits).
    pub decimals: u8,
}

impl Column {
    /// Whether the column is `UNSIGNED`.
    pub const fn is_unsigned(&self) -> bool {
        self.flags & UNSIGNED_FLAG != 0
    }

    /// Whether the column holds bytes rather than text.
    pub const fn is_binary(&self) -> bool {
        self.character_set == BINARY_CHARACTER_SET
    }
}

/// Decodes a column definition packet (`ColumnDefinition41`).
pub fn decode_column(payload: &[u8]) -> Result<Column, ProtocolError> {
    let mut reader = Reader::new(payload, "column definition");
    let _catalog = reader.length_encoded_bytes()?;
    let schema = text(reader.length_encoded_bytes()?);
    let table = text(reader.length_encoded_bytes()?);
    let _original_table = reader.length_encoded_bytes()?;
    let name = text(reader.length_encoded_bytes()?);
    let _original_name = reader.length_encoded_bytes()?;
    let fixed_length = reader.length_encoded()?;
    if fixed_length < 0x0c {
        return Err(reader.malformed());
    }
    let character_set = reader.u16()?;
    let length = reader.u32()?;
    let column_type = ColumnType::from_byte(reader.u8()?);
    let flags = reader.u16()?;
    let decimals = reader.u8()?;
    Ok(Column {
        schema,
        table,
        name,
        column_type,
        flags,
        character_set,
        length,
        decimals,
    })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::protocol::wire::put_length_encoded_bytes;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    /// A column definition payload as a server writes it.
    pub(crate) fn encode(name: &str, column_type: ColumnType, flags: u16, charset: u16) -> Vec<u8> {
        let mut payload = Vec::new();
        for part in ["def", "shop", "t", "t", name, name] {
            put_length_encoded_bytes(&mut payload, part.as_bytes());
        }
        payload.push(0x0c);
        payload.extend_from_slice(&charset.to_le_bytes());
        payload.extend_from_slice(&11u32.to_le_bytes());
        payload.push(column_type.byte());
        payload.extend_from_slice(&flags.to_le_bytes());
        payload.push(0);
        payload.extend_from_slice(&[0, 0]);
        payload
    }

    #[test]
    fn a_definition_decodes_with_its_type_and_flags() {
        let payload = encode(
            "id",
            ColumnType::LongLong,
            UNSIGNED_FLAG | NOT_NULL_FLAG,
            63,
        );
        let column = decode_column(&payload).unwrap();
        assert_eq!(column.name, "id");
        assert_eq!(column.table, "t");
        assert_eq!(column.schema, "shop");
        assert_eq!(column.column_type, ColumnType::LongLong);
        assert!(column.is_unsigned());
        assert!(column.is_binary());
        assert_eq!(column.length, 11);
        for cut in 0..payload.len() - 2 {
            assert!(decode_column(&payload[..cut]).is_err());
        }
    }

    #[test]
    fn every_type_byte_round_trips() {
        for byte in 0..=255u8 {
            assert_eq!(ColumnType::from_byte(byte).byte(), byte);
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            let _ = decode_column(&bytes);
        }
    }
}
