//! A scripted MySQL 8 server for `caching_sha2_password`, which MariaDB lacks. It follows the
//! documented exchange byte for byte ("Connection Phase", "caching_sha2_password information"
//! in the MySQL protocol documentation), written here independently of the client's encoders:
//!
//! ```text
//! S: handshake v10 (seq 0), plugin caching_sha2_password or mysql_native_password, 20-byte nonce
//! C: handshake response 41 (seq 1): XOR(SHA256(p), SHA256(SHA256(SHA256(p)), nonce))
//! [S: auth switch 0xfe "caching_sha2_password\0" nonce "\0"; C: scramble of the new nonce]
//! S: 0x01 0x03 (cached: fast path) then OK   | S: 0x01 0x04 (perform full authentication)
//!                                            | C: 0x02 (request public key)  [unless pinned]
//!                                            | S: 0x01 + PEM public key
//!                                            | C: RSA-OAEP(SHA-1)(password + NUL XOR nonce)
//!                                            | S: OK, or ERR 1045 if the password is wrong
//! C: COM_PING (seq 0)   S: OK (seq 1)
//! ```
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;

use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::{Oaep, PrivateKey};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// How the scripted server behaves.
#[derive(Clone)]
pub struct Script {
    /// The plugin the handshake names.
    pub initial_plugin: &'static str,
    /// Whether to answer the first response with an auth switch to `caching_sha2_password`.
    pub switch: bool,
    /// Whether the account is in the server's cache (fast path).
    pub cached: bool,
    /// The account's password.
    pub password: String,
    /// The server's key pair.
    pub key: PrivateKey,
    /// Send this instead of the real PEM when the key is requested.
    pub bogus_key: Option<Vec<u8>>,
}

/// What the server saw.
#[derive(Debug, Default)]
pub struct Observed {
    /// Whether the client sent the public-key request (0x02).
    pub key_requested: bool,
    /// The password the server decrypted, if full authentication ran.
    pub decrypted: Option<String>,
    /// Every byte the client sent.
    pub received: Vec<u8>,
    /// Whether authentication succeeded and a ping was answered.
    pub pinged: bool,
}

/// The public key as PEM.
pub fn public_pem(key: &PrivateKey) -> String {
    rsa::PublicKey::from(key)
        .to_public_key_pem(LineEnding::LF)
        .unwrap()
}

const NONCE: &[u8; 20] = b"0123456789abcdefghij";
const SWITCH_NONCE: &[u8; 20] = b"ABCDEFGHIJ9876543210";
const CAPABILITIES: u32 =
    0x1 | 0x4 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x80000 | 0x200000 | 0x1000000;

struct Wire {
    stream: TcpStream,
    sequence: u8,
    observed: Observed,
}

impl Wire {
    fn send(&mut self, payload: &[u8]) {
        let mut packet = (payload.len() as u32).to_le_bytes()[..3].to_vec();
        packet.push(self.sequence);
        packet.extend_from_slice(payload);
        self.stream.write_all(&packet).unwrap();
        self.sequence = self.sequence.wrapping_add(1);
    }

    fn receive(&mut self) -> Option<Vec<u8>> {
        let mut header = [0u8; 4];
        self.stream.read_exact(&mut header).ok()?;
        let length = u32::from_le_bytes([header[0], header[1], header[2], 0]) as usize;
        assert_eq!(header[3], self.sequence, "client sequence id");
        self.sequence = self.sequence.wrapping_add(1);
        let mut payload = vec![0u8; length];
        self.stream.read_exact(&mut payload).ok()?;
        self.observed.received.extend_from_slice(&header);
        self.observed.received.extend_from_slice(&payload);
        Some(payload)
    }

    fn ok(&mut self) {
        self.send(&[0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00]);
    }
}

fn handshake(plugin: &str) -> Vec<u8> {
    let mut payload = vec![10];
    payload.extend_from_slice(b"8.0.36-scripted\0");
    payload.extend_from_slice(&7u32.to_le_bytes());
    payload.extend_from_slice(&NONCE[..8]);
    payload.push(0);
    payload.extend_from_slice(&(CAPABILITIES as u16).to_le_bytes());
    payload.push(255);
    payload.extend_from_slice(&2u16.to_le_bytes());
    payload.extend_from_slice(&((CAPABILITIES >> 16) as u16).to_le_bytes());
    payload.push(21);
    payload.extend_from_slice(&[0; 10]);
    payload.extend_from_slice(&NONCE[8..]);
    payload.push(0);
    payload.extend_from_slice(plugin.as_bytes());
    payload.push(0);
    payload
}

