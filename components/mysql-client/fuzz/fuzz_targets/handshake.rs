//! Arbitrary bytes as the server's greeting and as authentication replies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sauce_mysql::protocol::auth::decode_auth_reply;
use sauce_mysql::protocol::handshake::{decode_handshake, MAX_NONCE};

fuzz_target!(|data: &[u8]| {
    if let Ok(handshake) = decode_handshake(data) {
        assert!(handshake.nonce.len() <= MAX_NONCE);
        assert!(handshake.server_version.len() < data.len());
    }
    let _ = decode_auth_reply(data);
});
