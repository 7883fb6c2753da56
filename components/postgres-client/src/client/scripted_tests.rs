//! The client against a scripted server: cleartext login, replies split into tiny reads, a
//! dropped transaction rolled back first, a malformed reply breaking the client.
use alloc::vec::Vec;
use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use sauce_connect::{ErrorKind, ErrorType, Read, Write};

use super::Client;
use crate::configuration::Configuration;
use crate::protocol::TransactionStatus;
use crate::Error;

/// A stream that answers with fixed bytes, 3 at a time, and records what the client sent.
struct Scripted {
    replies: Vec<u8>,
    position: usize,
    sent: Vec<u8>,
}

impl ErrorType for Scripted {
    type Error = ErrorKind;
}

impl Read for Scripted {
    async fn read(&mut self, buffer: &mut [u8]) -> Result<usize, ErrorKind> {
        let rest = &self.replies[self.position..];
        let count = rest.len().min(buffer.len()).min(3);
        buffer[..count].copy_from_slice(&rest[..count]);
        self.position += count;
        Ok(count)
    }
}

impl Write for Scripted {
    async fn write(&mut self, buffer: &[u8]) -> Result<usize, ErrorKind> {
        self.sent.extend_from_slice(buffer);
        Ok(buffer.len())
    }

    async fn flush(&mut self) -> Result<(), ErrorKind> {
        Ok(())
    }
}

/// Runs a future that never waits (the scripted stream is always ready).
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a scripted exchange never waits"),
    }
}

/// One backend message.
fn message(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut bytes = alloc::vec![tag];
    bytes.extend_from_slice(&(body.len() as i32 + 4).to_be_bytes());
    bytes.extend_from_slice(body);
    bytes
}

/// What a server sends for a login with a cleartext password request.
fn login() -> Vec<u8> {
    [
        message(b'R', &3i32.to_be_bytes()),
        message(b'R', &0i32.to_be_bytes()),
        message(b'S', b"server_version\x0015.0\0"),
        message(b'K', &[0, 0, 0, 42, 0, 0, 0, 7]),
        message(b'Z', b"I"),
    ]
    .concat()
}

/// A random source that is never needed (no SCRAM here).
struct Zero;

impl rand_core::RngCore for Zero {
    fn next_u32(&mut self) -> u32 {
        0
    }
    fn next_u64(&mut self) -> u64 {
        0
    }
    fn fill_bytes(&mut self, destination: &mut [u8]) {
        destination.fill(0);
    }
    fn try_fill_bytes(&mut self, destination: &mut [u8]) -> Result<(), rand_core::Error> {
        destination.fill(0);
        Ok(())
    }
}

fn connect(replies: Vec<u8>) -> Client<Scripted> {
    let configuration = Configuration::parse("postgres://ada:pw@db/app").unwrap();
    let stream = Scripted {
        replies,
        position: 0,
        sent: Vec::new(),
    };
    ready(Client::connect(stream, &configuration, &mut Zero)).unwrap()
}

#[test]
fn logs_in_with_a_cleartext_password_from_three_byte_reads() {
    let client = connect(login());
    assert_eq!(client.server_parameter("server_version"), Some("15.0"));
    assert_eq!(client.backend_key().map(|key| key.process_id), Some(42));
    let sent = &client.stream.sent;
    let password = message(b'p', b"pw\0");
    assert!(sent.ends_with(&password), "{sent:?}");
    assert!(sent.windows(4).any(|window| window == b"ada\0"));
}

#[test]
fn a_dropped_transaction_is_rolled_back_before_the_next_statement() {
    let replies = [
        login(),
        message(b'C', b"BEGIN\0"),
        message(b'Z', b"T"),
        message(b'C', b"ROLLBACK\0"),
        message(b'Z', b"I"),
        message(b'C', b"SET\0"),
        message(b'Z', b"I"),
    ]
    .concat();
    let mut client = connect(replies);
    let logged_in = client.stream.sent.len();
    drop(ready(client.begin()).unwrap());
    assert_eq!(
        client.transaction_status(),
        TransactionStatus::InTransaction
    );
    ready(client.batch_execute("SET x = 1")).unwrap();
    assert_eq!(client.transaction_status(), TransactionStatus::Idle);
    let sent = &client.stream.sent[logged_in..];
    let expected = [
        message(b'Q', b"BEGIN\0"),
        message(b'Q', b"ROLLBACK\0"),
        message(b'Q', b"SET x = 1\0"),
    ]
    .concat();
    assert_eq!(sent, expected);
}

#[test]
fn a_malformed_reply_breaks_the_client_and_a_closed_stream_is_reported() {
    let replies = [login(), message(b'Z', b"?")].concat();
    let mut client = connect(replies);
    let error = ready(client.batch_execute("SELECT 1")).unwrap_err();
    assert!(matches!(error, Error::Protocol(_)), "{error}");
    assert!(client.is_broken());
    assert!(matches!(
        ready(client.batch_execute("SELECT 1")),
        Err(Error::Broken)
    ));

    let mut client = connect(login());
    assert!(matches!(
        ready(client.query("SELECT 1", &[])),
        Err(Error::Closed)
    ));
    assert!(client.is_broken());
}