/// The auth response, plugin name and user from a handshake response 41.
fn parse_response(payload: &[u8]) -> (Vec<u8>, String) {
    let capabilities = u32::from_le_bytes(payload[..4].try_into().unwrap());
    let mut rest = &payload[32..];
    let user_end = rest.iter().position(|&byte| byte == 0).unwrap();
    rest = &rest[user_end + 1..];
    let length = rest[0] as usize;
    assert!(length < 251, "a one-byte length-encoded auth response");
    let response = rest[1..1 + length].to_vec();
    rest = &rest[1 + length..];
    if capabilities & 0x8 != 0 {
        let end = rest.iter().position(|&byte| byte == 0).unwrap();
        rest = &rest[end + 1..];
    }
    let end = rest.iter().position(|&byte| byte == 0).unwrap();
    (response, String::from_utf8(rest[..end].to_vec()).unwrap())
}

/// The server's check of a `caching_sha2_password` scramble against the stored hash.
fn scramble_matches(password: &str, nonce: &[u8], scramble: &[u8]) -> bool {
    if password.is_empty() {
        return scramble.is_empty();
    }
    let stored = Sha256::digest(Sha256::digest(password.as_bytes()));
    let mask = Sha256::new()
        .chain_update(stored)
        .chain_update(nonce)
        .finalize();
    let candidate: Vec<u8> = scramble
        .iter()
        .zip(mask.iter())
        .map(|(a, b)| a ^ b)
        .collect();
    scramble.len() == 32 && Sha256::digest(&candidate) == stored
}

fn serve(stream: TcpStream, script: Script) -> Observed {
    let mut wire = Wire {
        stream,
        sequence: 0,
        observed: Observed::default(),
    };
    wire.send(&handshake(script.initial_plugin));
    let (mut response, plugin) = parse_response(&wire.receive().unwrap());
    assert_eq!(plugin, script.initial_plugin);
    let mut nonce: &[u8] = NONCE;
    if script.switch {
        let mut switch = vec![0xfe];
        switch.extend_from_slice(b"caching_sha2_password\0");
        switch.extend_from_slice(SWITCH_NONCE);
        switch.push(0);
        wire.send(&switch);
        nonce = SWITCH_NONCE;
        response = wire.receive().unwrap();
    }
    if script.password.is_empty() && response.is_empty() {
        wire.ok();
    } else if !scramble_matches(&script.password, nonce, &response) {
        wire.send(
            b"\xff\x15\x04#28000Access denied for user 'app'@'localhost' (using password: YES)",
        );
        return wire.observed;
    } else if script.cached {
        wire.send(&[0x01, 0x03]);
        wire.ok();
    } else {
        wire.send(&[0x01, 0x04]);
        let Some(mut message) = wire.receive() else {
            return wire.observed; // The client gave up.
        };
        if message == [0x02] {
            wire.observed.key_requested = true;
            let mut reply = vec![0x01];
            match &script.bogus_key {
                Some(bogus) => reply.extend_from_slice(bogus),
                None => reply.extend_from_slice(public_pem(&script.key).as_bytes()),
            }
            wire.send(&reply);
            match wire.receive() {
                Some(next) => message = next,
                None => return wire.observed,
            }
        }
        let plaintext = script.key.decrypt(Oaep::<Sha1>::new(), &message).unwrap();
        let password: Vec<u8> = plaintext
            .iter()
            .zip(nonce.iter().cycle())
            .map(|(byte, mask)| byte ^ mask)
            .collect();
        let (text, terminator) = password.split_at(password.len() - 1);
        assert_eq!(terminator, [0], "the password is NUL-terminated");
        let text = String::from_utf8(text.to_vec()).unwrap();
        wire.observed.decrypted = Some(text.clone());
        if text != script.password {
            wire.send(
                b"\xff\x15\x04#28000Access denied for user 'app'@'localhost' (using password: YES)",
            );
            return wire.observed;
        }
        wire.ok();
    }
    wire.sequence = 0;
    if wire.receive().as_deref() == Some(&[0x0e][..]) {
        wire.ok();
        wire.observed.pinged = true;
    }
    wire.observed
}

/// Starts the scripted server for one connection; returns its port and its thread.
pub fn start(script: Script) -> (u16, JoinHandle<Observed>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let thread = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        serve(stream, script)
    });
    (port, thread)
}
