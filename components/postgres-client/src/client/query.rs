//! The extended protocol: Parse, Bind, Describe, Execute and Sync in one write, typed
//! parameters, rows in the binary form.
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;

use sauce_connect::{Read, Write};

use super::io;
use super::{remember_parameter, rows_affected, Client};
use crate::error::ServerError;
use crate::protocol::{self, BackendMessage, ProtocolError};
use crate::row::{self, Column, Row};
use crate::statement::Statement;
use crate::types::{Parameter, ToParameter};
use crate::Error;

impl<S: Read + Write> Client<S> {
    /// Runs `statement` with `parameters` bound to `$1`, `$2`, … and returns its rows.
    ///
    /// ```no_run
    /// # async fn example<S: sauce_connect::Read + sauce_connect::Write>(
    /// #     client: &mut sauce_postgres::Client<S>,
    /// # ) -> Result<(), sauce_postgres::Error> {
    /// let rows = client
    ///     .query("SELECT id, body FROM notes WHERE owner = $1", &[&"ada"])
    ///     .await?;
    /// for row in rows {
    ///     let id: i64 = row.get(0)?;
    ///     let body: String = row.get_named("body")?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn query<'s>(
        &mut self,
        statement: impl Into<Statement<'s>>,
        parameters: &[&dyn ToParameter],
    ) -> Result<Vec<Row>, Error> {
        let mut rows = Vec::new();
        self.begin_operation().await?;
        let outcome = self
            .extended(statement.into().text(), parameters, Some(&mut rows))
            .await;
        self.end_operation(outcome).map(|_| rows)
    }

    /// Runs `statement` and returns its only row: no row or several are errors.
    pub async fn query_one<'s>(
        &mut self,
        statement: impl Into<Statement<'s>>,
        parameters: &[&dyn ToParameter],
    ) -> Result<Row, Error> {
        self.query_optional(statement, parameters)
            .await?
            .ok_or(Error::NoRows)
    }

    /// Runs `statement` and returns its row, if any: several rows are an error.
    pub async fn query_optional<'s>(
        &mut self,
        statement: impl Into<Statement<'s>>,
        parameters: &[&dyn ToParameter],
    ) -> Result<Option<Row>, Error> {
        let mut rows = self.query(statement, parameters).await?;
        if rows.len() > 1 {
            return Err(Error::TooManyRows);
        }
        Ok(rows.pop())
    }

    /// Runs `statement` and returns how many rows it inserted, updated or deleted.
    pub async fn execute<'s>(
        &mut self,
        statement: impl Into<Statement<'s>>,
        parameters: &[&dyn ToParameter],
    ) -> Result<u64, Error> {
        self.begin_operation().await?;
        let outcome = self
            .extended(statement.into().text(), parameters, None)
            .await;
        self.end_operation(outcome)
    }

    /// One extended-protocol cycle; rows are kept when `rows` is given.
    async fn extended(
        &mut self,
        sql: &str,
        parameters: &[&dyn ToParameter],
        mut rows: Option<&mut Vec<Row>>,
    ) -> Result<u64, Error> {
        let values: Vec<Parameter<'_>> = parameters
            .iter()
            .map(|parameter| parameter.to_parameter())
            .collect();
        if let Err(error) = encode(&mut self.output, sql, &values) {
            self.output.clear();
            return Err(error.into());
        }
        io::send(&mut self.stream, &mut self.output).await?;

        let mut columns: Option<Rc<[Column]>> = None;
        let mut result_bytes = 0usize;
        let mut affected = 0;
        let mut failure: Option<Error> = None;
        loop {
            match self.input.receive(&mut self.stream).await? {
                BackendMessage::ParseComplete
                | BackendMessage::BindComplete
                | BackendMessage::NoData
                | BackendMessage::ParameterDescription { .. }
                | BackendMessage::EmptyQueryResponse
                | BackendMessage::PortalSuspended
                | BackendMessage::NoticeResponse(_)
                | BackendMessage::NotificationResponse { .. } => {}
                BackendMessage::ParameterStatus { name, value } => {
                    remember_parameter(&mut self.parameters, name, value);
                }
                BackendMessage::RowDescription(description) => {
                    columns = Some(row::columns(&description));
                }
                BackendMessage::DataRow(data) => {
                    let Some(rows) = rows.as_deref_mut() else {
                        continue;
                    };
                    result_bytes = result_bytes.saturating_add(data.raw().len());
                    if result_bytes > self.limits.max_result_bytes {
                        return Err(Error::ResultTooLarge(self.limits.max_result_bytes));
                    }
                    let columns = columns.clone().ok_or(ProtocolError::Unexpected(b'D'))?;
                    rows.push(Row::new(columns, &data)?);
                }
                BackendMessage::CommandComplete { tag } => affected = rows_affected(tag),
                BackendMessage::ErrorResponse(fields) => {
                    let error = Error::Server(Box::new(ServerError::from_fields(&fields)));
                    if super::breaks_connection(&error) {
                        return Err(error);
                    }
                    failure.get_or_insert(error);
                }
                BackendMessage::ReadyForQuery(status) => {
                    self.status = status;
                    return match failure {
                        Some(error) => Err(error),
                        None => Ok(affected),
                    };
                }
                other => return Err(ProtocolError::Unexpected(other.tag()).into()),
            }
        }
    }
}

/// Parse (unnamed statement), Bind (unnamed portal), Describe, Execute, Sync.
fn encode(
    output: &mut Vec<u8>,
    sql: &str,
    values: &[Parameter<'_>],
) -> Result<(), protocol::EncodeError> {
    protocol::parse_statement(output, "", sql, values)?;
    protocol::bind(output, "", "", values)?;
    protocol::describe_portal(output, "")?;
    protocol::execute(output, "", 0)?;
    protocol::sync(output);
    Ok(())
}
