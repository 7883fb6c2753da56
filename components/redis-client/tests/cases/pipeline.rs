//! Pipelining: 1,000 commands in one round trip, error replies in place.
use std::cell::Cell;
use std::rc::Rc;

use sauce_connect::host::{block_on, StdConnector, StdStream};
use sauce_connect::{Connector, ErrorType, Read, Write};
use sauce_redis::{Client, Pipeline, Value};

use super::{case, client_with};
use crate::support::harness::Case;
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case("pipeline_of_1000_commands_in_one_round_trip", thousand),
        case("pipeline_error_replies_stay_in_place", errors_in_place),
    ]
}

/// A stream that counts how often it is flushed (once per round trip) and read from.
struct Counting {
    stream: StdStream,
    flushes: Rc<Cell<usize>>,
}

impl ErrorType for Counting {
    type Error = std::io::Error;
}

impl Read for Counting {
    async fn read(&mut self, buffer: &mut [u8]) -> Result<usize, std::io::Error> {
        self.stream.read(buffer).await
    }
}

impl Write for Counting {
    async fn write(&mut self, buffer: &[u8]) -> Result<usize, std::io::Error> {
        self.stream.write(buffer).await
    }

    async fn flush(&mut self) -> Result<(), std::io::Error> {
        self.flushes.set(self.flushes.get() + 1);
        self.stream.flush().await
    }
}

fn thousand(context: &Context) {
    let configuration = crate::support::configuration(&context.server);
    let flushes = Rc::new(Cell::new(0));
    let mut client = block_on(async {
        let stream = StdConnector::default()
            .connect(&configuration.host, configuration.port)
            .await
            .unwrap();
        let stream = Counting {
            stream,
            flushes: flushes.clone(),
        };
        Client::connect(stream, &configuration).await.unwrap()
    });
    let handshake_flushes = flushes.get();
    let mut pipeline = Pipeline::new();
    let keys: Vec<String> = (0..500).map(|index| format!("pipelined:{index}")).collect();
    for (index, key) in keys.iter().enumerate() {
        pipeline.command(&[b"SET", key.as_bytes(), index.to_string().as_bytes()]);
    }
    for key in &keys {
        pipeline.command(&[b"INCR", key.as_bytes()]);
    }
    assert_eq!(pipeline.len(), 1_000);
    let started = std::time::Instant::now();
    let replies = block_on(client.pipeline(&pipeline)).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(replies.len(), 1_000);
    for reply in &replies[..500] {
        assert_eq!(reply, &Value::Status("OK".into()));
    }
    for (index, reply) in replies[500..].iter().enumerate() {
        assert_eq!(reply, &Value::Integer(index as i64 + 1));
    }
    assert_eq!(
        flushes.get() - handshake_flushes,
        1,
        "one write for the whole pipeline"
    );
    println!("    1,000 pipelined commands in {elapsed:?}");
}

fn errors_in_place(context: &Context) {
    let mut client = client_with(&crate::support::configuration(&context.server));
    let mut pipeline = Pipeline::new();
    pipeline
        .command(&[b"SET", b"pipeline:text", b"abc"])
        .command(&[b"INCR", b"pipeline:text"])
        .command(&[b"GET", b"pipeline:text"])
        .command(&[b"GET", b"pipeline:missing"]);
    let replies = block_on(client.pipeline(&pipeline)).unwrap();
    assert_eq!(replies[0], Value::Status("OK".into()));
    assert!(
        matches!(&replies[1], Value::Error(message) if message.starts_with("ERR")),
        "{replies:?}"
    );
    assert_eq!(replies[2], Value::Bulk(b"abc".to_vec()));
    assert_eq!(replies[3], Value::Nil);
    assert!(block_on(client.pipeline(&Pipeline::new()))
        .unwrap()
        .is_empty());
    assert!(!client.is_broken());
}
