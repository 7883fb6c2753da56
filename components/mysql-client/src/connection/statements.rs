//! Prepared statements: `COM_STMT_PREPARE`, `COM_STMT_EXECUTE`, `COM_STMT_CLOSE`, and the
//! per-connection cache [`Connection::execute`] keeps (least recently used out first).
use alloc::string::String;
use alloc::vec::Vec;

use sauce_connect::{Read, Write};

use super::results::{Budget, RowFormat};
use super::Connection;
use crate::error::{Error, UsageError};
use crate::param::Param;
use crate::protocol::command::{self, decode_prepare_ok};
use crate::protocol::response;
use crate::row::ResultSet;

/// `ER_NEED_REPREPARE`: a table the statement uses changed; prepare it again.
const NEED_REPREPARE: u16 = 1615;

/// A statement prepared on one connection.
#[derive(Debug, PartialEq, Eq)]
pub struct Statement {
    pub(super) connection_id: u32,
    prepared: Prepared,
}

impl Statement {
    /// The server's id of the statement.
    pub(super) const fn id(&self) -> u32 {
        self.prepared.id
    }

    /// How many `?` placeholders it has.
    pub const fn parameters(&self) -> usize {
        self.prepared.parameters as usize
    }

    /// How many columns its result set has.
    pub const fn columns(&self) -> usize {
        self.prepared.columns as usize
    }
}

/// What the server said about a prepared statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Prepared {
    id: u32,
    parameters: u16,
    columns: u16,
}

/// Prepared statements by SQL text, most recently used last.
pub(super) struct StatementCache {
    capacity: usize,
    entries: Vec<(String, Prepared)>,
}

impl StatementCache {
    pub(super) const fn new(capacity: usize) -> StatementCache {
        StatementCache {
            capacity,
            entries: Vec::new(),
        }
    }

    /// The statement for `sql`, marked most recently used.
    fn get(&mut self, sql: &str) -> Option<Prepared> {
        let position = self.entries.iter().position(|(text, _)| text == sql)?;
        let entry = self.entries.remove(position);
        let prepared = entry.1;
        self.entries.push(entry);
        Some(prepared)
    }

    /// Keeps `prepared` for `sql`; returns the statement pushed out to make room, or
    /// `prepared` itself when the cache holds nothing.
    fn insert(&mut self, sql: &str, prepared: Prepared) -> Option<Prepared> {
        if self.capacity == 0 {
            return Some(prepared);
        }
        let evicted = if self.entries.len() >= self.capacity {
            Some(self.entries.remove(0).1)
        } else {
            None
        };
        self.entries.push((String::from(sql), prepared));
        evicted
    }

    fn remove(&mut self, sql: &str) {
        self.entries.retain(|(text, _)| text != sql);
    }
}

impl<S: Read + Write> Connection<S> {
    /// Prepares `sql` and wraps it for the caller.
    pub(super) async fn run_prepare(&mut self, sql: &str) -> Result<Statement, Error> {
        let prepared = self.prepare_on_server(sql).await?;
        Ok(Statement {
            connection_id: self.connection_id,
            prepared,
        })
    }

    /// Executes a caller's statement.
    pub(super) async fn run_execute(
        &mut self,
        statement: &Statement,
        params: &[Param<'_>],
    ) -> Result<ResultSet, Error> {
        self.execute_prepared(statement.prepared, params).await
    }

    /// Executes `sql` through the cache; prepares again once if the server asks to.
    pub(super) async fn run_cached(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<ResultSet, Error> {
        let mut retried = false;
        loop {
            let (prepared, cached) = match self.statements.get(sql) {
                Some(prepared) => (prepared, true),
                None => {
                    let prepared = self.prepare_on_server(sql).await?;
                    match self.statements.insert(sql, prepared) {
                        Some(same) if same == prepared => (prepared, false),
                        Some(evicted) => {
                            self.send_close(evicted.id).await?;
                            (prepared, true)
                        }
                        None => (prepared, true),
                    }
                }
            };
            let outcome = self.execute_prepared(prepared, params).await;
            let stale = outcome
                .as_ref()
                .is_err_and(|error| error.code() == Some(NEED_REPREPARE));
            let clean = match &outcome {
                Ok(_) => true,
                Err(error) => error.server().is_some() || error.kind() == crate::ErrorKind::Usage,
            };
            if stale {
                self.statements.remove(sql);
            }
            if clean && (stale || !cached) {
                self.send_close(prepared.id).await?;
            }
            if stale && !retried {
                retried = true;
                continue;
            }
            return outcome;
        }
    }

    /// `COM_STMT_PREPARE`, reading (and dropping) the parameter and column definitions.
    async fn prepare_on_server(&mut self, sql: &str) -> Result<Prepared, Error> {
        self.transport.start_command();
        self.transport
            .send(|payload| {
                command::encode_simple(command::STATEMENT_PREPARE, sql.as_bytes(), payload)
            })
            .await?;
        let payload = self.transport.read().await?;
        if payload.first() == Some(&response::ERR) {
            return Err(Error::server_error(response::decode_err(payload)?));
        }
        let reply = decode_prepare_ok(payload)?;
        let mut budget = Budget::new(self.limits.max_result);
        self.read_columns(usize::from(reply.parameters), &mut budget)
            .await?;
        self.read_columns(usize::from(reply.columns), &mut budget)
            .await?;
        Ok(Prepared {
            id: reply.statement_id,
            parameters: reply.parameters,
            columns: reply.columns,
        })
    }

    /// `COM_STMT_EXECUTE` with `params`; the first result set (others are read and dropped).
    async fn execute_prepared(
        &mut self,
        prepared: Prepared,
        params: &[Param<'_>],
    ) -> Result<ResultSet, Error> {
        if params.len() != usize::from(prepared.parameters) {
            return Err(Error::usage(UsageError::ParameterCount {
                expected: usize::from(prepared.parameters),
                given: params.len(),
            }));
        }
        self.transport.start_command();
        self.transport
            .send(|payload| command::encode_execute(prepared.id, params, payload))
            .await?;
        let mut results = self.read_results(RowFormat::Binary).await?;
        Ok(if results.is_empty() {
            ResultSet::default()
        } else {
            results.swap_remove(0)
        })
    }

    /// `COM_STMT_CLOSE` (the server sends no reply).
    pub(super) async fn send_close(&mut self, id: u32) -> Result<(), Error> {
        self.transport.start_command();
        self.transport
            .send(|payload| command::encode_statement_close(id, payload))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(id: u32) -> Prepared {
        Prepared {
            id,
            parameters: 0,
            columns: 0,
        }
    }

    #[test]
    fn the_cache_evicts_the_least_recently_used() {
        let mut cache = StatementCache::new(2);
        assert_eq!(cache.insert("a", prepared(1)), None);
        assert_eq!(cache.insert("b", prepared(2)), None);
        assert_eq!(cache.get("a"), Some(prepared(1)));
        assert_eq!(cache.insert("c", prepared(3)), Some(prepared(2)));
        assert_eq!(cache.get("b"), None);
        cache.remove("a");
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get("c"), Some(prepared(3)));
    }

    #[test]
    fn a_cache_of_nothing_hands_the_statement_back() {
        let mut cache = StatementCache::new(0);
        assert_eq!(cache.insert("a", prepared(1)), Some(prepared(1)));
        assert_eq!(cache.get("a"), None);
    }
}
