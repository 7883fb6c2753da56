//! Reading a statement's reply: OK, ERR, or result sets (column definitions, then text or
//! binary rows until the terminator), and the further sets a stored procedure returns.
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use sauce_connect::{Read, Write};

use super::Connection;
use crate::error::Error;
use crate::protocol::binary_row::decode_binary_row;
use crate::protocol::capabilities::STATUS_MORE_RESULTS;
use crate::protocol::column::{decode_column, Column};
use crate::protocol::command;
use crate::protocol::response::{self, decode_ok, decode_terminator, ends_rows};
use crate::protocol::text_row::decode_text_row;
use crate::protocol::wire::Reader;
use crate::protocol::ProtocolError;
use crate::row::{ResultSet, Row};
use crate::value::Value;

/// Which protocol the rows use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RowFormat {
    /// `COM_QUERY`: values as text.
    Text,
    /// `COM_STMT_EXECUTE`: values in binary form.
    Binary,
}

/// Memory a row costs beyond its payload, for the result limit.
const ROW_OVERHEAD: usize = core::mem::size_of::<Row>();

impl<S: Read + Write> Connection<S> {
    /// Sends `COM_QUERY` and reads every result set.
    pub(super) async fn run_query(&mut self, sql: &str) -> Result<Vec<ResultSet>, Error> {
        self.transport.start_command();
        self.transport
            .send(|payload| command::encode_simple(command::QUERY, sql.as_bytes(), payload))
            .await?;
        self.read_results(RowFormat::Text).await
    }

    /// Reads result sets until one says no more follow.
    pub(super) async fn read_results(
        &mut self,
        format: RowFormat,
    ) -> Result<Vec<ResultSet>, Error> {
        let mut results = Vec::new();
        let mut budget = Budget::new(self.limits.max_result);
        loop {
            let result = self.read_result(format, &mut budget).await?;
            results.push(result);
            if self.status & STATUS_MORE_RESULTS == 0 {
                return Ok(results);
            }
        }
    }

    /// Reads one reply: OK, ERR, or a result set, charging its memory to `budget`.
    async fn read_result(
        &mut self,
        format: RowFormat,
        budget: &mut Budget,
    ) -> Result<ResultSet, Error> {
        let payload = self.transport.read().await?;
        budget.charge(payload.len() + core::mem::size_of::<ResultSet>())?;
        let column_count = match payload.first() {
            Some(&response::OK) => {
                let ok = decode_ok(payload)?;
                self.status = ok.status;
                return Ok(ResultSet {
                    affected_rows: ok.affected_rows,
                    last_insert_id: ok.last_insert_id,
                    warnings: ok.warnings,
                    info: String::from_utf8_lossy(ok.info).into_owned(),
                    ..ResultSet::default()
                });
            }
            Some(&response::ERR) => {
                return Err(Error::server_error(response::decode_err(payload)?));
            }
            Some(&byte @ 0xfb) => {
                // LOCAL INFILE request: never enabled, so a server sending it is misbehaving.
                return Err(ProtocolError::Unexpected {
                    waiting_for: "a result set",
                    byte,
                }
                .into());
            }
            _ => {
                let mut reader = Reader::new(payload, "column count");
                let count = reader.length_encoded()?;
                if count == 0 || !reader.is_empty() {
                    return Err(reader.malformed().into());
                }
                count
            }
        };
        if column_count > self.limits.max_columns as u64 {
            return Err(ProtocolError::TooLarge {
                what: "columns",
                limit: self.limits.max_columns,
            }
            .into());
        }
        let columns: Rc<[Column]> =
            Rc::from(self.read_columns(column_count as usize, budget).await?);
        self.read_rows(format, columns, budget).await
    }

    /// Reads `count` column definitions and, without `CLIENT_DEPRECATE_EOF`, their EOF.
    pub(super) async fn read_columns(
        &mut self,
        count: usize,
        budget: &mut Budget,
    ) -> Result<Vec<Column>, Error> {
        let mut columns = Vec::with_capacity(count.min(64));
        for _ in 0..count {
            let payload = self.transport.read().await?;
            budget.charge(payload.len() + core::mem::size_of::<Column>())?;
            columns.push(decode_column(payload)?);
        }
        if count > 0 && !self.deprecate_eof() {
            let payload = self.transport.read().await?;
            self.status = response::decode_eof(payload)?.status;
        }
        Ok(columns)
    }

    /// Reads rows until the terminator (or an ERR, which ends the result set too).
    async fn read_rows(
        &mut self,
        format: RowFormat,
        columns: Rc<[Column]>,
        budget: &mut Budget,
    ) -> Result<ResultSet, Error> {
        let deprecate_eof = self.deprecate_eof();
        let mut rows = Vec::new();
        loop {
            let payload = self.transport.read().await?;
            if payload.first() == Some(&response::ERR) {
                return Err(Error::server_error(response::decode_err(payload)?));
            }
            if ends_rows(payload, deprecate_eof) {
                let (status, warnings) = decode_terminator(payload, deprecate_eof)?;
                self.status = status;
                return Ok(ResultSet {
                    columns: Some(columns),
                    rows,
                    warnings,
                    ..ResultSet::default()
                });
            }
            budget.charge(
                payload.len() + ROW_OVERHEAD + columns.len() * core::mem::size_of::<Value>(),
            )?;
            let mut values = Vec::with_capacity(columns.len());
            match format {
                RowFormat::Text => decode_text_row(payload, &columns, &mut values)?,
                RowFormat::Binary => decode_binary_row(payload, &columns, &mut values)?,
            }
            rows.push(Row::new(Rc::clone(&columns), values));
        }
    }
}

/// The memory one reply may still take ([`Limits::max_result`](crate::Limits)).
pub(super) struct Budget {
    remaining: usize,
    limit: usize,
}

impl Budget {
    pub(super) const fn new(limit: usize) -> Budget {
        Budget {
            remaining: limit,
            limit,
        }
    }

    /// Takes `cost` bytes from the budget.
    fn charge(&mut self, cost: usize) -> Result<(), ProtocolError> {
        self.remaining = self
            .remaining
            .checked_sub(cost)
            .ok_or(ProtocolError::TooLarge {
                what: "result",
                limit: self.limit,
            })?;
        Ok(())
    }
}
