//! Values bound to `$1`, `$2`, …: every Rust value becomes a typed [`Parameter`], never text
//! spliced into a statement.
use alloc::string::String;
use alloc::vec::Vec;

use super::{oid, Json, Numeric, Timestamp, Uuid};
use crate::protocol::EncodeError;

/// One bound value, with its Postgres type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Parameter<'a> {
    /// SQL NULL of the given type ([`oid::UNSPECIFIED`] lets the server infer it).
    Null(u32),
    /// `boolean`
    Bool(bool),
    /// `smallint`
    Int2(i16),
    /// `integer`
    Int4(i32),
    /// `bigint`
    Int8(i64),
    /// `real`
    Float4(f32),
    /// `double precision`
    Float8(f64),
    /// `text`
    Text(&'a str),
    /// `bytea`
    Bytea(&'a [u8]),
    /// `uuid`
    Uuid([u8; 16]),
    /// `timestamptz`
    Timestamp(Timestamp),
    /// `json` or `jsonb`, whichever the statement needs (sent as text).
    Json(&'a str),
    /// `numeric` (sent as text).
    Numeric(&'a str),
}

impl Parameter<'_> {
    /// The type the statement's parameter is declared with.
    pub fn type_oid(&self) -> u32 {
        match self {
            Parameter::Null(type_oid) => *type_oid,
            Parameter::Bool(_) => oid::BOOL,
            Parameter::Int2(_) => oid::INT2,
            Parameter::Int4(_) => oid::INT4,
            Parameter::Int8(_) => oid::INT8,
            Parameter::Float4(_) => oid::FLOAT4,
            Parameter::Float8(_) => oid::FLOAT8,
            Parameter::Text(_) => oid::TEXT,
            Parameter::Bytea(_) => oid::BYTEA,
            Parameter::Uuid(_) => oid::UUID,
            Parameter::Timestamp(_) => oid::TIMESTAMPTZ,
            Parameter::Json(_) => oid::UNSPECIFIED,
            Parameter::Numeric(_) => oid::NUMERIC,
        }
    }

    /// 1 for the binary form, 0 for text (JSON and numeric travel as text).
    pub fn format(&self) -> i16 {
        match self {
            Parameter::Json(_) | Parameter::Numeric(_) => 0,
            _ => 1,
        }
    }

    /// Appends the length-prefixed value, as `Bind` carries it.
    pub(crate) fn write(&self, buffer: &mut Vec<u8>) -> Result<(), EncodeError> {
        let fixed = |buffer: &mut Vec<u8>, bytes: &[u8]| {
            buffer.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
            buffer.extend_from_slice(bytes);
        };
        match *self {
            Parameter::Null(_) => buffer.extend_from_slice(&(-1i32).to_be_bytes()),
            Parameter::Bool(value) => fixed(buffer, &[u8::from(value)]),
            Parameter::Int2(value) => fixed(buffer, &value.to_be_bytes()),
            Parameter::Int4(value) => fixed(buffer, &value.to_be_bytes()),
            Parameter::Int8(value) => fixed(buffer, &value.to_be_bytes()),
            Parameter::Float4(value) => fixed(buffer, &value.to_be_bytes()),
            Parameter::Float8(value) => fixed(buffer, &value.to_be_bytes()),
            Parameter::Uuid(bytes) => fixed(buffer, &bytes),
            Parameter::Timestamp(timestamp) => {
                let value = timestamp
                    .to_postgres()
                    .ok_or(EncodeError::OutOfRange("a timestamp"))?;
                fixed(buffer, &value.to_be_bytes());
            }
            Parameter::Text(text) | Parameter::Json(text) | Parameter::Numeric(text) => {
                variable(buffer, text.as_bytes())?;
            }
            Parameter::Bytea(bytes) => variable(buffer, bytes)?,
        }
        Ok(())
    }
}

/// Appends a variable-length value with its 32-bit length.
fn variable(buffer: &mut Vec<u8>, bytes: &[u8]) -> Result<(), EncodeError> {
    let length = i32::try_from(bytes.len()).map_err(|_| EncodeError::TooLong)?;
    buffer.extend_from_slice(&length.to_be_bytes());
    buffer.extend_from_slice(bytes);
    Ok(())
}

/// A Rust value that can be bound as a statement parameter. Implemented for the integers,
/// floats, `bool`, strings, byte slices, [`Uuid`], [`Timestamp`], [`Json`], [`Numeric`] and
/// `Option` of each (`None` is NULL of the same type).
pub trait ToParameter {
    /// The value as a typed parameter.
    fn to_parameter(&self) -> Parameter<'_>;
}

/// Implements `ToParameter` for a `Copy` value held directly in a variant.
macro_rules! by_value {
    ($($type:ty => $variant:ident),* $(,)?) => {$(
        impl ToParameter for $type {
            fn to_parameter(&self) -> Parameter<'_> {
                Parameter::$variant(*self)
            }
        }
    )*};
}

by_value!(bool => Bool, i16 => Int2, i32 => Int4, i64 => Int8, f32 => Float4, f64 => Float8, Timestamp => Timestamp);

impl ToParameter for str {
    fn to_parameter(&self) -> Parameter<'_> {
        Parameter::Text(self)
    }
}

