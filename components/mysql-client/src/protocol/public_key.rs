//! Full `caching_sha2_password` authentication over a plain connection: the password, NUL
//! terminated and XORed with the nonce, encrypted with RSA-OAEP (SHA-1, MGF1-SHA-1, the
//! padding `RSA_PKCS1_OAEP_PADDING` the server uses) under the server's PEM public key.
use alloc::vec::Vec;
use core::convert::Infallible;
use core::fmt;

use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::rand_core::{TryCryptoRng, TryRng};
use rsa::traits::PublicKeyParts;
use rsa::{Oaep, PublicKey};
use sha1::Sha1;

use super::auth::xor_password_with_nonce;
use crate::random::Random;

/// The longest PEM text accepted as a public key (an 8192-bit key's PEM is under 1.5 KiB).
pub const MAX_PEM: usize = 16 * 1024;

/// Bytes OAEP with SHA-1 adds: two hashes and two bytes.
const OAEP_OVERHEAD: usize = 2 * 20 + 2;

/// Why the password could not be encrypted; each variant's doc is its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublicKeyError {
    /// the server's public key is not a PEM-encoded RSA public key of at most 4096 bits
    InvalidKey,
    /// the password is too long for the server's RSA key (at most {limit} bytes)
    PasswordTooLong {
        /// The longest password the key can carry.
        limit: usize,
    },
    /// RSA encryption failed
    Encryption,
}

impl fmt::Display for PublicKeyError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublicKeyError::InvalidKey => formatter.write_str(
                "the server's public key is not a PEM-encoded RSA public key of at most 4096 bits",
            ),
            PublicKeyError::PasswordTooLong { limit } => write!(
                formatter,
                "the password is too long for the server's RSA key (at most {limit} bytes)"
            ),
            PublicKeyError::Encryption => formatter.write_str("RSA encryption failed"),
        }
    }
}

/// Parses the server's public key: `BEGIN PUBLIC KEY` (what MySQL sends) or `BEGIN RSA PUBLIC
/// KEY`; surrounding whitespace and NULs are ignored.
pub fn parse_public_key(pem: &[u8]) -> Result<PublicKey, PublicKeyError> {
    if pem.len() > MAX_PEM {
        return Err(PublicKeyError::InvalidKey);
    }
    let text = core::str::from_utf8(pem).map_err(|_| PublicKeyError::InvalidKey)?;
    let text = text.trim_matches(|character: char| character.is_whitespace() || character == '\0');
    PublicKey::from_public_key_pem(text)
        .or_else(|_| PublicKey::from_pkcs1_pem(text))
        .map_err(|_| PublicKeyError::InvalidKey)
}

/// Encrypts `password` for full authentication with the server's PEM `public_key`.
pub fn encrypt_password(
    public_key: &[u8],
    password: &[u8],
    nonce: &[u8],
    random: &mut dyn Random,
) -> Result<Vec<u8>, PublicKeyError> {
    let key = parse_public_key(public_key)?;
    let plaintext = xor_password_with_nonce(password, nonce);
    let limit = key.size().saturating_sub(OAEP_OVERHEAD);
    if plaintext.len() > limit {
        return Err(PublicKeyError::PasswordTooLong {
            limit: limit.saturating_sub(1),
        });
    }
    key.encrypt(&mut RandomAdapter(random), Oaep::<Sha1>::new(), &plaintext)
        .map_err(|_| PublicKeyError::Encryption)
}

/// Lets `rsa` draw its padding seed from the caller's [`Random`].
struct RandomAdapter<'a>(&'a mut dyn Random);

impl TryRng for RandomAdapter<'_> {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.0.next_u32())
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut bytes = [0u8; 8];
        self.0.fill_bytes(&mut bytes);
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, bytes: &mut [u8]) -> Result<(), Infallible> {
        self.0.fill_bytes(bytes);
        Ok(())
    }
}

/// The caller promises a cryptographically secure source ([`Random`]'s contract).
impl TryCryptoRng for RandomAdapter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::tests::SplitMix;
    use rsa::pkcs8::{EncodePublicKey, LineEnding};
    use rsa::PrivateKey;

    fn key_pair() -> (PrivateKey, alloc::string::String) {
        let private = PrivateKey::new(&mut RandomAdapter(&mut SplitMix(7)), 1024).unwrap();
        let pem = PublicKey::from(&private)
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        (private, pem)
    }

    #[test]
    fn the_server_recovers_the_password_with_its_private_key() {
        let (private, pem) = key_pair();
        let nonce = b"abcdefghijklmnopqrst";
        let mut random = SplitMix(99);
        let mut padded = pem.clone().into_bytes();
        padded.push(0);
        let ciphertext = encrypt_password(&padded, b"s3cret", nonce, &mut random).unwrap();
        assert_eq!(ciphertext.len(), 128);
        let plaintext = private.decrypt(Oaep::<Sha1>::new(), &ciphertext).unwrap();
        assert_eq!(plaintext, xor_password_with_nonce(b"s3cret", nonce));
    }

    #[test]
    fn bad_keys_and_long_passwords_are_errors_not_panics() {
        let mut random = SplitMix(1);
        assert_eq!(
            encrypt_password(
                b"-----BEGIN PUBLIC KEY-----\nAAAA\n",
                b"x",
                b"n",
                &mut random
            ),
            Err(PublicKeyError::InvalidKey)
        );
        assert_eq!(
            encrypt_password(&[0xff; 10], b"x", b"n", &mut random),
            Err(PublicKeyError::InvalidKey)
        );
        let (_, pem) = key_pair();
        let long = [b'p'; 100];
        assert_eq!(
            encrypt_password(pem.as_bytes(), &long, b"n", &mut random),
            Err(PublicKeyError::PasswordTooLong { limit: 85 })
        );
    }
}
