//! The client against a scripted server: handshake fallback, push skipping, broken state.
use alloc::vec::Vec;
use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use sauce_connect::{ErrorKind, ErrorType, Read, Write};

use super::Client;
use crate::configuration::{Configuration, Protocol};
use crate::{Error, Value};

/// A stream that answers with fixed bytes and records what the client sent.
struct Scripted {
    replies: &'static [u8],
    position: usize,
    sent: Vec<u8>,
}

impl ErrorType for Scripted {
    type Error = ErrorKind;
}

impl Read for Scripted {
    async fn read(&mut self, buffer: &mut [u8]) -> Result<usize, ErrorKind> {
        let rest = &self.replies[self.position..];
        let count = rest.len().min(buffer.len()).min(7);
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

fn scripted(replies: &'static [u8]) -> Scripted {
    Scripted {
        replies,
        position: 0,
        sent: Vec::new(),
    }
}

#[test]
fn a_server_without_hello_falls_back_to_auth_and_resp2() {
    let configuration = Configuration::parse("redis://app:secret@cache/2").unwrap();
    let replies = b"-ERR unknown command 'HELLO'\r\n+OK\r\n+OK\r\n";
    let client = ready(Client::connect(scripted(replies), &configuration)).unwrap();
    assert_eq!(client.protocol(), Protocol::Resp2);
    let sent = client.stream.sent.clone();
    let expected: &[u8] =
        b"*5\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$3\r\napp\r\n$6\r\nsecret\r\n\
        *3\r\n$4\r\nAUTH\r\n$3\r\napp\r\n$6\r\nsecret\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n";
    assert_eq!(sent, expected);
}

#[test]
fn pushes_are_skipped_and_a_malformed_reply_breaks_the_client() {
    let configuration = Configuration::parse("redis://cache").unwrap();
    let replies = b"%1\r\n+server\r\n+redis\r\n>2\r\n+invalidate\r\n*1\r\n$1\r\nk\r\n:7\r\n?\r\n";
    let mut client = ready(Client::connect(scripted(replies), &configuration)).unwrap();
    assert_eq!(client.protocol(), Protocol::Resp3);
    assert_eq!(
        ready(client.command(&[b"INCR", b"k"])).unwrap(),
        Value::Integer(7)
    );
    let error = ready(client.command(&[b"PING"])).unwrap_err();
    assert!(matches!(error, Error::Protocol(_)), "{error}");
    assert!(client.is_broken());
    assert!(matches!(
        ready(client.command(&[b"PING"])),
        Err(Error::Broken)
    ));
}

#[test]
fn a_closed_stream_is_reported_and_breaks_the_client() {
    let configuration = Configuration::parse("redis://cache?protocol=2").unwrap();
    let mut client = ready(Client::connect(scripted(b""), &configuration)).unwrap();
    assert!(matches!(ready(client.get(b"k")), Err(Error::Closed)));
    assert!(client.is_broken());
}
