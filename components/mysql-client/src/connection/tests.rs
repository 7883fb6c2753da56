//! Connection tests against scripted server bytes, and the helpers other unit tests use.
use alloc::vec::Vec;

use crate::protocol::column::tests::encode as column;
use crate::protocol::column::ColumnType;
use crate::protocol::framing::encode_packet;
use crate::protocol::handshake::tests::mariadb_handshake;

mod replies;
use core::convert::Infallible;
use core::future::Future;
use core::task::{Context, Poll, Waker};

/// Runs a future that never waits on anything external (scripted streams are always ready).
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = core::pin::pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// A stream that yields scripted bytes `chunk` at a time, then end of stream (or, if
/// `stall`, waits forever), and keeps what the client writes.
#[derive(Debug)]
pub(crate) struct ScriptedStream {
    incoming: Vec<u8>,
    position: usize,
    chunk: usize,
    stall: bool,
    pub(crate) written: Vec<u8>,
}

impl ScriptedStream {
    pub(crate) fn new(incoming: Vec<u8>, chunk: usize) -> Self {
        ScriptedStream {
            incoming,
            position: 0,
            chunk: chunk.max(1),
            stall: false,
            written: Vec::new(),
        }
    }

    /// The same stream, waiting forever instead of ending when the script runs out.
    pub(crate) fn stalling(mut self) -> Self {
        self.stall = true;
        self
    }
}

impl sauce_connect::ErrorType for ScriptedStream {
    type Error = Infallible;
}

impl sauce_connect::Read for ScriptedStream {
    async fn read(&mut self, buffer: &mut [u8]) -> Result<usize, Infallible> {
        if self.stall && self.position == self.incoming.len() {
            core::future::pending::<()>().await;
        }
        let rest = &self.incoming[self.position..];
        let count = rest.len().min(buffer.len()).min(self.chunk);
        buffer[..count].copy_from_slice(&rest[..count]);
        self.position += count;
        Ok(count)
    }
}

impl sauce_connect::Write for ScriptedStream {
    async fn write(&mut self, buffer: &[u8]) -> Result<usize, Infallible> {
        self.written.extend_from_slice(buffer);
        Ok(buffer.len())
    }

    async fn flush(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

pub(crate) const OK: &[u8] = &[0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00];
const OK_TERMINATOR: &[u8] = &[0xfe, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00];
const EOF: &[u8] = &[0xfe, 0x00, 0x00, 0x02, 0x00];

/// Server bytes, packet by packet.
pub(crate) struct Script(pub(crate) Vec<u8>);

impl Script {
    /// The greeting and the OK that ends authentication; `deprecate_eof` picks the server's
    /// `CLIENT_DEPRECATE_EOF` capability.
    pub(crate) fn connected(deprecate_eof: bool) -> Script {
        let mut handshake = mariadb_handshake();
        if !deprecate_eof {
            // Capability bit 24 (`CLIENT_DEPRECATE_EOF`) is bit 0 of the second byte of the
            // upper capability half.
            let upper = 1 + b"5.5.5-10.11.19-MariaDB\0".len() + 4 + 9 + 2 + 1 + 2 + 1;
            handshake[upper] &= !0x01;
        }
        let mut script = Script(Vec::new());
        script.packet(0, &handshake);
        script.packet(2, OK);
        script
    }

    pub(crate) fn packet(&mut self, sequence: u8, payload: &[u8]) -> &mut Self {
        encode_packet(payload, sequence, &mut self.0);
        self
    }

    pub(crate) fn stream(&self) -> ScriptedStream {
        ScriptedStream::new(self.0.clone(), 7)
    }

    /// A one-column result set (`BIGINT`) with `rows`, from sequence id 1.
    pub(crate) fn result(&mut self, deprecate_eof: bool, rows: &[&[u8]]) -> &mut Self {
        let mut sequence = 1;
        self.packet(sequence, &[1]);
        sequence += 1;
        self.packet(sequence, &column("n", ColumnType::LongLong, 0, 63));
        sequence += 1;
        if !deprecate_eof {
            self.packet(sequence, EOF);
            sequence += 1;
        }
        for row in rows {
            self.packet(sequence, row);
            sequence += 1;
        }
        self.packet(sequence, if deprecate_eof { OK_TERMINATOR } else { EOF })
    }
}
