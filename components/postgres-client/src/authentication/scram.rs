//! SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding, as Postgres speaks it.
use alloc::string::String;
use alloc::vec::Vec;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Random bytes in a client nonce (base64: 24 printable characters).
pub const NONCE_BYTES: usize = 18;

/// Why a SCRAM exchange failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScramError {
    /// the server's SCRAM message is malformed: {0}
    Malformed(&'static str),
    /// the server's nonce does not extend ours
    NonceMismatch,
    /// the server asks for {iterations} iterations, more than the limit of {limit}
    TooManyIterations {
        /// What the server asked for.
        iterations: u32,
        /// The configured limit.
        limit: u32,
    },
    /// the server reported a SCRAM error: {0}
    Server(String),
    /// the server's signature is wrong: it does not know the password
    SignatureMismatch,
    /// a SCRAM message arrived out of order
    OutOfOrder,
}

impl core::fmt::Display for ScramError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ScramError::Malformed(what) => {
                write!(formatter, "the server's SCRAM message is malformed: {what}")
            }
            ScramError::NonceMismatch => {
                formatter.write_str("the server's nonce does not extend ours")
            }
            ScramError::TooManyIterations { iterations, limit } => write!(
                formatter,
                "the server asks for {iterations} iterations, more than the limit of {limit}"
            ),
            ScramError::Server(message) => {
                write!(formatter, "the server reported a SCRAM error: {message}")
            }
            ScramError::SignatureMismatch => formatter
                .write_str("the server's signature is wrong: it does not know the password"),
            ScramError::OutOfOrder => formatter.write_str("a SCRAM message arrived out of order"),
        }
    }
}

/// The client side of one exchange: `client_first`, then `client_final` with the server's first
/// message, then `verify_server_final` with its last.
pub struct Scram {
    password: Vec<u8>,
    nonce: String,
    client_first_bare: String,
    server_signature: Option<[u8; 32]>,
}

impl core::fmt::Debug for Scram {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("Scram")
            .field("nonce", &self.nonce)
            .finish_non_exhaustive()
    }
}

impl Scram {
    /// An exchange for `user` (Postgres ignores it and takes the startup user: pass "") with a
    /// printable `nonce` without commas.
    pub fn new(user: &str, password: &[u8], nonce: &str) -> Self {
        let mut client_first_bare = String::from("n=");
        for character in user.chars() {
            match character {
                '=' => client_first_bare.push_str("=3D"),
                ',' => client_first_bare.push_str("=2C"),
                other => client_first_bare.push(other),
            }
        }
        client_first_bare.push_str(",r=");
        client_first_bare.push_str(nonce);
        Scram {
            password: password.to_vec(),
            nonce: String::from(nonce),
            client_first_bare,
            server_signature: None,
        }
    }

    /// An exchange with a nonce made of `random` bytes, as Postgres expects it (empty user).
    pub fn with_random_nonce(password: &[u8], random: [u8; NONCE_BYTES]) -> Self {
        Scram::new("", password, &STANDARD.encode(random))
    }

    /// The client-first message: no channel binding (`n,,`), user, nonce.
    pub fn client_first(&self) -> Vec<u8> {
        let mut message = Vec::from(&b"n,,"[..]);
        message.extend_from_slice(self.client_first_bare.as_bytes());
        message
    }

    /// Answers the server-first message with the client proof. Refuses more than
    /// `max_iterations` PBKDF2 iterations, so a hostile server cannot stall the client; the
    /// derivation yields to the executor every
    /// [`ITERATIONS_PER_TURN`](super::ITERATIONS_PER_TURN) iterations.
    pub async fn client_final(
        &mut self,
        server_first: &[u8],
        max_iterations: u32,
    ) -> Result<Vec<u8>, ScramError> {
        let server_first =
            core::str::from_utf8(server_first).map_err(|_| ScramError::Malformed("not UTF-8"))?;
        let mut nonce = None;
        let mut salt = None;
        let mut iterations = None;
        for attribute in server_first.split(',') {
            match attribute.split_once('=') {
                Some(("r", value)) => nonce = Some(value),
                Some(("s", value)) => salt = Some(value),
                Some(("i", value)) => iterations = Some(value),
                Some(("m", _)) => return Err(ScramError::Malformed("a mandatory extension")),
                Some(("e", value)) => return Err(ScramError::Server(String::from(value))),
                _ => return Err(ScramError::Malformed("an unknown attribute")),
            }
        }
        let nonce = nonce.ok_or(ScramError::Malformed("no nonce"))?;
        if !nonce.starts_with(self.nonce.as_str()) || nonce.len() == self.nonce.len() {
            return Err(ScramError::NonceMismatch);
        }
        let salt = STANDARD
            .decode(salt.ok_or(ScramError::Malformed("no salt"))?)
            .map_err(|_| ScramError::Malformed("the salt is not base64"))?;
        let iterations: u32 = iterations
            .ok_or(ScramError::Malformed("no iteration count"))?
            .parse()
            .map_err(|_| ScramError::Malformed("the iteration count"))?;
        if iterations == 0 {
            return Err(ScramError::Malformed("zero iterations"));
        }
        if iterations > max_iterations {
            return Err(ScramError::TooManyIterations {
                iterations,
                limit: max_iterations,
            });
        }

        let salted_password = super::salted_password(&self.password, &salt, iterations).await;
        let client_key = hmac(&salted_password, &[b"Client Key"]);
        let stored_key: [u8; 32] = Sha256::digest(client_key).into();
        let mut client_final = String::from("c=biws,r=");
        client_final.push_str(nonce);
        let auth_message: [&[u8]; 5] = [
            self.client_first_bare.as_bytes(),
            b",",
            server_first.as_bytes(),
            b",",
            client_final.as_bytes(),
        ];
        let client_signature = hmac(&stored_key, &auth_message);
        let mut proof = client_key;
        for (byte, signature) in proof.iter_mut().zip(client_signature) {
            *byte ^= signature;
        }
        let server_key = hmac(&salted_password, &[b"Server Key"]);
        self.server_signature = Some(hmac(&server_key, &auth_message));
        client_final.push_str(",p=");
        client_final.push_str(&STANDARD.encode(proof));
        Ok(client_final.into_bytes())
    }

