//! `md5` authentication: the answer is `"md5" ‖ hex(md5(hex(md5(password ‖ user)) ‖ salt))`.
use alloc::vec::Vec;
use md5::{Digest, Md5};

/// The password message for an `AuthenticationMD5Password` request.
pub fn md5_answer(user: &[u8], password: &[u8], salt: [u8; 4]) -> Vec<u8> {
    let inner = hex(&Md5::new()
        .chain_update(password)
        .chain_update(user)
        .finalize());
    let outer = hex(&Md5::new().chain_update(inner).chain_update(salt).finalize());
    let mut answer = Vec::with_capacity(35);
    answer.extend_from_slice(b"md5");
    answer.extend_from_slice(&outer);
    answer
}

/// Lower-case hexadecimal digits of a 16-byte digest.
fn hex(digest: &[u8]) -> [u8; 32] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = [0u8; 32];
    for (pair, byte) in text.chunks_exact_mut(2).zip(digest) {
        pair[0] = DIGITS[usize::from(byte >> 4)];
        pair[1] = DIGITS[usize::from(byte & 0x0f)];
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_matches_a_value_computed_elsewhere() {
        // Python: "md5" + md5(md5(b"secretuser").hexdigest().encode() + bytes([1, 2, 3, 4]))
        let answer = md5_answer(b"user", b"secret", [1, 2, 3, 4]);
        assert_eq!(answer, b"md5fccef98e4f1cf6cbe96b743fad4e8bd0");
    }
}
