//! The connection phase's first two packets: the server's handshake v10 and the client's
//! handshake response (protocol 4.1).
use alloc::vec::Vec;

use super::capabilities::{PLUGIN_AUTH, PLUGIN_AUTH_LENENC_CLIENT_DATA};
use super::error::ProtocolError;
use super::wire::{self, Reader};

/// The collation this client asks for: `utf8mb4_general_ci`, known to MySQL and MariaDB.
pub const UTF8MB4_GENERAL_CI: u8 = 45;

/// The largest nonce (authentication plugin data) accepted from a server.
pub const MAX_NONCE: usize = 8 + 255;

/// The server's greeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handshake<'a> {
    /// The server's version string (MariaDB prefixes it with `5.5.5-`).
    pub server_version: &'a [u8],
    /// The server's thread id for this connection (what `KILL` takes).
    pub connection_id: u32,
    /// The server's capability flags.
    pub capabilities: u32,
    /// The server's default collation id.
    pub character_set: u8,
    /// Server status flags.
    pub status: u16,
    /// The authentication nonce ("scramble"), normally 20 bytes, trailing NUL removed.
    pub nonce: Vec<u8>,
    /// The server's default authentication plugin (`mysql_native_password`, …).
    pub auth_plugin: &'a [u8],
}

/// Decodes a handshake v10 packet.
pub fn decode_handshake(payload: &[u8]) -> Result<Handshake<'_>, ProtocolError> {
    let mut reader = Reader::new(payload, "handshake");
    let version = reader.u8()?;
    if version != 10 {
        return Err(ProtocolError::ProtocolVersion(version));
    }
    let server_version = reader.null_terminated()?;
    let connection_id = reader.u32()?;
    let mut nonce = Vec::with_capacity(21);
    nonce.extend_from_slice(reader.bytes(8)?);
    reader.skip(1)?;
    let capabilities_low = u32::from(reader.u16()?);
    let character_set = reader.u8()?;
    let status = reader.u16()?;
    let capabilities = capabilities_low | u32::from(reader.u16()?) << 16;
    let nonce_length = usize::from(reader.u8()?);
    reader.skip(10)?;
    let second_part = nonce_length.saturating_sub(8).max(13);
    let second = reader.bytes(second_part.min(reader.remaining().len()))?;
    if second.len() < 12 {
        return Err(reader.truncated());
    }
    nonce.extend_from_slice(second);
    if nonce.last() == Some(&0) {
        nonce.pop();
    }
    let auth_plugin = if capabilities & PLUGIN_AUTH != 0 {
        // MySQL 5.5.7–5.5.9 omitted the terminator; take the rest then.
        match reader.null_terminated() {
            Ok(name) => name,
            Err(_) => reader.rest(),
        }
    } else {
        &[]
    };
    Ok(Handshake {
        server_version,
        connection_id,
        capabilities,
        character_set,
        status,
        nonce,
        auth_plugin,
    })
}

/// What the client answers to the handshake.
#[derive(Clone, Copy, Debug)]
pub struct HandshakeResponse<'a> {
    /// The negotiated capability flags.
    pub capabilities: u32,
    /// The largest packet the client accepts.
    pub max_packet: u32,
    /// The collation id for the session.
    pub character_set: u8,
    /// The user name (no NUL bytes).
    pub user: &'a [u8],
    /// The plugin's first authentication response.
    pub auth_response: &'a [u8],
    /// The default database, sent when `CLIENT_CONNECT_WITH_DB` is negotiated (no NUL bytes).
    pub database: Option<&'a [u8]>,
    /// The plugin that made `auth_response`.
    pub auth_plugin: &'a [u8],
}

