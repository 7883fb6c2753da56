//! Arbitrary bytes as the server's PEM public key: parsed and, if accepted, used to encrypt.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sauce_mysql::protocol::public_key::encrypt_password;
use sauce_mysql::Random;

struct Counter(u8);

impl Random for Counter {
    fn fill_bytes(&mut self, bytes: &mut [u8]) {
        for byte in bytes {
            self.0 = self.0.wrapping_add(97);
            *byte = self.0;
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(ciphertext) = encrypt_password(data, b"password", b"nonce", &mut Counter(1)) {
        assert!(!ciphertext.is_empty());
    }
});
