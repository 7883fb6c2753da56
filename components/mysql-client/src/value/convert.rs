//! Reading a [`Value`] as a Rust type: exact conversions only (no lossy casts, no parsing).
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::{Date, DateTime, Time, Value};

/// Why a value could not be read as the asked type; each variant's doc is its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConversionError {
    /// the value is NULL; read it as an `Option`
    Null,
    /// {found} cannot be read as {wanted}
    Mismatch {
        /// The value's kind.
        found: &'static str,
        /// The Rust type asked for.
        wanted: &'static str,
    },
    /// the value does not fit in {wanted}
    OutOfRange {
        /// The Rust type asked for.
        wanted: &'static str,
    },
    /// the bytes are not UTF-8 text
    NotUtf8,
}

impl fmt::Display for ConversionError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConversionError::Null => {
                formatter.write_str("the value is NULL; read it as an `Option`")
            }
            ConversionError::Mismatch { found, wanted } => {
                write!(formatter, "{found} cannot be read as {wanted}")
            }
            ConversionError::OutOfRange { wanted } => {
                write!(formatter, "the value does not fit in {wanted}")
            }
            ConversionError::NotUtf8 => formatter.write_str("the bytes are not UTF-8 text"),
        }
    }
}

/// A Rust type a [`Value`] can be read as.
pub trait FromValue: Sized {
    /// Converts `value`, exactly or not at all.
    fn from_value(value: Value) -> Result<Self, ConversionError>;
}

fn mismatch<T>(value: &Value, wanted: &'static str) -> Result<T, ConversionError> {
    match value {
        Value::Null => Err(ConversionError::Null),
        other => Err(ConversionError::Mismatch {
            found: other.kind(),
            wanted,
        }),
    }
}

macro_rules! integer {
    ($($type:ty),*) => {$(
        impl FromValue for $type {
            fn from_value(value: Value) -> Result<Self, ConversionError> {
                let wanted = stringify!($type);
                let converted = match value {
                    Value::Int(number) => <$type>::try_from(number).ok(),
                    Value::UInt(number) => <$type>::try_from(number).ok(),
                    other => return mismatch(&other, wanted),
                };
                converted.ok_or(ConversionError::OutOfRange { wanted })
            }
        }
    )*};
}

integer!(i8, i16, i32, i64, u8, u16, u32, u64);

impl FromValue for bool {
    /// `BOOL` is `TINYINT(1)`: zero is false, anything else true.
    fn from_value(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Int(number) => Ok(number != 0),
            Value::UInt(number) => Ok(number != 0),
            other => mismatch(&other, "bool"),
        }
    }
}

impl FromValue for f32 {
    fn from_value(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Float(number) => Ok(number),
            other => mismatch(&other, "f32"),
        }
    }
}

impl FromValue for f64 {
    fn from_value(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Double(number) => Ok(number),
            Value::Float(number) => Ok(f64::from(number)),
            other => mismatch(&other, "f64"),
        }
    }
}

impl FromValue for String {
    /// Text, a `DECIMAL`'s digits, or bytes that are UTF-8.
    fn from_value(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Text(text) | Value::Decimal(text) => Ok(text),
            Value::Bytes(bytes) => String::from_utf8(bytes).map_err(|_| ConversionError::NotUtf8),
            other => mismatch(&other, "String"),
        }
    }
}

impl FromValue for Vec<u8> {
    /// Bytes, or text's UTF-8 bytes.
    fn from_value(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Bytes(bytes) => Ok(bytes),
            Value::Text(text) => Ok(text.into_bytes()),
            other => mismatch(&other, "Vec<u8>"),
        }
    }
}

impl FromValue for Date {
    fn from_value(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Date(date) => Ok(date),
            other => mismatch(&other, "Date"),
        }
    }
}

impl FromValue for DateTime {
    fn from_value(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::DateTime(date_time) => Ok(date_time),
            other => mismatch(&other, "DateTime"),
        }
    }
}

impl FromValue for Time {
    fn from_value(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Time(time) => Ok(time),
            other => mismatch(&other, "Time"),
        }
    }
}

impl FromValue for Value {
    fn from_value(value: Value) -> Result<Self, ConversionError> {
        Ok(value)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    /// `NULL` is `None`; anything else converts as `T`.
    fn from_value(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn integers_convert_only_when_they_fit() {
        assert_eq!(i8::from_value(Value::Int(-128)), Ok(-128));
        assert_eq!(
            i8::from_value(Value::Int(128)),
            Err(ConversionError::OutOfRange { wanted: "i8" })
        );
        assert_eq!(u64::from_value(Value::UInt(u64::MAX)), Ok(u64::MAX));
        assert_eq!(
            i64::from_value(Value::UInt(u64::MAX)),
            Err(ConversionError::OutOfRange { wanted: "i64" })
        );
        assert_eq!(
            u8::from_value(Value::Int(-1)),
            Err(ConversionError::OutOfRange { wanted: "u8" })
        );
        assert_eq!(
            i32::from_value(Value::Text("1".into())),
            Err(ConversionError::Mismatch {
                found: "text",
                wanted: "i32"
            })
        );
        assert_eq!(bool::from_value(Value::Int(1)), Ok(true));
        assert_eq!(bool::from_value(Value::UInt(0)), Ok(false));
    }

    #[test]
    fn null_needs_an_option() {
        assert_eq!(i32::from_value(Value::Null), Err(ConversionError::Null));
        assert_eq!(Option::<i32>::from_value(Value::Null), Ok(None));
        assert_eq!(Option::<i32>::from_value(Value::Int(3)), Ok(Some(3)));
        assert_eq!(
            ConversionError::Null.to_string(),
            "the value is NULL; read it as an `Option`"
        );
    }

    #[test]
    fn text_bytes_and_floats_convert_exactly() {
        assert_eq!(
            String::from_value(Value::Decimal("1.50".into())),
            Ok("1.50".into())
        );
        assert_eq!(
            String::from_value(Value::Bytes(vec![0xff])),
            Err(ConversionError::NotUtf8)
        );
        assert_eq!(
            Vec::<u8>::from_value(Value::Text("hi".into())),
            Ok(b"hi".to_vec())
        );
        assert_eq!(f64::from_value(Value::Float(0.5)), Ok(0.5));
        assert!(f32::from_value(Value::Double(0.5)).is_err());
        assert!(Date::from_value(Value::Date(Date::default())).is_ok());
        assert!(DateTime::from_value(Value::Date(Date::default())).is_err());
        assert!(Time::from_value(Value::Time(Time::default())).is_ok());
        assert_eq!(Value::from_value(Value::Int(1)), Ok(Value::Int(1)));
    }
}