/// Appends the handshake response payload.
pub fn encode_handshake_response(response: &HandshakeResponse<'_>, output: &mut Vec<u8>) {
    wire::put_u32(output, response.capabilities);
    wire::put_u32(output, response.max_packet);
    output.push(response.character_set);
    output.extend_from_slice(&[0; 23]);
    wire::put_null_terminated(output, response.user);
    if response.capabilities & PLUGIN_AUTH_LENENC_CLIENT_DATA != 0 {
        wire::put_length_encoded_bytes(output, response.auth_response);
    } else {
        let length = response.auth_response.len().min(255);
        output.push(length as u8);
        output.extend_from_slice(&response.auth_response[..length]);
    }
    if let Some(database) = response.database {
        wire::put_null_terminated(output, database);
    }
    if response.capabilities & PLUGIN_AUTH != 0 {
        wire::put_null_terminated(output, response.auth_plugin);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::protocol::capabilities;
    use proptest::prelude::*;

    /// A handshake as MariaDB 10.11 sends it.
    pub(crate) fn mariadb_handshake() -> Vec<u8> {
        let mut payload = vec![10];
        payload.extend_from_slice(b"5.5.5-10.11.19-MariaDB\0");
        payload.extend_from_slice(&42u32.to_le_bytes());
        payload.extend_from_slice(b"abcdefgh\0");
        payload.extend_from_slice(&0xf7feu16.to_le_bytes());
        payload.push(45);
        payload.extend_from_slice(&2u16.to_le_bytes());
        payload.extend_from_slice(&0x81bfu16.to_le_bytes());
        payload.push(21);
        payload.extend_from_slice(&[0; 10]);
        payload.extend_from_slice(b"ijklmnopqrst\0");
        payload.extend_from_slice(b"mysql_native_password\0");
        payload
    }

    #[test]
    fn a_mariadb_handshake_decodes() {
        let payload = mariadb_handshake();
        let handshake = decode_handshake(&payload).unwrap();
        assert_eq!(handshake.server_version, b"5.5.5-10.11.19-MariaDB");
        assert_eq!(handshake.connection_id, 42);
        assert_eq!(handshake.nonce, b"abcdefghijklmnopqrst");
        assert_eq!(handshake.auth_plugin, b"mysql_native_password");
        assert_eq!(handshake.capabilities, 0x81bf_f7fe);
        assert_eq!(handshake.character_set, 45);
        assert_eq!(handshake.status, 2);
    }

    #[test]
    fn a_plugin_name_without_terminator_is_taken_whole() {
        let mut payload = mariadb_handshake();
        payload.pop();
        assert_eq!(
            decode_handshake(&payload).unwrap().auth_plugin,
            b"mysql_native_password"
        );
    }

    #[test]
    fn other_protocol_versions_and_short_greetings_are_refused() {
        assert_eq!(
            decode_handshake(b"\x09abc\0"),
            Err(ProtocolError::ProtocolVersion(9))
        );
        let payload = mariadb_handshake();
        for cut in 0..payload.len() - 23 {
            assert!(decode_handshake(&payload[..cut]).is_err(), "{cut}");
        }
    }

    #[test]
    fn the_response_follows_the_documented_layout() {
        let response = HandshakeResponse {
            capabilities: capabilities::REQUESTED | capabilities::CONNECT_WITH_DB,
            max_packet: 0x0100_0000,
            character_set: UTF8MB4_GENERAL_CI,
            user: b"app",
            auth_response: &[1, 2, 3],
            database: Some(b"shop"),
            auth_plugin: b"mysql_native_password",
        };
        let mut output = Vec::new();
        encode_handshake_response(&response, &mut output);
        let mut expected = Vec::new();
        expected.extend_from_slice(&response.capabilities.to_le_bytes());
        expected.extend_from_slice(&[0, 0, 0, 1, 45]);
        expected.extend_from_slice(&[0; 23]);
        expected.extend_from_slice(b"app\0\x03\x01\x02\x03shop\0mysql_native_password\0");
        assert_eq!(output, expected);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
            if let Ok(handshake) = decode_handshake(&bytes) {
                prop_assert!(handshake.nonce.len() <= MAX_NONCE);
            }
        }
    }
}
