//! Connection tests against scripted server bytes, and the helpers other unit tests use.
use alloc::vec::Vec;
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

/// A stream that yields scripted bytes `chunk` at a time, then end of stream, and keeps what
/// the client writes.
#[derive(Debug)]
pub(crate) struct ScriptedStream {
    incoming: Vec<u8>,
    position: usize,
    chunk: usize,
    pub(crate) written: Vec<u8>,
}

impl ScriptedStream {
    pub(crate) fn new(incoming: Vec<u8>, chunk: usize) -> Self {
        ScriptedStream {
            incoming,
            position: 0,
            chunk: chunk.max(1),
            written: Vec::new(),
        }
    }
}

impl sauce_connect::ErrorType for ScriptedStream {
    type Error = Infallible;
}

impl sauce_connect::Read for ScriptedStream {
    async fn read(&mut self, buffer: &mut [u8]) -> Result<usize, Infallible> {
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
