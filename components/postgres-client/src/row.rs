//! Result rows: the column descriptions (shared by the rows of one result) and typed access.
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use crate::protocol::{DataRow, ProtocolError, RowDescription};
use crate::types::FromSql;
use crate::Error;

/// One column of a result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Its name (`AS` alias included).
    pub name: String,
    /// Its type OID (see [`crate::types::oid`]).
    pub type_oid: u32,
}

/// The columns of a result, from its row description.
pub(crate) fn columns(description: &RowDescription<'_>) -> Rc<[Column]> {
    description
        .fields()
        .map(|field| Column {
            name: String::from(field.name),
            type_oid: field.type_oid,
        })
        .collect()
}

/// One row of an extended-protocol result, values in the binary form.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    columns: Rc<[Column]>,
    data: Vec<u8>,
    /// Each value's bytes in `data`, or `None` for NULL.
    ranges: Vec<Option<(usize, usize)>>,
}

impl Row {
    /// Copies a data row; it must have as many values as there are columns.
    pub(crate) fn new(columns: Rc<[Column]>, row: &DataRow<'_>) -> Result<Row, ProtocolError> {
        if row.len() != columns.len() {
            return Err(ProtocolError::InvalidValue("a data row's column count"));
        }
        let mut data = Vec::with_capacity(row.raw().len());
        let mut ranges = Vec::with_capacity(row.len());
        for value in row.values() {
            ranges.push(value.map(|bytes| {
                let start = data.len();
                data.extend_from_slice(bytes);
                (start, data.len())
            }));
        }
        Ok(Row {
            columns,
            data,
            ranges,
        })
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// How many values.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Whether the row has no values.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The value of column `index` (from 0) as `T`.
    pub fn get<T: FromSql>(&self, index: usize) -> Result<T, Error> {
        let column = self.columns.get(index).ok_or(Error::ColumnIndex(index))?;
        let value = self.raw(index).ok_or(Error::ColumnIndex(index))?;
        T::from_sql(column.type_oid, value).map_err(|error| Error::Column {
            column: index,
            error,
        })
    }

    /// The value of the column named `name` as `T` (the first, if several have the name).
    pub fn get_named<T: FromSql>(&self, name: &str) -> Result<T, Error> {
        let index = self
            .columns
            .iter()
            .position(|column| column.name == name)
            .ok_or_else(|| Error::ColumnNotFound(String::from(name)))?;
        self.get(index)
    }

    /// The raw binary value of column `index`: `None` if there is no such column,
    /// `Some(None)` for NULL.
    pub fn raw(&self, index: usize) -> Option<Option<&[u8]>> {
        let range = self.ranges.get(index)?;
        Some(range.and_then(|(start, end)| self.data.get(start..end)))
    }
}

/// One row of a simple-protocol result: every value is text (or NULL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleRow {
    columns: Rc<[Column]>,
    values: Vec<Option<String>>,
}

impl SimpleRow {
    /// Copies a data row whose values are text.
    pub(crate) fn new(columns: Rc<[Column]>, row: &DataRow<'_>) -> Result<Self, ProtocolError> {
        if row.len() != columns.len() {
            return Err(ProtocolError::InvalidValue("a data row's column count"));
        }
        let values = row
            .values()
            .map(|value| value.map(|bytes| String::from_utf8_lossy(bytes).into_owned()))
            .collect();
        Ok(SimpleRow { columns, values })
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The text of column `index`; `None` for NULL or no such column.
    pub fn get(&self, index: usize) -> Option<&str> {
        self.values.get(index)?.as_deref()
    }
}
