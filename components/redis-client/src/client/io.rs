//! Bytes in and out of the stream: a receive buffer that yields whole replies, and sending.
use alloc::vec::Vec;
use core::future::Future;
use core::pin::pin;
use core::task::Poll;

use sauce_connect::{Error as _, Read, Write};

use crate::resp::{self, Limits, Scan, Value};
use crate::Error;

/// The receive buffer's usual size; it grows for a larger reply and shrinks back after.
const INITIAL_CAPACITY: usize = 8 * 1024;

/// Received bytes not yet decoded.
#[derive(Debug)]
pub(crate) struct Input {
    buffer: Vec<u8>,
    /// The first byte not yet decoded.
    start: usize,
    /// One past the last received byte.
    end: usize,
    limits: Limits,
}

impl Input {
    /// An empty buffer decoding under `limits`.
    pub(crate) fn new(limits: Limits) -> Self {
        Input {
            buffer: alloc::vec![0; INITIAL_CAPACITY],
            start: 0,
            end: 0,
            limits,
        }
    }

    /// The next whole reply (push messages included), reading from `stream` as needed.
    pub(crate) async fn receive<S: Read>(&mut self, stream: &mut S) -> Result<Value, Error> {
        loop {
            match resp::scan(&self.buffer[self.start..self.end], &self.limits)? {
                Scan::Complete { length } => {
                    let reply = &self.buffer[self.start..self.start + length];
                    let (value, _) = resp::decode(reply, &self.limits)?
                        .ok_or(Error::Protocol(resp::ProtocolError::Length))?;
                    self.consume(length);
                    return Ok(value);
                }
                Scan::Incomplete { needed } => self.fill(stream, needed).await?,
            }
        }
    }

    /// Drops `length` decoded bytes; shrinks the buffer once it is empty again.
    fn consume(&mut self, length: usize) {
        self.start += length;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
            if self.buffer.len() > INITIAL_CAPACITY {
                self.buffer.truncate(INITIAL_CAPACITY);
                self.buffer.shrink_to_fit();
            }
        }
    }

    /// Reads once, after making room for a reply of at least `needed` bytes in all.
    async fn fill<S: Read>(&mut self, stream: &mut S, needed: usize) -> Result<(), Error> {
        let wanted = needed.max(self.end - self.start + 1);
        if self.start + wanted > self.buffer.len() {
            self.buffer.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            if wanted > self.buffer.len() {
                // Grow at least by half, so a reply arriving in small reads is not copied over
                // and over; never past the reply limit (plus one read's worth).
                let grown = (self.buffer.len() + self.buffer.len() / 2)
                    .max(wanted)
                    .min(self.limits.max_reply_bytes.max(wanted) + INITIAL_CAPACITY);
                self.buffer.resize(grown, 0);
            }
        }
        let count = read(stream, &mut self.buffer[self.end..]).await?;
        self.end += count;
        Ok(())
    }

    /// Whether an idle connection is still usable, without waiting: polls one read once.
    /// Bytes that arrived must be push messages (which are dropped); anything else (the end
    /// of the stream, an error, a stray reply) means no.
    pub(crate) async fn probe<S: Read>(&mut self, stream: &mut S) -> bool {
        if self.end == self.buffer.len() {
            return false;
        }
        match poll_once(read(stream, &mut self.buffer[self.end..])).await {
            None => return self.start == self.end,
            Some(Err(_)) => return false,
            Some(Ok(count)) => self.end += count,
        }
        while let Ok(Some((value, length))) =
            resp::decode(&self.buffer[self.start..self.end], &self.limits)
        {
            if !matches!(value, Value::Push(_)) {
                return false;
            }
            self.consume(length);
        }
        self.start == self.end
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