    /// Checks the server-final message: the server proves it knew the password too.
    pub fn verify_server_final(&self, server_final: &[u8]) -> Result<(), ScramError> {
        let expected = self.server_signature.ok_or(ScramError::OutOfOrder)?;
        let text =
            core::str::from_utf8(server_final).map_err(|_| ScramError::Malformed("not UTF-8"))?;
        let first = text.split(',').next().unwrap_or_default();
        if let Some(message) = first.strip_prefix("e=") {
            return Err(ScramError::Server(String::from(message)));
        }
        let signature = first
            .strip_prefix("v=")
            .ok_or(ScramError::Malformed("no verifier"))?;
        let signature = STANDARD
            .decode(signature)
            .map_err(|_| ScramError::Malformed("the verifier is not base64"))?;
        if signature == expected {
            Ok(())
        } else {
            Err(ScramError::SignatureMismatch)
        }
    }
}

/// HMAC-SHA-256 of the concatenated `parts` under `key`.
fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sauce_connect::host::block_on;

    /// RFC 7677, section 3.
    const SERVER_FIRST: &[u8] =
        b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

    #[test]
    fn the_rfc_7677_example_exchange() {
        let mut scram = Scram::new("user", b"pencil", "rOprNGfwEbeRWgbNEkqO");
        assert_eq!(scram.client_first(), b"n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        let client_final = block_on(scram.client_final(SERVER_FIRST, 4096)).unwrap();
        assert_eq!(
            client_final,
            &b"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="[..]
        );
        assert_eq!(
            scram.verify_server_final(b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="),
            Ok(())
        );
        assert_eq!(
            scram.verify_server_final(b"v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="),
            Err(ScramError::SignatureMismatch)
        );
    }

    #[test]
    fn hostile_server_messages_are_refused() {
        let mut scram = Scram::new("user", b"pencil", "rOprNGfwEbeRWgbNEkqO");
        assert_eq!(
            scram.verify_server_final(b"v=x"),
            Err(ScramError::OutOfOrder)
        );
        assert_eq!(
            block_on(scram.client_final(SERVER_FIRST, 1000)),
            Err(ScramError::TooManyIterations {
                iterations: 4096,
                limit: 1000
            })
        );
        assert_eq!(
            block_on(scram.client_final(b"r=someone-else,s=AAAA,i=1", 10)),
            Err(ScramError::NonceMismatch)
        );
        assert_eq!(
            block_on(scram.client_final(b"r=rOprNGfwEbeRWgbNEkqO", 10)),
            Err(ScramError::NonceMismatch)
        );
        assert!(block_on(scram.client_final(b"r=rOprNGfwEbeRWgbNEkqOx,s=!!,i=1", 10)).is_err());
        assert!(block_on(scram.client_final(b"r=rOprNGfwEbeRWgbNEkqOx,s=AAAA,i=0", 10)).is_err());
        assert!(block_on(scram.client_final(b"\xff", 10)).is_err());
    }

    #[test]
    fn a_random_nonce_is_printable_base64() {
        let scram = Scram::with_random_nonce(b"pw", [0xfb; NONCE_BYTES]);
        let first = scram.client_first();
        assert!(first.starts_with(b"n,,n=,r="));
        assert_eq!(first.len(), 8 + 24);
        assert!(!first[8..].contains(&b','));
    }
}
