//! Bytes in and out of the stream: a receive buffer that yields whole messages, and sending.
use alloc::vec::Vec;
use core::future::Future;
use core::pin::pin;
use core::task::Poll;

use sauce_connect::{Error as _, Read, Write};

use crate::protocol::{self, BackendMessage, Frame};
use crate::Error;

/// The receive buffer's usual size; it grows for a larger message and shrinks back after.
const INITIAL_CAPACITY: usize = 8 * 1024;

/// Received bytes not yet decoded.
#[derive(Debug)]
pub(crate) struct Input {
    buffer: Vec<u8>,
    /// The first byte not yet consumed.
    start: usize,
    /// One past the last received byte.
    end: usize,
    /// Bytes of the message handed out last, consumed at the next call.
    handed_out: usize,
    /// The longest message body accepted.
    limit: usize,
}

impl Input {
    /// An empty buffer accepting messages of up to `limit` bytes.
    pub(crate) fn new(limit: usize) -> Self {
        Input {
            buffer: alloc::vec![0; INITIAL_CAPACITY],
            start: 0,
            end: 0,
            handed_out: 0,
            limit,
        }
    }

    /// The next whole message, reading from `stream` as needed.
    pub(crate) async fn receive<S: Read>(
        &mut self,
        stream: &mut S,
    ) -> Result<BackendMessage<'_>, Error> {
        self.consume();
        loop {
            match protocol::frame(&self.buffer[self.start..self.end], self.limit)? {
                Frame::Complete { tag, length } => {
                    self.handed_out = length;
                    let body = self
                        .buffer
                        .get(self.start + 5..self.start + length)
                        .ok_or(protocol::ProtocolError::Truncated("a frame"))?;
                    return Ok(protocol::parse(tag, body)?);
                }
                Frame::Incomplete { needed } => self.fill(stream, needed).await?,
            }
        }
    }

    /// Drops the message handed out last; shrinks the buffer once it is empty again.
    fn consume(&mut self) {
        self.start += core::mem::take(&mut self.handed_out);
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
            if self.buffer.len() > INITIAL_CAPACITY {
                self.buffer.truncate(INITIAL_CAPACITY);
                self.buffer.shrink_to_fit();
            }
        }
    }

    /// Reads once, after making room for a message of `needed` bytes in all.
    async fn fill<S: Read>(&mut self, stream: &mut S, needed: usize) -> Result<(), Error> {
        if self.start + needed > self.buffer.len() {
            self.buffer.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            if needed > self.buffer.len() {
                self.buffer.resize(needed, 0);
            }
        }
        let count = read(stream, &mut self.buffer[self.end..]).await?;
        self.end += count;
        Ok(())
    }

    /// Whether an idle connection is still usable, without waiting: polls one read once.
    /// Bytes that arrived must be notices, parameter changes or notifications (which are
    /// dropped); anything else (an error before the server closes, end of stream) means no.
    pub(crate) async fn probe<S: Read>(&mut self, stream: &mut S) -> bool {
        self.consume();
        if self.end == self.buffer.len() {
            return false;
        }
        let outcome = poll_once(read(stream, &mut self.buffer[self.end..])).await;
        match outcome {
            None => return self.start == self.end,
            Some(Err(_)) => return false,
            Some(Ok(count)) => self.end += count,
        }
        while let Ok(Frame::Complete { tag, length }) =
            protocol::frame(&self.buffer[self.start..self.end], self.limit)
        {
            if !matches!(tag, b'N' | b'S' | b'A') {
                return false;
            }
            self.start += length;
        }
        true
    }
}

/// Reads at least one byte; the end of the stream is an error.
async fn read<S: Read>(stream: &mut S, buffer: &mut [u8]) -> Result<usize, Error> {
    match stream.read(buffer).await {
        Ok(0) => Err(Error::Closed),
        Ok(count) => Ok(count),
        Err(error) => Err(Error::ConnectionLost(error.kind())),
    }
}

/// Writes all of `output` and flushes, then empties it.
pub(crate) async fn send<S: Write>(stream: &mut S, output: &mut Vec<u8>) -> Result<(), Error> {
    let outcome = match stream.write_all(output).await {
        Ok(()) => stream.flush().await,
        Err(error) => Err(error),
    };
    output.clear();
    outcome.map_err(|error| Error::ConnectionLost(error.kind()))
}

/// Polls `future` once: its output if it was ready at once.
async fn poll_once<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    core::future::poll_fn(|context| match future.as_mut().poll(context) {
        Poll::Ready(output) => Poll::Ready(Some(output)),
        Poll::Pending => Poll::Ready(None),
    })
    .await
}
