//! Typed values of result rows, the same whichever protocol (text or binary) carried them.
use alloc::string::String;
use alloc::vec::Vec;

pub mod convert;
pub mod temporal;

pub use convert::{ConversionError, FromValue};
pub use temporal::{Date, DateTime, Time};

/// One value of a row.
///
/// | column type | value |
/// |---|---|
/// | `TINYINT` … `BIGINT`, `YEAR` | `Int`, or `UInt` when `UNSIGNED` |
/// | `FLOAT` / `DOUBLE` | `Float` / `Double` |
/// | `DECIMAL` | `Decimal` (the server's text, exact) |
/// | `CHAR`, `VARCHAR`, `TEXT`, `ENUM`, `SET`, `JSON` | `Text` (`Bytes` if not UTF-8) |
/// | `BINARY`, `VARBINARY`, `BLOB`, `BIT`, `GEOMETRY` | `Bytes` |
/// | `DATE` / `DATETIME`, `TIMESTAMP` / `TIME` | `Date` / `DateTime` / `Time` |
/// | SQL `NULL` | `Null` (read it as an `Option`) |
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    /// SQL `NULL`.
    #[default]
    Null,
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A single-precision float.
    Float(f32),
    /// A double-precision float.
    Double(f64),
    /// A fixed-point number, as the server writes it (`-12.50`).
    Decimal(String),
    /// Text (UTF-8).
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
    /// A date.
    Date(Date),
    /// A date and time.
    DateTime(DateTime),
    /// A signed duration.
    Time(Time),
}

impl Value {
    /// Whether this is SQL `NULL`.
    pub const fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value's kind, for error messages.
    pub const fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Int(_) => "a signed integer",
            Value::UInt(_) => "an unsigned integer",
            Value::Float(_) => "a FLOAT",
            Value::Double(_) => "a DOUBLE",
            Value::Decimal(_) => "a DECIMAL",
            Value::Text(_) => "text",
            Value::Bytes(_) => "bytes",
            Value::Date(_) => "a DATE",
            Value::DateTime(_) => "a DATETIME",
            Value::Time(_) => "a TIME",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_name_the_value_for_messages() {
        assert_eq!(Value::Null.kind(), "NULL");
        assert!(Value::Null.is_null());
        assert!(!Value::Int(0).is_null());
        assert_eq!(Value::default(), Value::Null);
        assert_eq!(Value::Bytes(vec![1]).kind(), "bytes");
    }
}
