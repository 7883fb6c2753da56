//! A whole session against a hostile server: after a fixed greeting, every server byte comes
//! from the fuzzer (authentication replies, then replies to a query, a prepared statement, a
//! ping, `COM_INIT_DB` and a transaction), delivered in fuzzer-chosen read sizes. Nothing may
//! panic or hang; a connection that reports itself usable must have read whole replies.
#![no_main]

use std::convert::Infallible;
use std::future::Future;
use std::task::{Context, Poll, Waker};

use libfuzzer_sys::fuzz_target;
use sauce_mysql::{params, AuthPlugin, Connection, Options, Random};

struct FuzzStream<'a> {
    incoming: &'a [u8],
    chunk: usize,
}

impl sauce_connect::ErrorType for FuzzStream<'_> {
    type Error = Infallible;
}

impl sauce_connect::Read for FuzzStream<'_> {
    async fn read(&mut self, buffer: &mut [u8]) -> Result<usize, Infallible> {
        let count = self.incoming.len().min(buffer.len()).min(self.chunk);
        buffer[..count].copy_from_slice(&self.incoming[..count]);
        self.incoming = &self.incoming[count..];
        Ok(count)
    }
}

impl sauce_connect::Write for FuzzStream<'_> {
    async fn write(&mut self, buffer: &[u8]) -> Result<usize, Infallible> {
        Ok(buffer.len())
    }

    async fn flush(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

struct Counter(u8);

impl Random for Counter {
    fn fill_bytes(&mut self, bytes: &mut [u8]) {
        for byte in bytes {
            self.0 = self.0.wrapping_add(97);
            *byte = self.0;
        }
    }
}

/// Runs a future whose I/O is always ready; a future still pending after many polls is a hang.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    for _ in 0..1_000_000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
    panic!("the client made no progress on ready input");
}

/// A MariaDB-like greeting; `deprecate_eof` sets `CLIENT_DEPRECATE_EOF`.
fn greeting(deprecate_eof: bool) -> Vec<u8> {
    let mut payload = vec![10];
    payload.extend_from_slice(b"5.5.5-10.11.19-MariaDB\0");
    payload.extend_from_slice(&42u32.to_le_bytes());
    payload.extend_from_slice(b"abcdefgh\0");
    payload.extend_from_slice(&0xf7feu16.to_le_bytes());
    payload.push(45);
    payload.extend_from_slice(&2u16.to_le_bytes());
    let upper: u16 = if deprecate_eof { 0x81bf } else { 0x80bf };
    payload.extend_from_slice(&upper.to_le_bytes());
    payload.push(21);
    payload.extend_from_slice(&[0; 10]);
    payload.extend_from_slice(b"ijklmnopqrst\0");
    payload.extend_from_slice(b"mysql_native_password\0");
    let mut packet = (payload.len() as u32).to_le_bytes()[..3].to_vec();
    packet.push(0);
    packet.extend_from_slice(&payload);
    packet
}

fuzz_target!(|data: &[u8]| {
    let [control, chunk, rest @ ..] = data else {
        return;
    };
    let mut incoming = greeting(control & 1 != 0);
    incoming.extend_from_slice(rest);
    let stream = FuzzStream {
        incoming: &incoming,
        chunk: usize::from(*chunk) + 1,
    };
    let mut options = Options::new("fuzz", 3306, "app", "pw");
    if control & 2 != 0 {
        options.auth_plugin = Some(AuthPlugin::CachingSha2Password);
    }
    options.limits.max_packet = 1 << 16;
    options.limits.max_result = 1 << 18;
    options.statement_cache = usize::from(control >> 4);
    let Ok(mut connection) = run(Connection::connect(stream, &options, &mut Counter(0))) else {
        return;
    };
    let _ = run(connection.query("SELECT 1"));
    let _ = run(connection.execute("SELECT ?, ?", params![1, "two"]));
    let _ = run(connection.ping());
    let _ = run(connection.select_database("other"));
    if let Ok(mut transaction) = run(connection.begin()) {
        let _ = run(transaction.execute("INSERT INTO t VALUES (?)", params![3.5]));
        let _ = run(transaction.commit());
    }
    if let Ok(statement) = run(connection.prepare("SELECT ?")) {
        let _ = run(connection.execute_statement(&statement, params![None::<i32>]));
        let _ = run(connection.close_statement(statement));
    }
    let _ = run(connection.query_all("CALL p()"));
    let _ = run(connection.close());
});
