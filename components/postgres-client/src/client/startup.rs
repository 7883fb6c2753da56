//! Opening a session: the startup message, authentication (cleartext, md5, SCRAM-SHA-256),
//! then the server's parameters and key until it is ready for queries.
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::future::Future;

use rand_core::RngCore;
use sauce_connect::{Read, Write};

use super::io::{self, Input};
use super::{remember_parameter, BackendKey, Client, Health};
use crate::authentication::{md5_answer, Scram, ScramError, NONCE_BYTES};
use crate::configuration::Configuration;
use crate::error::ServerError;
use crate::protocol::{self, Authentication, BackendMessage, ProtocolError, TransactionStatus};
use crate::Error;

/// The only SASL mechanism this client speaks.
const SCRAM_SHA_256: &str = "SCRAM-SHA-256";

impl<S: Read + Write> Client<S> {
    /// Starts a session over `stream` (already connected to the server) and authenticates as
    /// the configuration says. `random` supplies the SCRAM client nonce; it is used before
    /// this function returns, so the future does not borrow it.
    pub fn connect<'a>(
        stream: S,
        configuration: &'a Configuration,
        random: &mut dyn RngCore,
    ) -> impl Future<Output = Result<Client<S>, Error>> + 'a
    where
        S: 'a,
    {
        let mut nonce = [0u8; NONCE_BYTES];
        random.fill_bytes(&mut nonce);
        Client::start(stream, configuration, nonce)
    }

    /// The startup conversation with a nonce already drawn.
    async fn start(
        stream: S,
        configuration: &Configuration,
        nonce: [u8; NONCE_BYTES],
    ) -> Result<Client<S>, Error> {
        let mut client = Client {
            stream,
            input: Input::new(configuration.limits.max_message_bytes),
            output: Vec::new(),
            limits: configuration.limits,
            status: TransactionStatus::Idle,
            health: Health::InFlight,
            pending_rollback: false,
            backend_key: None,
            parameters: Vec::new(),
        };
        let mut parameters = alloc::vec![
            ("user", configuration.user.as_str()),
            ("database", configuration.database.as_str()),
            ("client_encoding", "UTF8"),
        ];
        if let Some(name) = &configuration.application_name {
            parameters.push(("application_name", name.as_str()));
        }
        protocol::startup(&mut client.output, &parameters)?;
        io::send(&mut client.stream, &mut client.output).await?;
        client.authenticate(configuration, nonce).await?;
        loop {
            match client.input.receive(&mut client.stream).await? {
                BackendMessage::ParameterStatus { name, value } => {
                    remember_parameter(&mut client.parameters, name, value);
                }
                BackendMessage::BackendKeyData {
                    process_id,
                    secret_key,
                } => {
                    client.backend_key = Some(BackendKey {
                        process_id,
                        secret_key,
                    })
                }
                BackendMessage::NoticeResponse(_)
                | BackendMessage::NegotiateProtocolVersion { .. } => {}
                BackendMessage::ErrorResponse(fields) => {
                    return Err(Error::Server(Box::new(ServerError::from_fields(&fields))))
                }
                BackendMessage::ReadyForQuery(status) => {
                    client.status = status;
                    client.health = Health::Ready;
                    return Ok(client);
                }
                other => return Err(ProtocolError::Unexpected(other.tag()).into()),
            }
        }
    }

    /// Answers authentication requests until `AuthenticationOk`.
    async fn authenticate(
        &mut self,
        configuration: &Configuration,
        nonce: [u8; NONCE_BYTES],
    ) -> Result<(), Error> {
        let password = configuration.password.as_deref().map(str::as_bytes);
        let mut scram: Option<Scram> = None;
        loop {
            let request = match self.input.receive(&mut self.stream).await? {
                BackendMessage::Authentication(request) => request,
                BackendMessage::NoticeResponse(_)
                | BackendMessage::NegotiateProtocolVersion { .. } => continue,
                BackendMessage::ErrorResponse(fields) => {
                    return Err(Error::Server(Box::new(ServerError::from_fields(&fields))))
                }
                other => return Err(ProtocolError::Unexpected(other.tag()).into()),
            };
            match request {
                Authentication::Ok => return Ok(()),
                Authentication::CleartextPassword => {
                    protocol::password(&mut self.output, password.ok_or(Error::PasswordMissing)?)?;
                }
                Authentication::Md5Password { salt } => {
                    let password = password.ok_or(Error::PasswordMissing)?;
                    let answer = md5_answer(configuration.user.as_bytes(), password, salt);
                    protocol::password(&mut self.output, &answer)?;
                }
                Authentication::Sasl(mechanisms) => {
                    if !mechanisms.iter().any(|name| name == SCRAM_SHA_256) {
                        return Err(Error::UnsupportedAuthentication(10));
                    }
                    let exchange =
                        Scram::with_random_nonce(password.ok_or(Error::PasswordMissing)?, nonce);
                    protocol::sasl_initial_response(
                        &mut self.output,
                        SCRAM_SHA_256,
                        &exchange.client_first(),
                    )?;
                    scram = Some(exchange);
                }
                Authentication::SaslContinue(server_first) => {
                    let exchange = scram.as_mut().ok_or(ScramError::OutOfOrder)?;
                    // The key derivation yields between pieces: a task never holds the CPU
                    // past the watchdog, however many iterations (up to the limit) are asked.
                    let client_final = exchange
                        .client_final(server_first, self.limits.max_scram_iterations)
                        .await?;
                    protocol::sasl_response(&mut self.output, &client_final)?;
                }
                Authentication::SaslFinal(server_final) => {
                    let exchange = scram.take().ok_or(ScramError::OutOfOrder)?;
                    exchange.verify_server_final(server_final)?;
                    continue;
                }
                Authentication::Unsupported(method) => {
                    return Err(Error::UnsupportedAuthentication(method))
                }
            }
            io::send(&mut self.stream, &mut self.output).await?;
        }
    }
}
