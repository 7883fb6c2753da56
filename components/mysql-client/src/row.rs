//! Results: [`ResultSet`] (rows plus the statement's counts) and [`Row`] with typed access by
//! index or column name.
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, UsageError};
use crate::protocol::column::Column;
use crate::value::{FromValue, Value};

/// One row; its columns are shared with the other rows of its result set.
#[derive(Clone, PartialEq)]
pub struct Row {
    columns: Rc<[Column]>,
    values: Vec<Value>,
}

/// Something that names a column: a position (`0`) or a name (`"id"`).
pub trait ColumnIndex {
    /// The column's position among `columns`.
    fn position(&self, columns: &[Column]) -> Result<usize, Error>;
}

impl ColumnIndex for usize {
    fn position(&self, columns: &[Column]) -> Result<usize, Error> {
        if *self < columns.len() {
            Ok(*self)
        } else {
            Err(Error::usage(UsageError::NoSuchColumn(format!("{self}"))))
        }
    }
}

impl ColumnIndex for &str {
    /// The first column with this name, compared ASCII-case-insensitively as SQL does.
    fn position(&self, columns: &[Column]) -> Result<usize, Error> {
        columns
            .iter()
            .position(|column| column.name.eq_ignore_ascii_case(self))
            .ok_or_else(|| Error::usage(UsageError::NoSuchColumn(format!("`{self}`"))))
    }
}

impl core::fmt::Debug for Row {
    /// The values only: the columns are the result set's.
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.debug_tuple("Row").field(&self.values).finish()
    }
}

impl Row {
    pub(crate) fn new(columns: Rc<[Column]>, values: Vec<Value>) -> Row {
        Row { columns, values }
    }

    /// The value at `index` read as `T` (`Option<T>` for nullable columns).
    pub fn get<T: FromValue>(&self, index: impl ColumnIndex) -> Result<T, Error> {
        let position = index.position(&self.columns)?;
        let value = self.values.get(position).cloned().unwrap_or(Value::Null);
        self.convert(position, value)
    }

    /// Like [`get`](Self::get), but moves the value out (leaving `NULL`), without copying text.
    pub fn take<T: FromValue>(&mut self, index: impl ColumnIndex) -> Result<T, Error> {
        let position = index.position(&self.columns)?;
        let value = self
            .values
            .get_mut(position)
            .map(core::mem::take)
            .unwrap_or(Value::Null);
        self.convert(position, value)
    }

    fn convert<T: FromValue>(&self, position: usize, value: Value) -> Result<T, Error> {
        T::from_value(value).map_err(|error| {
            let name = self
                .columns
                .get(position)
                .map_or(String::new(), |column| column.name.clone());
            Error::usage(UsageError::Conversion {
                column: format!("{position} (`{name}`)"),
                error,
            })
        })
    }

    /// The value at `position`, untyped.
    pub fn value(&self, position: usize) -> Option<&Value> {
        self.values.get(position)
    }

    /// All values, in column order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The values, without the columns.
    pub fn into_values(self) -> Vec<Value> {
        self.values
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// How many values the row has.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the row has no values.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// What a statement returned: rows (possibly none) and its counts.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ResultSet {
    pub(crate) columns: Option<Rc<[Column]>>,
    pub(crate) rows: Vec<Row>,
    pub(crate) affected_rows: u64,
    pub(crate) last_insert_id: u64,
    pub(crate) warnings: u16,
    pub(crate) info: String,
}

impl ResultSet {
    /// The columns (empty for statements without a result set, such as `INSERT`).
    pub fn columns(&self) -> &[Column] {
        self.columns.as_deref().unwrap_or(&[])
    }

    /// The rows.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The rows, owned.
    pub fn into_rows(self) -> Vec<Row> {
        self.rows
    }

    /// The first row, if any.
    pub fn first(&self) -> Option<&Row> {
        self.rows.first()
    }

    /// How many rows there are.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Rows the statement changed (`INSERT`, `UPDATE`, `DELETE`).
    pub const fn affected_rows(&self) -> u64 {
        self.affected_rows
    }

    /// The `AUTO_INCREMENT` id the statement generated, or 0.
    pub const fn last_insert_id(&self) -> u64 {
        self.last_insert_id
    }

    /// How many warnings the statement raised.
    pub const fn warnings(&self) -> u16 {
        self.warnings
    }

    /// The server's information text (`Rows matched: 1  Changed: 1  Warnings: 0`).
    pub fn info(&self) -> &str {
        &self.info
    }
}

impl IntoIterator for ResultSet {
    type Item = Row;
    type IntoIter = alloc::vec::IntoIter<Row>;

    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_iter()
    }
}

impl<'a> IntoIterator for &'a ResultSet {
    type Item = &'a Row;
    type IntoIter = core::slice::Iter<'a, Row>;

    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Cause, ErrorKind};
    use crate::protocol::column::ColumnType;
    use crate::value::ConversionError;

    fn row() -> Row {
        let column = |name: &str| Column {
            schema: String::new(),
            table: String::new(),
            name: String::from(name),
            column_type: ColumnType::LongLong,
            flags: 0,
            character_set: 63,
            length: 0,
            decimals: 0,
        };
        Row::new(
            Rc::from(alloc::vec![column("id"), column("note")]),
            alloc::vec![Value::Int(7), Value::Null],
        )
    }

    #[test]
    fn columns_are_found_by_position_or_name() {
        let row = row();
        assert_eq!(row.get::<i64>(0), Ok(7));
        assert_eq!(row.get::<i64>("ID"), Ok(7));
        assert_eq!(row.get::<Option<String>>("note"), Ok(None));
        assert_eq!(row.len(), 2);
        assert_eq!(row.columns()[1].name, "note");
        let missing = row.get::<i64>("nope").unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::Usage);
        assert_eq!(missing.to_string(), "the result has no column `nope`");
        assert!(row.get::<i64>(2).is_err());
        assert_eq!(alloc::format!("{row:?}"), "Row([Int(7), Null])");
    }

    #[test]
    fn conversion_errors_name_the_column() {
        let error = row().get::<String>("note").unwrap_err();
        assert_eq!(
            error.cause(),
            &Cause::Usage(UsageError::Conversion {
                column: "1 (`note`)".into(),
                error: ConversionError::Null
            })
        );
    }

    #[test]
    fn take_moves_the_value_out() {
        let mut row = row();
        assert_eq!(row.take::<i64>("id"), Ok(7));
        assert_eq!(row.value(0), Some(&Value::Null));
        assert_eq!(row.into_values().len(), 2);
    }

    #[test]
    fn an_empty_result_has_no_columns() {
        let result = ResultSet::default();
        assert!(result.columns().is_empty());
        assert!(result.is_empty());
        assert_eq!(result.first(), None);
        assert_eq!(result.into_iter().count(), 0);
    }
}
