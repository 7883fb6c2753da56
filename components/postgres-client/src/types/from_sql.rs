//! Column values (always requested in the binary form) decoded into Rust types, checked
//! against the column's type.
use alloc::string::String;
use alloc::vec::Vec;

use super::{numeric, oid, Json, Numeric, Timestamp, Uuid};

/// Why a column value could not become the requested Rust type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FromSqlError {
    /// a column of type {found} cannot be read as {expected}
    WrongType {
        /// The Rust type asked for.
        expected: &'static str,
        /// The column's type OID.
        found: u32,
    },
    /// the value is NULL; read it as an `Option`
    UnexpectedNull,
    /// the server sent a malformed {0}
    Invalid(&'static str),
}

impl core::fmt::Display for FromSqlError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            FromSqlError::WrongType { expected, found } => write!(
                formatter,
                "a column of type {found} cannot be read as {expected}"
            ),
            FromSqlError::UnexpectedNull => {
                formatter.write_str("the value is NULL; read it as an `Option`")
            }
            FromSqlError::Invalid(what) => write!(formatter, "the server sent a malformed {what}"),
        }
    }
}

/// A Rust type a column value can be read as.
pub trait FromSql: Sized {
    /// Decodes `value` (`None` is NULL) of a column of type `type_oid`.
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError>;
}

/// The value, or an error for NULL; checks that the column's type is one of `accepted`.
fn present<'a>(
    type_oid: u32,
    value: Option<&'a [u8]>,
    accepted: &[u32],
    expected: &'static str,
) -> Result<&'a [u8], FromSqlError> {
    if !accepted.contains(&type_oid) {
        return Err(FromSqlError::WrongType {
            expected,
            found: type_oid,
        });
    }
    value.ok_or(FromSqlError::UnexpectedNull)
}

/// Exactly `N` bytes.
fn fixed<const N: usize>(bytes: &[u8], what: &'static str) -> Result<[u8; N], FromSqlError> {
    bytes.try_into().map_err(|_| FromSqlError::Invalid(what))
}

/// A big-endian integer of the width the column's type has, widened to `i64`.
fn integer(type_oid: u32, bytes: &[u8]) -> Result<i64, FromSqlError> {
    Ok(match type_oid {
        oid::INT2 => i64::from(i16::from_be_bytes(fixed(bytes, "smallint")?)),
        oid::INT4 => i64::from(i32::from_be_bytes(fixed(bytes, "integer")?)),
        _ => i64::from_be_bytes(fixed(bytes, "bigint")?),
    })
}

impl FromSql for bool {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        let bytes = present(type_oid, value, &[oid::BOOL], "bool")?;
        Ok(fixed::<1>(bytes, "boolean")?[0] != 0)
    }
}

impl FromSql for i16 {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        let bytes = present(type_oid, value, &[oid::INT2], "i16")?;
        Ok(i16::from_be_bytes(fixed(bytes, "smallint")?))
    }
}

impl FromSql for i32 {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        let bytes = present(type_oid, value, &[oid::INT2, oid::INT4], "i32")?;
        i32::try_from(integer(type_oid, bytes)?).map_err(|_| FromSqlError::Invalid("integer"))
    }
}

impl FromSql for i64 {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        let bytes = present(type_oid, value, &[oid::INT2, oid::INT4, oid::INT8], "i64")?;
        integer(type_oid, bytes)
    }
}

impl FromSql for f32 {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        let bytes = present(type_oid, value, &[oid::FLOAT4], "f32")?;
        Ok(f32::from_be_bytes(fixed(bytes, "real")?))
    }
}

impl FromSql for f64 {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        let bytes = present(type_oid, value, &[oid::FLOAT4, oid::FLOAT8], "f64")?;
        if type_oid == oid::FLOAT4 {
            return Ok(f64::from(f32::from_be_bytes(fixed(bytes, "real")?)));
        }
        Ok(f64::from_be_bytes(fixed(bytes, "double precision")?))
    }
}

