//! Backend (server → client) messages, decoded from one frame's body without copying.
use super::fields::Fields;
use super::views::{next_field, next_value, DataRow, Mechanisms, RowDescription};
use super::{ProtocolError, Reader};

/// One message from the server, borrowing its body.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BackendMessage<'a> {
    /// `R`: an authentication request or outcome.
    Authentication(Authentication<'a>),
    /// `K`: the key a cancel request would need.
    BackendKeyData {
        /// The backend's process id.
        process_id: i32,
        /// The secret that goes with it.
        secret_key: i32,
    },
    /// `2`
    BindComplete,
    /// `3`
    CloseComplete,
    /// `C`: a statement finished; the tag says what it did (`INSERT 0 1`).
    CommandComplete {
        /// The command tag.
        tag: &'a str,
    },
    /// `G`, `H` or `W`: the server wants to copy data, which this client never asks for.
    CopyResponse(u8),
    /// `D`: one row.
    DataRow(DataRow<'a>),
    /// `I`: the query string was empty.
    EmptyQueryResponse,
    /// `E`: the server refused or failed something.
    ErrorResponse(Fields<'a>),
    /// `n`: the statement returns no rows.
    NoData,
    /// `N`: a warning or information, safe to ignore.
    NoticeResponse(Fields<'a>),
    /// `A`: a `NOTIFY` for a channel this session listens on.
    NotificationResponse {
        /// The notifying backend.
        process_id: i32,
        /// The channel.
        channel: &'a str,
        /// The payload.
        payload: &'a str,
    },
    /// `t`: the number of parameters a statement takes.
    ParameterDescription {
        /// How many parameters.
        count: u16,
    },
    /// `S`: a run-time parameter changed (or its value at startup).
    ParameterStatus {
        /// The parameter.
        name: &'a str,
        /// Its value.
        value: &'a str,
    },
    /// `1`
    ParseComplete,
    /// `s`: `Execute` reached its row limit.
    PortalSuspended,
    /// `Z`: the server waits for the next query.
    ReadyForQuery(TransactionStatus),
    /// `T`: the columns of the rows that follow.
    RowDescription(RowDescription<'a>),
    /// `v`: the server supports an older minor protocol version.
    NegotiateProtocolVersion {
        /// The newest minor version the server supports.
        minor: i32,
    },
}

impl BackendMessage<'_> {
    /// The message's type byte.
    pub fn tag(&self) -> u8 {
        match self {
            BackendMessage::Authentication(_) => b'R',
            BackendMessage::BackendKeyData { .. } => b'K',
            BackendMessage::BindComplete => b'2',
            BackendMessage::CloseComplete => b'3',
            BackendMessage::CommandComplete { .. } => b'C',
            BackendMessage::CopyResponse(tag) => *tag,
            BackendMessage::DataRow(_) => b'D',
            BackendMessage::EmptyQueryResponse => b'I',
            BackendMessage::ErrorResponse(_) => b'E',
            BackendMessage::NoData => b'n',
            BackendMessage::NoticeResponse(_) => b'N',
            BackendMessage::NotificationResponse { .. } => b'A',
            BackendMessage::ParameterDescription { .. } => b't',
            BackendMessage::ParameterStatus { .. } => b'S',
            BackendMessage::ParseComplete => b'1',
            BackendMessage::PortalSuspended => b's',
            BackendMessage::ReadyForQuery(_) => b'Z',
            BackendMessage::RowDescription(_) => b'T',
            BackendMessage::NegotiateProtocolVersion { .. } => b'v',
        }
    }
}

/// The `R` messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Authentication<'a> {
    /// Authentication succeeded.
    Ok,
    /// Send the password in clear.
    CleartextPassword,
    /// Send `md5(md5(password ‖ user) ‖ salt)`.
    Md5Password {
        /// The salt.
        salt: [u8; 4],
    },
    /// Start SASL with one of these mechanisms.
    Sasl(Mechanisms<'a>),
    /// The server's next SASL message.
    SaslContinue(&'a [u8]),
    /// The server's last SASL message.
    SaslFinal(&'a [u8]),
    /// A method this client does not implement (Kerberos, GSSAPI, SSPI).
    Unsupported(i32),
}

/// Where the session stands after a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransactionStatus {
    /// Not in a transaction block.
    Idle,
    /// In a transaction block.
    InTransaction,
    /// In a failed transaction block: only `ROLLBACK` is accepted.
    Failed,
}

/// Decodes the body of a message of type `tag`.
pub fn parse(tag: u8, body: &[u8]) -> Result<BackendMessage<'_>, ProtocolError> {
    let mut reader = Reader::new(body, name(tag));
    let message = match tag {
        b'R' => BackendMessage::Authentication(authentication(&mut reader)?),
        b'K' => BackendMessage::BackendKeyData {
            process_id: reader.i32()?,
            secret_key: reader.i32()?,
        },
        b'2' => BackendMessage::BindComplete,
        b'3' => BackendMessage::CloseComplete,
        b'C' => BackendMessage::CommandComplete {
            tag: reader.c_str()?,
        },
        b'G' | b'H' | b'W' => {
            reader.take(reader.remaining().len())?;
            BackendMessage::CopyResponse(tag)
        }
        b'D' => {
            let count = reader.u16()?;
            let values = reader.remaining();
            for _ in 0..count {
                next_value(&mut reader)?;
            }
            BackendMessage::DataRow(DataRow::new(count, values))
        }
        b'I' => BackendMessage::EmptyQueryResponse,
        b'E' => BackendMessage::ErrorResponse(Fields::parse(&mut reader)?),
        b'n' => BackendMessage::NoData,
        b'N' => BackendMessage::NoticeResponse(Fields::parse(&mut reader)?),
        b'A' => BackendMessage::NotificationResponse {
            process_id: reader.i32()?,
            channel: reader.c_str()?,
            payload: reader.c_str()?,
        },
        b't' => {
            let count = reader.u16()?;
            for _ in 0..count {
                reader.u32()?;
            }
            BackendMessage::ParameterDescription { count }
        }
        b'S' => BackendMessage::ParameterStatus {
            name: reader.c_str()?,
            value: reader.c_str()?,
        },
        b'1' => BackendMessage::ParseComplete,
        b's' => BackendMessage::PortalSuspended,
        b'Z' => BackendMessage::ReadyForQuery(match reader.u8()? {
            b'I' => TransactionStatus::Idle,
            b'T' => TransactionStatus::InTransaction,
            b'E' => TransactionStatus::Failed,
            _ => return Err(ProtocolError::InvalidValue("a transaction status")),
        }),
        b'T' => {
            let count = reader.u16()?;
            let fields = reader.remaining();
            for _ in 0..count {
                next_field(&mut reader)?;
            }
            BackendMessage::RowDescription(RowDescription::new(count, fields))
        }
        b'v' => {
            let minor = reader.i32()?;
            let options = reader.u32()?;
            for _ in 0..options {
                reader.c_bytes()?;
            }
            BackendMessage::NegotiateProtocolVersion { minor }
        }
        other => return Err(ProtocolError::UnknownMessage(other)),
    };
    reader.finish()?;
    Ok(message)
}

/// Decodes the body of an `R` message.
fn authentication<'a>(reader: &mut Reader<'a>) -> Result<Authentication<'a>, ProtocolError> {
    Ok(match reader.i32()? {
        0 => Authentication::Ok,
        3 => Authentication::CleartextPassword,
        5 => Authentication::Md5Password {
            salt: reader.array()?,
        },
        10 => {
            let body = reader.remaining();
            loop {
                if reader.c_str()?.is_empty() {
                    break;
                }
            }
            Authentication::Sasl(Mechanisms::new(body))
        }
        11 => Authentication::SaslContinue(reader.take(reader.remaining().len())?),
        12 => Authentication::SaslFinal(reader.take(reader.remaining().len())?),
        other => {
            reader.take(reader.remaining().len())?;
            Authentication::Unsupported(other)
        }
    })
}

/// The message's name, for errors.
fn name(tag: u8) -> &'static str {
    match tag {
        b'R' => "an authentication message",
        b'K' => "backend key data",
        b'C' => "a command-complete message",
        b'D' => "a data row",
        b'E' => "an error response",
        b'N' => "a notice",
        b'A' => "a notification",
        b't' => "a parameter description",
        b'S' => "a parameter status",
        b'Z' => "a ready-for-query message",
        b'T' => "a row description",
        b'v' => "a protocol negotiation",
        _ => "a message",
    }
}
