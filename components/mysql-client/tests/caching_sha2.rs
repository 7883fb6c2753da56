//! `caching_sha2_password` against the scripted MySQL 8 server (MariaDB 10.11, the server the
//! other tests use, has no server side for it): fast path, full authentication with the
//! public-key request and RSA-OAEP, a pinned key, refusals, and an auth switch into it.
#![cfg(feature = "rsa")]
mod support;

use std::convert::Infallible;
use std::sync::OnceLock;

use rsa::rand_core::{TryCryptoRng, TryRng};
use rsa::PrivateKey;
use sauce_mysql::{AuthenticationError, Cause, ErrorKind, Options, Random};
use support::scripted::{self, Script};

struct KeyRandom(support::TestRandom);

impl TryRng for KeyRandom {
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

impl TryCryptoRng for KeyRandom {}

/// A real 2048-bit key pair (MySQL's default size), made once per run.
fn key() -> PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        PrivateKey::new(&mut KeyRandom(support::TestRandom::default()), 2048).unwrap()
    })
    .clone()
}

fn script(password: &str) -> Script {
    Script {
        initial_plugin: "caching_sha2_password",
        switch: false,
        cached: false,
        password: password.into(),
        key: key(),
        bogus_key: None,
    }
}

/// Connects to a scripted server as `password`, pings, and returns what the server saw.
fn run(
    script: Script,
    password: &str,
    adjust: impl FnOnce(&mut Options),
) -> (Result<(), sauce_mysql::Error>, scripted::Observed) {
    let (port, server) = scripted::start(script);
    let mut options = Options::new("127.0.0.1", port, "app", password).with_database("shop");
    adjust(&mut options);
    let outcome = support::connect(&options)
        .and_then(|mut connection| sauce_connect::host::block_on(connection.ping()));
    (outcome, server.join().unwrap())
}

#[test]
fn the_fast_path_needs_no_key() {
    let (outcome, seen) = run(
        Script {
            cached: true,
            ..script("s3cret")
        },
        "s3cret",
        |_| {},
    );
    outcome.unwrap();
    assert!(seen.pinged);
    assert!(!seen.key_requested);
    assert_eq!(seen.decrypted, None);
}

#[test]
fn full_authentication_requests_the_key_and_sends_the_password_encrypted() {
    let password = "correct horse battery staple ✓";
    let (outcome, seen) = run(script(password), password, |_| {});
    outcome.unwrap();
    assert!(seen.pinged);
    assert!(seen.key_requested);
    assert_eq!(seen.decrypted.as_deref(), Some(password));
    let received = String::from_utf8_lossy(&seen.received);
    assert!(
        !received.contains("horse"),
        "the password never crosses in clear text"
    );
}

#[test]
fn a_pinned_key_skips_the_request() {
    let pem = scripted::public_pem(&key());
    let (outcome, seen) = run(script("pinned"), "pinned", |options| {
        options.server_public_key = Some(pem);
    });
    outcome.unwrap();
    assert!(!seen.key_requested);
    assert_eq!(seen.decrypted.as_deref(), Some("pinned"));
}

#[test]
fn without_retrieval_or_a_pinned_key_full_authentication_is_refused() {
    let (outcome, seen) = run(script("secret"), "secret", |options| {
        options.allow_public_key_retrieval = false;
    });
    let error = outcome.unwrap_err();
    assert_eq!(
        error.cause(),
        &Cause::Authentication(AuthenticationError::PublicKeyRetrievalDisabled)
    );
    assert!(!seen.key_requested);
}

#[test]
fn a_wrong_password_is_refused_by_the_server() {
    // Wrong from the start: the scramble does not match.
    let (outcome, _) = run(script("right"), "wrong", |_| {});
    let error = outcome.unwrap_err();
    assert_eq!(
        (error.code(), error.kind()),
        (Some(1045), ErrorKind::Unavailable)
    );
}

#[test]
fn a_malformed_key_is_an_authentication_error() {
    let bogus = Script {
        bogus_key: Some(
            b"-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n".to_vec(),
        ),
        ..script("k")
    };
    let (outcome, seen) = run(bogus, "k", |_| {});
    let error = outcome.unwrap_err();
    assert!(seen.key_requested);
    assert!(
        matches!(
            error.cause(),
            Cause::Authentication(AuthenticationError::PublicKey(_))
        ),
        "{error}"
    );
}

#[test]
fn an_empty_password_sends_an_empty_response() {
    let (outcome, seen) = run(script(""), "", |_| {});
    outcome.unwrap();
    assert!(seen.pinged);
}

#[test]
fn an_auth_switch_from_native_password_leads_into_full_authentication() {
    let switched = Script {
        initial_plugin: "mysql_native_password",
        switch: true,
        ..script("switch-me")
    };
    let (outcome, seen) = run(switched, "switch-me", |_| {});
    outcome.unwrap();
    assert!(seen.key_requested);
    assert_eq!(seen.decrypted.as_deref(), Some("switch-me"));
}
