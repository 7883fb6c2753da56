//! Map keys: JSON keys are strings, so other scalars are written quoted (rule 4).

use alloc::vec::Vec;

use serde::ser::{self, Impossible, Serialize};

use super::serializer::put_float;
use super::{put, put_integer, put_string, Error};

/// Writes one map key into `output`.
pub(super) struct KeySerializer<'a> {
    pub(super) output: &'a mut Vec<u8>,
}

impl KeySerializer<'_> {
    /// `write` between quotes.
    fn quoted(self, write: impl FnOnce(&mut Vec<u8>)) -> Result<(), Error> {
        self.output.push(b'"');
        write(self.output);
        self.output.push(b'"');
        Ok(())
    }
}

impl ser::Serializer for KeySerializer<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.quoted(|output| put(output, if value { b"true" } else { b"false" }))
    }

    fn serialize_i8(self, value: i8) -> Result<(), Error> {
        self.quoted(|output| put_integer(output, value))
    }

    fn serialize_i16(self, value: i16) -> Result<(), Error> {
        self.quoted(|output| put_integer(output, value))
    }

    fn serialize_i32(self, value: i32) -> Result<(), Error> {
        self.quoted(|output| put_integer(output, value))
    }

    fn serialize_i64(self, value: i64) -> Result<(), Error> {
        self.quoted(|output| put_integer(output, value))
    }

    fn serialize_i128(self, value: i128) -> Result<(), Error> {
        self.quoted(|output| put_integer(output, value))
    }

    fn serialize_u8(self, value: u8) -> Result<(), Error> {
        self.quoted(|output| put_integer(output, value))
    }

    fn serialize_u16(self, value: u16) -> Result<(), Error> {
        self.quoted(|output| put_integer(output, value))
    }

    fn serialize_u32(self, value: u32) -> Result<(), Error> {
        self.quoted(|output| put_integer(output, value))
    }

    fn serialize_u64(self, value: u64) -> Result<(), Error> {
        self.quoted(|output| put_integer(output, value))
    }

    fn serialize_u128(self, value: u128) -> Result<(), Error> {
        self.quoted(|output| put_integer(output, value))
    }

    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        if !value.is_finite() {
            return Err(Error::float_key_must_be_finite());
        }
        self.quoted(|output| put_float!(output, value))
    }

    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        if !value.is_finite() {
            return Err(Error::float_key_must_be_finite());
        }
        self.quoted(|output| put_float!(output, value))
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        put_string(self.output, value.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        put_string(self.output, value);
        Ok(())
    }

    fn serialize_bytes(self, _value: &[u8]) -> Result<(), Error> {
        Err(Error::key_must_be_a_string())
    }

    fn serialize_none(self) -> Result<(), Error> {
        Err(Error::key_must_be_a_string())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        Err(Error::key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(Error::key_must_be_a_string())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        put_string(self.output, variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(Error::key_must_be_a_string())
    }

    fn serialize_seq(self, _length: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Error::key_must_be_a_string())
    }

    fn serialize_tuple(self, _length: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error::key_must_be_a_string())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _length: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Error::key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _length: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error::key_must_be_a_string())
    }

    fn serialize_map(self, _length: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error::key_must_be_a_string())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _length: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(Error::key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _length: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error::key_must_be_a_string())
    }
}
