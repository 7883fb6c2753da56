//! The simple protocol: one or more statements without parameters, rows as text.
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use sauce_connect::{Read, Write};

use super::io;
use super::{remember_parameter, Client};
use crate::error::ServerError;
use crate::protocol::{self, BackendMessage, ProtocolError};
use crate::row::{self, Column, SimpleRow};
use crate::statement::Statement;
use crate::Error;

impl<S: Read + Write> Client<S> {
    /// Runs one or more `;`-separated statements that take no parameters (schema changes,
    /// `SET`), stopping at the first error.
    pub async fn batch_execute<'s>(
        &mut self,
        statement: impl Into<Statement<'s>>,
    ) -> Result<(), Error> {
        self.begin_operation().await?;
        let outcome = self.simple(statement.into().text(), None).await;
        self.end_operation(outcome).map(|_| ())
    }

    /// Runs statements without parameters and returns all their rows, values as text.
    pub async fn simple_query<'s>(
        &mut self,
        statement: impl Into<Statement<'s>>,
    ) -> Result<Vec<SimpleRow>, Error> {
        let mut rows = Vec::new();
        self.begin_operation().await?;
        let outcome = self.simple(statement.into().text(), Some(&mut rows)).await;
        self.end_operation(outcome).map(|_| rows)
    }

    /// One simple-protocol cycle; returns the last command tag.
    pub(super) async fn simple(
        &mut self,
        sql: &str,
        mut rows: Option<&mut Vec<SimpleRow>>,
    ) -> Result<String, Error> {
        protocol::query(&mut self.output, sql)?;
        io::send(&mut self.stream, &mut self.output).await?;
        let mut columns: Option<Rc<[Column]>> = None;
        let mut result_bytes = 0usize;
        let mut last_tag = String::new();
        let mut failure: Option<Error> = None;
        loop {
            match self.input.receive(&mut self.stream).await? {
                BackendMessage::EmptyQueryResponse
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
                    rows.push(SimpleRow::new(columns, &data)?);
                }
                BackendMessage::CommandComplete { tag } => last_tag = String::from(tag),
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
                        None => Ok(last_tag),
                    };
                }
                other => return Err(ProtocolError::Unexpected(other.tag()).into()),
            }
        }
    }
}
