//! Opening a session: `HELLO 3` with `AUTH` (falling back to `AUTH` and RESP2 on servers
//! without `HELLO`), then `SELECT` of the configured database.
use sauce_connect::{Read, Write};

use super::Client;
use crate::configuration::{Configuration, Protocol};
use crate::resp::{IntegerText, Value};
use crate::{Error, ServerError};

impl<S: Read + Write> Client<S> {
    /// Starts a session over `stream` (already connected to the server): authenticates with
    /// the configured user and password and selects the configured database.
    pub async fn connect(stream: S, configuration: &Configuration) -> Result<Client<S>, Error> {
        let mut client = Client::new(stream, configuration.limits);
        let user = configuration
            .user
            .as_deref()
            .unwrap_or("default")
            .as_bytes();
        let password = configuration.password.as_deref().map(str::as_bytes);
        let mut authenticated = false;
        if configuration.protocol == Protocol::Resp3 {
            let reply = match password {
                Some(password) => {
                    client
                        .command_reply(&[b"HELLO", b"3", b"AUTH", user, password])
                        .await?
                }
                None => client.command_reply(&[b"HELLO", b"3"]).await?,
            };
            match reply {
                Value::Map(_) | Value::Array(_) => {
                    client.protocol = Protocol::Resp3;
                    authenticated = true;
                }
                // Redis before 6 answers `-ERR unknown command 'HELLO'`; `NOPROTO` if RESP3
                // is unsupported. Fall back to RESP2 and `AUTH`.
                Value::Error(message) if is_unknown_hello(&message) => {}
                Value::Error(message) => return Err(Error::Server(ServerError { message })),
                _ => return Err(Error::UnexpectedReply("a map (HELLO)")),
            }
        }
        if let (false, Some(password)) = (authenticated, password) {
            match &configuration.user {
                Some(user) => {
                    client
                        .command(&[b"AUTH", user.as_bytes(), password])
                        .await?
                }
                None => client.command(&[b"AUTH", password]).await?,
            };
        }
        if configuration.database != 0 {
            let database = IntegerText::new(i64::from(configuration.database));
            client.command(&[b"SELECT", database.as_bytes()]).await?;
        }
        Ok(client)
    }
}

/// Whether an error answers `HELLO` as a command (or protocol) the server does not know.
fn is_unknown_hello(message: &str) -> bool {
    message.starts_with("NOPROTO") || (message.starts_with("ERR") && message.contains("HELLO"))
}
