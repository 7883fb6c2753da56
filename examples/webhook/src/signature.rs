//! The signature check: HMAC-SHA256 of the body under the secret, against the header's hex.

use core::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Bytes in a SHA-256 digest.
const DIGEST_LENGTH: usize = 32;

/// Why a signature was refused; the messages are what the sender reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureProblem {
    /// X-Signature is not 64 hex digits (optionally after `sha256=`)
    Malformed,
    /// X-Signature does not match the body
    Mismatch,
}

impl fmt::Display for SignatureProblem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            SignatureProblem::Malformed => {
                "X-Signature is not 64 hex digits (optionally after `sha256=`)"
            }
            SignatureProblem::Mismatch => "X-Signature does not match the body",
        })
    }
}

/// Checks that `header` is the hex HMAC-SHA256 of `body` under `secret`, comparing the
/// digests in constant time.
pub fn verify(secret: &[u8], body: &[u8], header: &str) -> Result<(), SignatureProblem> {
    let hex = header.trim();
    let hex = hex.strip_prefix("sha256=").unwrap_or(hex);
    let expected = decode_hex(hex).ok_or(SignatureProblem::Malformed)?;
    // HMAC takes a key of any length (longer ones are hashed first): this never fails.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| SignatureProblem::Mismatch)?;
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| SignatureProblem::Mismatch)
}

/// The hex signature of `body` under `secret`, lower case: what a sender puts in the header.
pub fn sign(secret: &[u8], body: &[u8]) -> alloc::string::String {
    use core::fmt::Write as _;
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => return alloc::string::String::new(),
    };
    mac.update(body);
    let mut text = alloc::string::String::with_capacity(2 * DIGEST_LENGTH);
    for byte in mac.finalize().into_bytes() {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

/// 64 hex digits (either case) as 32 bytes.
fn decode_hex(text: &str) -> Option<[u8; DIGEST_LENGTH]> {
    if text.len() != 2 * DIGEST_LENGTH {
        return None;
    }
    let mut bytes = [0u8; DIGEST_LENGTH];
    for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        let digits = core::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(digits, 16).ok()?;
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
    const RFC_4231_CASE_2: &str =
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    #[test]
    fn the_rfc_4231_vector_verifies() {
        let body = b"what do ya want for nothing?";
        assert_eq!(sign(b"Jefe", body), RFC_4231_CASE_2);
        assert_eq!(verify(b"Jefe", body, RFC_4231_CASE_2), Ok(()));
        assert_eq!(
            verify(b"Jefe", body, &RFC_4231_CASE_2.to_ascii_uppercase()),
            Ok(())
        );
        assert_eq!(
            verify(b"Jefe", body, &alloc::format!("sha256={RFC_4231_CASE_2}")),
            Ok(())
        );
    }

    #[test]
    fn another_body_secret_or_digest_is_a_mismatch() {
        let body = b"what do ya want for nothing?";
        assert_eq!(
            verify(b"Jefe", b"what do ya want for nothing!", RFC_4231_CASE_2),
            Err(SignatureProblem::Mismatch)
        );
        assert_eq!(
            verify(b"jefe", body, RFC_4231_CASE_2),
            Err(SignatureProblem::Mismatch)
        );
        let mut flipped = alloc::string::String::from(RFC_4231_CASE_2);
        flipped.replace_range(63.., "2");
        assert_eq!(
            verify(b"Jefe", body, &flipped),
            Err(SignatureProblem::Mismatch)
        );
    }

    #[test]
    fn anything_but_64_hex_digits_is_malformed() {
        for header in [
            "",
            "sha256=",
            "5bdcc146",
            &RFC_4231_CASE_2[..63],
            &alloc::format!("{RFC_4231_CASE_2}00"),
            &alloc::format!("sha1={RFC_4231_CASE_2}"),
            &RFC_4231_CASE_2.replace('5', "g"),
            "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé",
        ] {
            assert_eq!(
                verify(b"Jefe", b"", header),
                Err(SignatureProblem::Malformed),
                "{header}"
            );
        }
    }

    #[test]
    fn a_long_secret_works() {
        let secret = [7u8; 200];
        let signature = sign(&secret, b"{}");
        assert_eq!(verify(&secret, b"{}", &signature), Ok(()));
    }
}
