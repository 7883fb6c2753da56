//! The serializer: every shape of serde's data model, into one output buffer.

use alloc::vec::Vec;

use serde::ser::{self, Serialize};

use super::key::KeySerializer;
use super::{put, put_integer, put_string, Error};

/// Writes values into `output`.
pub(super) struct Serializer<'a> {
    pub(super) output: &'a mut Vec<u8>,
}

/// A float: `zmij`'s shortest form when finite, else `null` (rule 3).
macro_rules! put_float {
    ($output:expr, $value:expr) => {
        if $value.is_finite() {
            let mut buffer = zmij::Buffer::new();
            put($output, buffer.format_finite($value).as_bytes());
        } else {
            put($output, b"null");
        }
    };
}
pub(super) use put_float;

impl<'a> ser::Serializer for Serializer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        put(self.output, if value { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_i8(self, value: i8) -> Result<(), Error> {
        put_integer(self.output, value);
        Ok(())
    }

    fn serialize_i16(self, value: i16) -> Result<(), Error> {
        put_integer(self.output, value);
        Ok(())
    }

    fn serialize_i32(self, value: i32) -> Result<(), Error> {
        put_integer(self.output, value);
        Ok(())
    }

    fn serialize_i64(self, value: i64) -> Result<(), Error> {
        put_integer(self.output, value);
        Ok(())
    }

    fn serialize_i128(self, value: i128) -> Result<(), Error> {
        put_integer(self.output, value);
        Ok(())
    }

    fn serialize_u8(self, value: u8) -> Result<(), Error> {
        put_integer(self.output, value);
        Ok(())
    }

    fn serialize_u16(self, value: u16) -> Result<(), Error> {
        put_integer(self.output, value);
        Ok(())
    }

    fn serialize_u32(self, value: u32) -> Result<(), Error> {
        put_integer(self.output, value);
        Ok(())
    }

    fn serialize_u64(self, value: u64) -> Result<(), Error> {
        put_integer(self.output, value);
        Ok(())
    }

    fn serialize_u128(self, value: u128) -> Result<(), Error> {
        put_integer(self.output, value);
        Ok(())
    }

    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        put_float!(self.output, value);
        Ok(())
    }

    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        put_float!(self.output, value);
        Ok(())
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        put_string(self.output, value.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        put_string(self.output, value);
        Ok(())
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), Error> {
        self.output.push(b'[');
        for (index, byte) in value.iter().enumerate() {
            if index > 0 {
                self.output.push(b',');
            }
            put_integer(self.output, *byte);
        }
        self.output.push(b']');
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Error> {
        put(self.output, b"null");
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        put(self.output, b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        put(self.output, b"null");
        Ok(())
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
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.output.push(b'{');
        put_string(self.output, variant);
        self.output.push(b':');
        value.serialize(Serializer {
            output: &mut *self.output,
        })?;
        self.output.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _length: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self.output, b'[', b"]"))
    }

    fn serialize_tuple(self, _length: usize) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self.output, b'[', b"]"))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _length: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self.output, b'[', b"]"))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _length: usize,
    ) -> Result<Compound<'a>, Error> {
        self.output.push(b'{');
        put_string(self.output, variant);
        self.output.push(b':');
        Ok(Compound::open(self.output, b'[', b"]}"))
    }

    fn serialize_map(self, _length: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self.output, b'{', b"}"))
    }

    fn serialize_struct(self, _name: &'static str, _length: usize) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self.output, b'{', b"}"))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _length: usize,
    ) -> Result<Compound<'a>, Error> {
        self.output.push(b'{');
        put_string(self.output, variant);
        self.output.push(b':');
        Ok(Compound::open(self.output, b'{', b"}}"))
    }
}

/// An array or object being written: a comma before every element but the first, then its
/// closing bytes (`]`, `}`, or `]}`/`}}` for a variant's wrapper).
pub(super) struct Compound<'a> {
    output: &'a mut Vec<u8>,
    first: bool,
    close: &'static [u8],
}

impl<'a> Compound<'a> {
    fn open(output: &'a mut Vec<u8>, open: u8, close: &'static [u8]) -> Compound<'a> {
        output.push(open);
        Compound {
            output,
            first: true,
            close,
        }
    }

    /// The comma before an element (none before the first).
    fn separate(&mut self) {
        if !core::mem::take(&mut self.first) {
            self.output.push(b',');
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.separate();
        value.serialize(Serializer {
            output: &mut *self.output,
        })
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        self.separate();
        put_string(self.output, name);
        self.output.push(b':');
        value.serialize(Serializer {
            output: &mut *self.output,
        })
    }

    fn close(self) -> Result<(), Error> {
        put(self.output, self.close);
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.separate();
        key.serialize(KeySerializer {
            output: &mut *self.output,
        })
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.output.push(b':');
        value.serialize(Serializer {
            output: &mut *self.output,
        })
    }

    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(name, value)
    }

    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(name, value)
    }

    fn end(self) -> Result<(), Error> {
        self.close()
    }
}