impl ToParameter for String {
    fn to_parameter(&self) -> Parameter<'_> {
        Parameter::Text(self)
    }
}

impl ToParameter for [u8] {
    fn to_parameter(&self) -> Parameter<'_> {
        Parameter::Bytea(self)
    }
}

impl ToParameter for Vec<u8> {
    fn to_parameter(&self) -> Parameter<'_> {
        Parameter::Bytea(self)
    }
}

impl ToParameter for Uuid {
    fn to_parameter(&self) -> Parameter<'_> {
        Parameter::Uuid(self.0)
    }
}

impl<T: AsRef<str>> ToParameter for Json<T> {
    fn to_parameter(&self) -> Parameter<'_> {
        Parameter::Json(self.0.as_ref())
    }
}

impl<T: AsRef<str>> ToParameter for Numeric<T> {
    fn to_parameter(&self) -> Parameter<'_> {
        Parameter::Numeric(self.0.as_ref())
    }
}

impl<T: ToParameter + ?Sized> ToParameter for &T {
    fn to_parameter(&self) -> Parameter<'_> {
        (**self).to_parameter()
    }
}

/// The type a `None` of `T` is declared with: what a value of `T` would have.
pub trait NullType {
    /// The type OID of NULL for this type.
    const NULL_OID: u32;
}

macro_rules! null_type {
    ($($type:ty => $oid:expr),* $(,)?) => {$(
        impl NullType for $type {
            const NULL_OID: u32 = $oid;
        }
    )*};
}

null_type!(
    bool => oid::BOOL, i16 => oid::INT2, i32 => oid::INT4, i64 => oid::INT8,
    f32 => oid::FLOAT4, f64 => oid::FLOAT8, String => oid::TEXT, &str => oid::TEXT,
    Vec<u8> => oid::BYTEA, &[u8] => oid::BYTEA, Uuid => oid::UUID,
    Timestamp => oid::TIMESTAMPTZ,
);

impl<T> NullType for Json<T> {
    const NULL_OID: u32 = oid::UNSPECIFIED;
}

impl<T> NullType for Numeric<T> {
    const NULL_OID: u32 = oid::NUMERIC;
}

impl<T: ToParameter + NullType> ToParameter for Option<T> {
    fn to_parameter(&self) -> Parameter<'_> {
        match self {
            Some(value) => value.to_parameter(),
            None => Parameter::Null(T::NULL_OID),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(parameter: &dyn ToParameter) -> Vec<u8> {
        let mut buffer = Vec::new();
        parameter.to_parameter().write(&mut buffer).unwrap();
        buffer
    }

    #[test]
    fn values_encode_in_the_binary_form_with_a_length() {
        assert_eq!(encoded(&7i32), [0, 0, 0, 4, 0, 0, 0, 7]);
        assert_eq!(encoded(&true), [0, 0, 0, 1, 1]);
        assert_eq!(encoded(&"ab"), [0, 0, 0, 2, b'a', b'b']);
        assert_eq!(encoded(&None::<i64>), [0xff, 0xff, 0xff, 0xff]);
        assert_eq!(None::<i64>.to_parameter().type_oid(), oid::INT8);
        assert_eq!(Some(Json("{}")).to_parameter().format(), 0);
    }

    #[test]
    fn a_timestamp_out_of_range_is_refused() {
        let mut buffer = Vec::new();
        let far = Timestamp::from_unix_microseconds(i64::MIN + 5);
        assert!(far.to_parameter().write(&mut buffer).is_err());
    }
}
