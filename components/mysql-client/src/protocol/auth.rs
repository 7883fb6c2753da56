//! Authentication plugins: scrambling a password with the server's nonce, and the server's
//! replies during authentication (OK, ERR, auth switch, more data).
//!
//! - `mysql_native_password`: `SHA1(password) XOR SHA1(nonce + SHA1(SHA1(password)))`.
//! - `caching_sha2_password`: `SHA256(password) XOR SHA256(SHA256(SHA256(password)) + nonce)`;
//!   the server then answers "more data" `0x03` (fast path: the password was in its cache) or
//!   `0x04` (full authentication: the password itself must reach the server, which over a plain
//!   connection means RSA-OAEP with the server's public key, see `public_key`).
use alloc::vec::Vec;

use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::error::ProtocolError;
use super::response::{decode_err, ServerError, EOF, ERR, OK};
use super::wire::Reader;

/// First byte of an "auth more data" packet.
pub const MORE_DATA: u8 = 0x01;
/// `caching_sha2_password`: the client asks for the server's RSA public key.
pub const REQUEST_PUBLIC_KEY: u8 = 0x02;
/// `caching_sha2_password`: the scramble matched the server's cache; an OK packet follows.
pub const FAST_AUTH_SUCCESS: u8 = 0x03;
/// `caching_sha2_password`: the server needs the password itself.
pub const PERFORM_FULL_AUTHENTICATION: u8 = 0x04;

/// The authentication plugins this client implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthPlugin {
    /// `mysql_native_password` (SHA-1 challenge-response).
    NativePassword,
    /// `caching_sha2_password` (SHA-256 challenge-response, then RSA for full authentication).
    CachingSha2Password,
}

impl AuthPlugin {
    /// The plugin's name on the wire.
    pub const fn name(self) -> &'static str {
        match self {
            AuthPlugin::NativePassword => "mysql_native_password",
            AuthPlugin::CachingSha2Password => "caching_sha2_password",
        }
    }

    /// The plugin called `name`, if this client implements it.
    pub fn from_name(name: &[u8]) -> Option<AuthPlugin> {
        match name {
            b"mysql_native_password" => Some(AuthPlugin::NativePassword),
            b"caching_sha2_password" => Some(AuthPlugin::CachingSha2Password),
            _ => None,
        }
    }

    /// The plugin's response to `nonce` for `password` (empty for an empty password).
    pub fn scramble(self, password: &[u8], nonce: &[u8]) -> Vec<u8> {
        if password.is_empty() {
            return Vec::new();
        }
        match self {
            AuthPlugin::NativePassword => native_password(password, nonce).to_vec(),
            AuthPlugin::CachingSha2Password => caching_sha2_password(password, nonce).to_vec(),
        }
    }
}

/// `mysql_native_password`'s scramble.
pub fn native_password(password: &[u8], nonce: &[u8]) -> [u8; 20] {
    let hashed: [u8; 20] = Sha1::digest(password).into();
    let double_hashed: [u8; 20] = Sha1::digest(hashed).into();
    let mut hasher = Sha1::new();
    hasher.update(nonce);
    hasher.update(double_hashed);
    let mask: [u8; 20] = hasher.finalize().into();
    xor(hashed, mask)
}

/// `caching_sha2_password`'s scramble.
pub fn caching_sha2_password(password: &[u8], nonce: &[u8]) -> [u8; 32] {
    let hashed: [u8; 32] = Sha256::digest(password).into();
    let double_hashed: [u8; 32] = Sha256::digest(hashed).into();
    let mut hasher = Sha256::new();
    hasher.update(double_hashed);
    hasher.update(nonce);
    let mask: [u8; 32] = hasher.finalize().into();
    xor(hashed, mask)
}

fn xor<const N: usize>(mut left: [u8; N], right: [u8; N]) -> [u8; N] {
    for (byte, mask) in left.iter_mut().zip(right) {
        *byte ^= mask;
    }
    left
}

/// The password with a terminating NUL, XORed with the nonce repeated: what full
/// `caching_sha2_password` authentication encrypts with the server's public key.
pub fn xor_password_with_nonce(password: &[u8], nonce: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(password.len() + 1);
    bytes.extend_from_slice(password);
    bytes.push(0);
    if !nonce.is_empty() {
        for (byte, mask) in bytes.iter_mut().zip(nonce.iter().cycle()) {
            *byte ^= mask;
        }
    }
    bytes
}

/// A server packet during authentication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthReply<'a> {
    /// Authenticated; the OK packet's status flags.
    Ok {
        /// Server status flags.
        status: u16,
    },
    /// Refused (wrong password, unknown user, …).
    Error(ServerError),
    /// The server wants another plugin: answer with its scramble of `nonce`.
    Switch {
        /// The plugin's name.
        plugin: &'a [u8],
        /// The new nonce, trailing NUL removed.
        nonce: &'a [u8],
    },
    /// Plugin-specific data (the `caching_sha2_password` status byte, or a public key).
    MoreData(&'a [u8]),
}

