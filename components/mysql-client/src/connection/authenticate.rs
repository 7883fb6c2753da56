//! The connection phase: read the handshake, answer it, then follow the server through
//! plugin switches and `caching_sha2_password`'s fast and full paths until OK or ERR.
use alloc::string::String;
use alloc::vec::Vec;

use sauce_connect::{Read, Write};

use super::transport::Transport;
use crate::error::{AuthenticationError, Error, UsageError};
use crate::options::Options;
use crate::protocol::auth::{
    decode_auth_reply, AuthPlugin, AuthReply, FAST_AUTH_SUCCESS, PERFORM_FULL_AUTHENTICATION,
};
use crate::protocol::capabilities::{self, CONNECT_WITH_DB};
use crate::protocol::handshake::{
    decode_handshake, encode_handshake_response, HandshakeResponse, UTF8MB4_GENERAL_CI,
};
use crate::protocol::{response, ProtocolError};
use crate::random::Random;

/// Authentication exchanges after the handshake response before giving up.
const MAX_ROUNDS: usize = 8;

/// What the connection phase established.
pub(super) struct Session {
    pub(super) capabilities: u32,
    pub(super) server_version: String,
    pub(super) connection_id: u32,
    pub(super) status: u16,
}

/// Runs the connection phase over `transport`.
pub(super) async fn authenticate<S: Read + Write>(
    transport: &mut Transport<S>,
    options: &Options,
    random: &mut dyn Random,
) -> Result<Session, Error> {
    let has_nul = |text: &str| text.as_bytes().contains(&0);
    if has_nul(&options.user)
        || has_nul(&options.password)
        || options.database.as_deref().is_some_and(has_nul)
    {
        return Err(Error::usage(UsageError::NulInSetting));
    }
    transport.start_command();
    let payload = transport.read().await?;
    if payload.first() == Some(&response::ERR) {
        return Err(Error::server_error(response::decode_err(payload)?));
    }
    let handshake = decode_handshake(payload)?;
    if let Some(missing) = capabilities::missing_requirement(handshake.capabilities) {
        return Err(ProtocolError::MissingCapability(missing).into());
    }
    let session_capabilities =
        capabilities::negotiate(handshake.capabilities, options.database.is_some());
    let server_version = String::from_utf8_lossy(handshake.server_version).into_owned();
    let connection_id = handshake.connection_id;
    let mut nonce = handshake.nonce;
    let mut plugin = options
        .auth_plugin
        .or_else(|| AuthPlugin::from_name(handshake.auth_plugin))
        .unwrap_or(AuthPlugin::NativePassword);
    let password = options.password.as_bytes();
    let first_response = plugin.scramble(password, &nonce);
    let database = options
        .database
        .as_deref()
        .filter(|_| session_capabilities & CONNECT_WITH_DB != 0);
    transport
        .send(|output| {
            encode_handshake_response(
                &HandshakeResponse {
                    capabilities: session_capabilities,
                    max_packet: u32::try_from(options.limits.max_packet).unwrap_or(u32::MAX),
                    character_set: UTF8MB4_GENERAL_CI,
                    user: options.user.as_bytes(),
                    auth_response: &first_response,
                    database: database.map(str::as_bytes),
                    auth_plugin: plugin.name().as_bytes(),
                },
                output,
            );
        })
        .await?;

    for _ in 0..MAX_ROUNDS {
        let reply = decode_auth_reply(transport.read().await?)?;
        let answer: Vec<u8> = match reply {
            AuthReply::Ok { status } => {
                return Ok(Session {
                    capabilities: session_capabilities,
                    server_version,
                    connection_id,
                    status,
                })
            }
            AuthReply::Error(error) => return Err(Error::server_error(error)),
            AuthReply::Switch {
                plugin: name,
                nonce: new_nonce,
            } => {
                plugin = AuthPlugin::from_name(name).ok_or_else(|| {
                    Error::authentication(AuthenticationError::UnsupportedPlugin(
                        String::from_utf8_lossy(name).into_owned(),
                    ))
                })?;
                nonce = new_nonce.to_vec();
                plugin.scramble(password, &nonce)
            }
            AuthReply::MoreData(data) => {
                if plugin != AuthPlugin::CachingSha2Password {
                    return Err(ProtocolError::Unexpected {
                        waiting_for: "an authentication reply",
                        byte: crate::protocol::auth::MORE_DATA,
                    }
                    .into());
                }
                match data {
                    [FAST_AUTH_SUCCESS] => continue,
                    [PERFORM_FULL_AUTHENTICATION] => {
                        full_authentication(transport, options, &nonce, random).await?
                    }
                    _ => {
                        return Err(ProtocolError::Malformed("caching_sha2_password status").into())
                    }
                }
            }
        };
        transport
            .send(|output| output.extend_from_slice(&answer))
            .await?;
    }
    Err(Error::authentication(AuthenticationError::TooManyRounds))
}

/// Full `caching_sha2_password` authentication over a plain connection: the password
/// encrypted with the server's RSA key (pinned, or requested with `0x02`).
#[cfg(feature = "rsa")]
async fn full_authentication<S: Read + Write>(
    transport: &mut Transport<S>,
    options: &Options,
    nonce: &[u8],
    random: &mut dyn Random,
) -> Result<Vec<u8>, Error> {
    use crate::protocol::public_key::encrypt_password;
    let encrypt = |key: &[u8], random: &mut dyn Random| {
        encrypt_password(key, options.password.as_bytes(), nonce, random)
            .map_err(|error| Error::authentication(AuthenticationError::PublicKey(error)))
    };
    if let Some(key) = &options.server_public_key {
        return encrypt(key.as_bytes(), random);
    }
    if !options.allow_public_key_retrieval {
        return Err(Error::authentication(
            AuthenticationError::PublicKeyRetrievalDisabled,
        ));
    }
    transport
        .send(|output| output.push(crate::protocol::auth::REQUEST_PUBLIC_KEY))
        .await?;
    match decode_auth_reply(transport.read().await?)? {
        AuthReply::MoreData(key) => encrypt(key, random),
        AuthReply::Error(error) => Err(Error::server_error(error)),
        _ => Err(ProtocolError::Malformed("public key reply").into()),
    }
}

/// Without the `rsa` feature full authentication is impossible over a plain connection.
#[cfg(not(feature = "rsa"))]
async fn full_authentication<S: Read + Write>(
    _transport: &mut Transport<S>,
    _options: &Options,
    _nonce: &[u8],
    _random: &mut dyn Random,
) -> Result<Vec<u8>, Error> {
    Err(Error::authentication(AuthenticationError::RsaDisabled))
}