/// The text of a `json` or `jsonb` value (`jsonb`'s binary form is a version byte, 1, and
/// the text).
fn json_text(type_oid: u32, bytes: &[u8]) -> Result<&str, FromSqlError> {
    let text = if type_oid == oid::JSONB {
        match bytes.split_first() {
            Some((1, text)) => text,
            _ => return Err(FromSqlError::Invalid("jsonb value")),
        }
    } else {
        bytes
    };
    core::str::from_utf8(text).map_err(|_| FromSqlError::Invalid("text value"))
}

/// The column types read as text.
const TEXT_TYPES: [u32; 7] = [
    oid::TEXT,
    oid::VARCHAR,
    oid::BPCHAR,
    oid::NAME,
    oid::UNKNOWN,
    oid::JSON,
    oid::JSONB,
];

impl FromSql for String {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        let bytes = present(type_oid, value, &TEXT_TYPES, "String")?;
        json_text(type_oid, bytes).map(String::from)
    }
}

impl FromSql for Vec<u8> {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        Ok(present(type_oid, value, &[oid::BYTEA], "Vec<u8>")?.to_vec())
    }
}

impl FromSql for Uuid {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        let bytes = present(type_oid, value, &[oid::UUID], "Uuid")?;
        Ok(Uuid(fixed(bytes, "uuid")?))
    }
}

impl FromSql for Timestamp {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        let accepted = [oid::TIMESTAMPTZ, oid::TIMESTAMP];
        let bytes = present(type_oid, value, &accepted, "Timestamp")?;
        let count = i64::from_be_bytes(fixed(bytes, "timestamp")?);
        Timestamp::from_postgres(count).ok_or(FromSqlError::Invalid("timestamp"))
    }
}

impl FromSql for Json {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        let bytes = present(type_oid, value, &[oid::JSON, oid::JSONB], "Json")?;
        json_text(type_oid, bytes).map(|text| Json(String::from(text)))
    }
}

impl FromSql for Numeric {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        let bytes = present(type_oid, value, &[oid::NUMERIC], "Numeric")?;
        numeric::to_text(bytes).map(Numeric)
    }
}

impl<T: FromSql> FromSql for Option<T> {
    fn from_sql(type_oid: u32, value: Option<&[u8]>) -> Result<Self, FromSqlError> {
        match value {
            None => {
                // Still check the type: reading an integer column as `Option<String>` is a
                // mistake even when the value happens to be NULL.
                match T::from_sql(type_oid, None) {
                    Err(FromSqlError::WrongType { expected, found }) => {
                        Err(FromSqlError::WrongType { expected, found })
                    }
                    _ => Ok(None),
                }
            }
            Some(bytes) => T::from_sql(type_oid, Some(bytes)).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_widen_but_never_narrow() {
        assert_eq!(i64::from_sql(oid::INT2, Some(&[0xff, 0xfe])), Ok(-2));
        assert_eq!(i32::from_sql(oid::INT4, Some(&[0, 0, 1, 0])), Ok(256));
        assert!(matches!(
            i32::from_sql(oid::INT8, Some(&[0; 8])),
            Err(FromSqlError::WrongType { .. })
        ));
        assert_eq!(
            i32::from_sql(oid::INT4, Some(&[0, 1])),
            Err(FromSqlError::Invalid("integer"))
        );
    }

    #[test]
    fn null_needs_an_option_and_the_type_still_counts() {
        assert_eq!(
            i32::from_sql(oid::INT4, None),
            Err(FromSqlError::UnexpectedNull)
        );
        assert_eq!(Option::<i32>::from_sql(oid::INT4, None), Ok(None));
        assert!(Option::<String>::from_sql(oid::INT4, None).is_err());
    }

    #[test]
    fn json_and_text_decode() {
        assert_eq!(
            Json::from_sql(oid::JSONB, Some(b"\x01{\"a\":1}")),
            Ok(Json(String::from("{\"a\":1}")))
        );
        assert!(Json::from_sql(oid::JSONB, Some(b"\x02{}")).is_err());
        assert_eq!(
            String::from_sql(oid::VARCHAR, Some(b"x")),
            Ok(String::from("x"))
        );
        assert!(String::from_sql(oid::TEXT, Some(b"\xff")).is_err());
    }
}