/// Decodes a server packet of the authentication exchange.
pub fn decode_auth_reply(payload: &[u8]) -> Result<AuthReply<'_>, ProtocolError> {
    let mut reader = Reader::new(payload, "authentication reply");
    match reader.u8()? {
        OK => super::response::decode_ok(payload).map(|ok| AuthReply::Ok { status: ok.status }),
        ERR => decode_err(payload).map(AuthReply::Error),
        EOF => {
            if reader.is_empty() {
                // The pre-4.1 "old password" switch: no plugin name, never supported.
                return Ok(AuthReply::Switch {
                    plugin: b"mysql_old_password",
                    nonce: &[],
                });
            }
            let plugin = reader.null_terminated()?;
            let mut nonce = reader.rest();
            if let [rest @ .., 0] = nonce {
                nonce = rest;
            }
            Ok(AuthReply::Switch { plugin, nonce })
        }
        MORE_DATA => Ok(AuthReply::MoreData(reader.rest())),
        byte => Err(ProtocolError::Unexpected {
            waiting_for: "an authentication reply",
            byte,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hex(bytes: &[u8]) -> alloc::string::String {
        bytes
            .iter()
            .map(|byte| alloc::format!("{byte:02x}"))
            .collect()
    }

    #[test]
    fn native_password_matches_the_documented_construction() {
        // SHA1("secret") and SHA1(SHA1("secret")) are well known: the latter is the hash
        // `PASSWORD('secret')` shows (*14E65567ABDB5135D0CFD9A70B3032C179A49EE7).
        let hashed: [u8; 20] = Sha1::digest(b"secret").into();
        let stored: [u8; 20] = Sha1::digest(hashed).into();
        assert_eq!(hex(&stored), "14e65567abdb5135d0cfd9a70b3032c179a49ee7");
        let nonce = b"01234567890123456789";
        let scramble = native_password(b"secret", nonce);
        // The server's check: SHA1(scramble XOR SHA1(nonce + stored)) == stored.
        let mask: [u8; 20] = Sha1::new()
            .chain_update(nonce)
            .chain_update(stored)
            .finalize()
            .into();
        let recovered = xor(scramble, mask);
        let recovered_stored: [u8; 20] = Sha1::digest(recovered).into();
        assert_eq!(recovered_stored, stored);
        assert!(AuthPlugin::NativePassword.scramble(b"", nonce).is_empty());
    }

    #[test]
    fn caching_sha2_matches_the_servers_check() {
        let nonce = b"abcdefghijklmnopqrst";
        let scramble = caching_sha2_password(b"secret", nonce);
        let hashed: [u8; 32] = Sha256::digest(b"secret").into();
        let stored: [u8; 32] = Sha256::digest(hashed).into();
        let mask: [u8; 32] = Sha256::new()
            .chain_update(stored)
            .chain_update(nonce)
            .finalize()
            .into();
        let recovered = xor(scramble, mask);
        let recovered_stored: [u8; 32] = Sha256::digest(recovered).into();
        assert_eq!(recovered_stored, stored);
    }

    #[test]
    fn the_rsa_plaintext_is_the_password_and_nul_xored_cyclically() {
        assert_eq!(
            xor_password_with_nonce(b"abc", &[1, 2]),
            [b'a' ^ 1, b'b' ^ 2, b'c' ^ 1, 2]
        );
        assert_eq!(xor_password_with_nonce(b"x", &[]), b"x\0");
    }

    #[test]
    fn authentication_replies_decode() {
        assert_eq!(
            decode_auth_reply(b"\x00\x00\x00\x02\x00\x00\x00"),
            Ok(AuthReply::Ok { status: 2 })
        );
        assert_eq!(
            decode_auth_reply(b"\xfemysql_native_password\0abcdefghijklmnopqrst\0"),
            Ok(AuthReply::Switch {
                plugin: b"mysql_native_password",
                nonce: b"abcdefghijklmnopqrst"
            })
        );
        assert_eq!(
            decode_auth_reply(b"\x01\x04"),
            Ok(AuthReply::MoreData(b"\x04"))
        );
        assert!(matches!(
            decode_auth_reply(b"\xff\x15\x04#28000Access denied"),
            Ok(AuthReply::Error(ServerError { code: 1045, .. }))
        ));
        assert_eq!(
            decode_auth_reply(b"\x07"),
            Err(ProtocolError::Unexpected {
                waiting_for: "an authentication reply",
                byte: 7
            })
        );
        assert_eq!(
            AuthPlugin::from_name(b"caching_sha2_password"),
            Some(AuthPlugin::CachingSha2Password)
        );
        assert_eq!(AuthPlugin::from_name(b"client_ed25519"), None);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode_auth_reply(&bytes);
        }
    }
}
