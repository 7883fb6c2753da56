//! Validated views of variable-length message bodies: SASL mechanisms, data rows, row
//! descriptions. The decoder walks them once; their iterators then read through the same
//! checked cursor.
use super::{ProtocolError, Reader};

/// A SASL mechanism list, validated (every name is UTF-8 and the list is terminated).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mechanisms<'a> {
    body: &'a [u8],
}

impl<'a> Mechanisms<'a> {
    /// A list already validated by the decoder.
    pub(super) fn new(body: &'a [u8]) -> Self {
        Mechanisms { body }
    }

    /// The mechanism names, in the server's order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let mut reader = Reader::new(self.body, "a SASL mechanism list");
        core::iter::from_fn(move || reader.c_str().ok().filter(|name| !name.is_empty()))
    }
}

/// A data row, validated: `count` values, each NULL or a length-prefixed byte run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataRow<'a> {
    count: u16,
    values: &'a [u8],
}

impl<'a> DataRow<'a> {
    /// A row already validated by the decoder.
    pub(super) fn new(count: u16, values: &'a [u8]) -> Self {
        DataRow { count, values }
    }

    /// How many values the row has.
    pub fn len(&self) -> usize {
        usize::from(self.count)
    }

    /// Whether the row has no values.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The values in column order; `None` is SQL NULL.
    pub fn values(&self) -> impl Iterator<Item = Option<&'a [u8]>> + 'a {
        let mut reader = Reader::new(self.values, "a data row");
        let mut left = self.count;
        core::iter::from_fn(move || {
            left = left.checked_sub(1)?;
            next_value(&mut reader).ok()
        })
    }

    /// The bytes holding the values (length prefixes included).
    pub fn raw(&self) -> &'a [u8] {
        self.values
    }
}

/// Reads one length-prefixed value of a data row.
pub(super) fn next_value<'a>(reader: &mut Reader<'a>) -> Result<Option<&'a [u8]>, ProtocolError> {
    let length = reader.i32()?;
    if length == -1 {
        return Ok(None);
    }
    let length =
        usize::try_from(length).map_err(|_| ProtocolError::InvalidValue("a value length"))?;
    reader.take(length).map(Some)
}

/// A row description, validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowDescription<'a> {
    count: u16,
    fields: &'a [u8],
}

/// One column of a row description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldDescription<'a> {
    /// The column's name.
    pub name: &'a str,
    /// The table it comes from, or 0.
    pub table_oid: u32,
    /// Its attribute number in that table, or 0.
    pub column_id: i16,
    /// Its type.
    pub type_oid: u32,
    /// The type's size (negative: variable).
    pub type_size: i16,
    /// The type modifier.
    pub type_modifier: i32,
    /// 0 text, 1 binary.
    pub format: i16,
}

impl<'a> RowDescription<'a> {
    /// A description already validated by the decoder.
    pub(super) fn new(count: u16, fields: &'a [u8]) -> Self {
        RowDescription { count, fields }
    }

    /// How many columns.
    pub fn len(&self) -> usize {
        usize::from(self.count)
    }

    /// Whether there are no columns.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The columns in order.
    pub fn fields(&self) -> impl Iterator<Item = FieldDescription<'a>> + 'a {
        let mut reader = Reader::new(self.fields, "a row description");
        let mut left = self.count;
        core::iter::from_fn(move || {
            left = left.checked_sub(1)?;
            next_field(&mut reader).ok()
        })
    }
}

/// Reads one field of a row description.
pub(super) fn next_field<'a>(
    reader: &mut Reader<'a>,
) -> Result<FieldDescription<'a>, ProtocolError> {
    Ok(FieldDescription {
        name: reader.c_str()?,
        table_oid: reader.u32()?,
        column_id: reader.i16()?,
        type_oid: reader.u32()?,
        type_size: reader.i16()?,
        type_modifier: reader.i32()?,
        format: reader.i16()?,
    })
}
