//! One connection to a Redis server: the handshake (`HELLO`/`AUTH`, `SELECT`), commands and
//! pipelines.
//!
//! A client keeps a health state. An operation that is cancelled half-way (its future dropped,
//! as a timeout does) or that fails in the middle of the conversation leaves the client
//! [`Client::is_broken`]; a pool discards it. An error reply (`-ERR …`) is not that kind of
//! failure: the conversation is intact and the client stays usable.
mod handshake;
mod io;

use alloc::vec::Vec;

use sauce_connect::{Read, Write};

use crate::configuration::Protocol;
use crate::pipeline::Pipeline;
use crate::resp::{self, Limits, Value};
use crate::{Error, ServerError};
use io::Input;

/// Where a client stands between operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Health {
    /// Ready for the next operation.
    Ready,
    /// An operation began and has not finished (if nothing is running it, it was cancelled).
    InFlight,
    /// The conversation with the server is lost.
    Broken,
}

/// A connection to a Redis server over any byte stream.
pub struct Client<S> {
    stream: S,
    input: Input,
    output: Vec<u8>,
    health: Health,
    protocol: Protocol,
}

impl<S> core::fmt::Debug for Client<S> {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("Client")
            .field("health", &self.health)
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

impl<S: Read + Write> Client<S> {
    /// A client over a connected stream, before the handshake.
    fn new(stream: S, limits: Limits) -> Self {
        Client {
            stream,
            input: Input::new(limits),
            output: Vec::new(),
            health: Health::Ready,
            protocol: Protocol::Resp2,
        }
    }

    /// Whether the connection failed or was interrupted mid-operation and must be dropped.
    pub fn is_broken(&self) -> bool {
        self.health != Health::Ready
    }

    /// The protocol the connection speaks (RESP2 when the server did not know `HELLO 3`).
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// Sends one command and returns its reply; an error reply is [`Error::Server`].
    ///
    /// ```no_run
    /// # async fn example<S: sauce_connect::Read + sauce_connect::Write>(
    /// #     client: &mut sauce_redis::Client<S>,
    /// # ) -> Result<(), sauce_redis::Error> {
    /// let reply = client.command(&[b"OBJECT", b"ENCODING", b"hits"]).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn command(&mut self, arguments: &[&[u8]]) -> Result<Value, Error> {
        match self.command_reply(arguments).await? {
            Value::Error(message) => Err(Error::Server(ServerError { message })),
            value => Ok(value),
        }
    }

    /// Sends one command and returns its reply, error replies included as values.
    async fn command_reply(&mut self, arguments: &[&[u8]]) -> Result<Value, Error> {
        self.begin_operation()?;
        resp::encode_command(&mut self.output, arguments);
        let outcome = self.exchange(1).await;
        self.end_operation(outcome)
            .map(|mut replies| replies.pop().unwrap_or(Value::Nil))
    }

    /// Sends every command of `pipeline` in one write and reads all the replies: one round
    /// trip. Error replies stay in place as [`Value::Error`], so one failing command does not
    /// hide the others' results.
    pub async fn pipeline(&mut self, pipeline: &Pipeline) -> Result<Vec<Value>, Error> {
        if pipeline.is_empty() {
            return Ok(Vec::new());
        }
        self.begin_operation()?;
        self.output.extend_from_slice(pipeline.encoded());
        let outcome = self.exchange(pipeline.len()).await;
        self.end_operation(outcome)
    }

    /// Ends the session politely (`QUIT`); the stream is dropped after.
    pub async fn close(mut self) -> Result<(), Error> {
        resp::encode_command(&mut self.output, &[b"QUIT"]);
        io::send(&mut self.stream, &mut self.output).await
    }

    /// Whether an idle client is still usable, without waiting for the network: a pool asks
    /// this before handing out a connection that sat idle.
    pub async fn probe(&mut self) -> bool {
        !self.is_broken() && self.input.probe(&mut self.stream).await
    }

    /// Sends the output buffer and reads `count` replies, skipping push messages.
    async fn exchange(&mut self, count: usize) -> Result<Vec<Value>, Error> {
        io::send(&mut self.stream, &mut self.output).await?;
        let mut replies = Vec::with_capacity(count.min(1024));
        while replies.len() < count {
            match self.input.receive(&mut self.stream).await? {
                Value::Push(_) => {}
                reply => replies.push(reply),
            }
        }
        Ok(replies)
    }

    /// Marks the start of an operation.
    fn begin_operation(&mut self) -> Result<(), Error> {
        if self.health != Health::Ready {
            return Err(Error::Broken);
        }
        self.health = Health::InFlight;
        Ok(())
    }

    /// Marks the end of an operation: a failure of the conversation breaks the client.
    fn end_operation<T>(&mut self, outcome: Result<T, Error>) -> Result<T, Error> {
        self.health = match outcome {
            Ok(_) => Health::Ready,
            Err(_) => {
                self.output.clear();
                Health::Broken
            }
        };
        outcome
    }
}

#[cfg(test)]
mod tests;
