//! Parameters of prepared statements: values bound by type, never spliced into SQL text.
use alloc::string::String;
use alloc::vec::Vec;

use crate::value::{Date, DateTime, Time, Value};

/// One parameter of a prepared statement, borrowing its text or bytes.
///
/// Build it with `From` (`42.into()`, `"text".into()`, `None::<i32>.into()`) or the
/// [`params!`](crate::params) macro; a `DECIMAL` from text is [`Param::Decimal`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Param<'a> {
    /// SQL `NULL`.
    Null,
    /// A signed integer (sent as `BIGINT`).
    Int(i64),
    /// An unsigned integer (sent as `BIGINT UNSIGNED`).
    UInt(u64),
    /// A `FLOAT`.
    Float(f32),
    /// A `DOUBLE`.
    Double(f64),
    /// An exact number written as text (`"12.50"`), sent as `DECIMAL`.
    Decimal(&'a str),
    /// Text, in the connection's character set (utf8mb4).
    Text(&'a str),
    /// Bytes, sent as a binary string.
    Bytes(&'a [u8]),
    /// A `DATE`.
    Date(Date),
    /// A `DATETIME` (or `TIMESTAMP`).
    DateTime(DateTime),
    /// A `TIME`.
    Time(Time),
}

/// A list of parameters from expressions: `params![name, 42, Some(3.5)]`.
#[macro_export]
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        &[$($crate::Param::from($value)),*] as &[$crate::Param<'_>]
    };
}

macro_rules! from_signed {
    ($($type:ty),*) => {$(
        impl From<$type> for Param<'_> {
            fn from(value: $type) -> Self {
                Param::Int(i64::from(value))
            }
        }
    )*};
}

macro_rules! from_unsigned {
    ($($type:ty),*) => {$(
        impl From<$type> for Param<'_> {
            fn from(value: $type) -> Self {
                Param::UInt(u64::from(value))
            }
        }
    )*};
}

from_signed!(i8, i16, i32, i64);
from_unsigned!(u8, u16, u32, u64);

impl From<bool> for Param<'_> {
    /// `true` is 1 and `false` 0 (`BOOL` is `TINYINT(1)`).
    fn from(value: bool) -> Self {
        Param::Int(i64::from(value))
    }
}

impl From<f32> for Param<'_> {
    fn from(value: f32) -> Self {
        Param::Float(value)
    }
}

impl From<f64> for Param<'_> {
    fn from(value: f64) -> Self {
        Param::Double(value)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(value: &'a str) -> Self {
        Param::Text(value)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(value: &'a String) -> Self {
        Param::Text(value)
    }
}

impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(value: &'a [u8]) -> Self {
        Param::Bytes(value)
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for Param<'a> {
    fn from(value: &'a [u8; N]) -> Self {
        Param::Bytes(value)
    }
}

impl<'a> From<&'a Vec<u8>> for Param<'a> {
    fn from(value: &'a Vec<u8>) -> Self {
        Param::Bytes(value)
    }
}

impl From<Date> for Param<'_> {
    fn from(value: Date) -> Self {
        Param::Date(value)
    }
}

impl From<DateTime> for Param<'_> {
    fn from(value: DateTime) -> Self {
        Param::DateTime(value)
    }
}

impl From<Time> for Param<'_> {
    fn from(value: Time) -> Self {
        Param::Time(value)
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    /// `None` is `NULL`.
    fn from(value: Option<T>) -> Self {
        value.map_or(Param::Null, Into::into)
    }
}

impl<'a> From<&'a Value> for Param<'a> {
    /// A value read from a row, bound again as it was.
    fn from(value: &'a Value) -> Self {
        match value {
            Value::Null => Param::Null,
            Value::Int(number) => Param::Int(*number),
            Value::UInt(number) => Param::UInt(*number),
            Value::Float(number) => Param::Float(*number),
            Value::Double(number) => Param::Double(*number),
            Value::Decimal(text) => Param::Decimal(text),
            Value::Text(text) => Param::Text(text),
            Value::Bytes(bytes) => Param::Bytes(bytes),
            Value::Date(date) => Param::Date(*date),
            Value::DateTime(date_time) => Param::DateTime(*date_time),
            Value::Time(time) => Param::Time(*time),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_values_become_typed_parameters() {
        let name = String::from("O'Brien");
        let bytes = vec![0u8, 1];
        let list = crate::params![
            -1i8,
            7u16,
            true,
            1.5f32,
            2.5f64,
            "text",
            &name,
            &bytes,
            b"raw",
            None::<i32>,
            Some(3u64),
            Date::default(),
        ];
        assert_eq!(
            list,
            [
                Param::Int(-1),
                Param::UInt(7),
                Param::Int(1),
                Param::Float(1.5),
                Param::Double(2.5),
                Param::Text("text"),
                Param::Text("O'Brien"),
                Param::Bytes(&[0, 1]),
                Param::Bytes(b"raw"),
                Param::Null,
                Param::UInt(3),
                Param::Date(Date::default()),
            ]
        );
        assert_eq!(crate::params![].len(), 0);
    }

    #[test]
    fn values_read_back_bind_as_they_were() {
        let values = [
            Value::Decimal("1.25".into()),
            Value::Bytes(vec![9]),
            Value::Null,
        ];
        let params: Vec<Param<'_>> = values.iter().map(Param::from).collect();
        assert_eq!(
            params,
            [Param::Decimal("1.25"), Param::Bytes(&[9]), Param::Null]
        );
    }
}
