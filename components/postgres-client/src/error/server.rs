//! A server's error fields, and the kind of failure each SQLSTATE class is.
use alloc::string::String;

use super::ErrorKind;
use crate::protocol::Fields;

/// A server's `ErrorResponse`, field by field. Fields the server did not send are empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerError {
    /// `ERROR`, `FATAL` or `PANIC` (not localized).
    pub severity: String,
    /// The SQLSTATE code (`23505`).
    pub code: String,
    /// The primary message.
    pub message: String,
    /// The detail, often naming the offending value.
    pub detail: String,
    /// A hint.
    pub hint: String,
    /// The position in the statement (1-based characters), or empty.
    pub position: String,
    /// The schema of the object concerned.
    pub schema: String,
    /// The table concerned.
    pub table: String,
    /// The column concerned.
    pub column: String,
    /// The constraint concerned.
    pub constraint: String,
}

impl ServerError {
    /// The kind of failure its SQLSTATE names.
    pub fn kind(&self) -> ErrorKind {
        kind_of_sqlstate(&self.code)
    }

    /// Copies the fields of an `ErrorResponse` (lossily when they are not UTF-8).
    pub fn from_fields(fields: &Fields<'_>) -> Self {
        let mut error = ServerError::default();
        for (code, value) in fields.iter() {
            let target = match code {
                b'V' => &mut error.severity,
                b'S' if error.severity.is_empty() => &mut error.severity,
                b'C' => &mut error.code,
                b'M' => &mut error.message,
                b'D' => &mut error.detail,
                b'H' => &mut error.hint,
                b'P' => &mut error.position,
                b's' => &mut error.schema,
                b't' => &mut error.table,
                b'c' => &mut error.column,
                b'n' => &mut error.constraint,
                _ => continue,
            };
            *target = String::from_utf8_lossy(value).into_owned();
        }
        error
    }
}

impl core::fmt::Display for ServerError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            formatter,
            "{} {}: {}",
            self.severity, self.code, self.message
        )?;
        if !self.detail.is_empty() {
            write!(formatter, " ({})", self.detail)?;
        }
        Ok(())
    }
}

/// The kind of a SQLSTATE (PostgreSQL manual, appendix A).
fn kind_of_sqlstate(code: &str) -> ErrorKind {
    match code {
        "23505" => ErrorKind::UniqueViolation,
        "23503" | "23P01" | "40001" | "40P01" => ErrorKind::Conflict,
        "57014" => ErrorKind::Timeout,
        _ => match code.get(..2) {
            Some("22" | "23") => ErrorKind::BadInput,
            Some("08" | "28" | "53" | "57" | "3D") => ErrorKind::Unavailable,
            _ => ErrorKind::Server,
        },
    }
}
