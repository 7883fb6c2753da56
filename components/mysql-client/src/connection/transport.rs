//! Packets over a byte stream: a receive buffer the framing decoder reads whole packets from,
//! and a send path that frames payloads. Sequence ids are checked here.
use alloc::vec::Vec;

use sauce_connect::{Error as _, Read, Write};

use crate::error::{Cause, Error, ErrorKind};
use crate::protocol::framing::{self, Decoded, HEADER_LENGTH, MAX_FRAGMENT};

/// The receive buffer's starting (and resting) size.
const INITIAL_BUFFER: usize = 8 * 1024;

/// A stream carrying packets.
pub(crate) struct Transport<S> {
    stream: S,
    /// Received bytes: `incoming[start..filled]` are not consumed yet.
    incoming: Vec<u8>,
    start: usize,
    filled: usize,
    /// Bytes of the packet last returned, consumed when the next one is read.
    returned: usize,
    /// Fragments of a multi-fragment packet, joined.
    joined: Vec<u8>,
    /// The payload being built, then the framed bytes being sent.
    payload: Vec<u8>,
    framed: Vec<u8>,
    /// The sequence id of the next packet, either way.
    sequence: u8,
    max_packet: usize,
}

impl<S: Read + Write> Transport<S> {
    pub(crate) fn new(stream: S, max_packet: usize) -> Self {
        Transport {
            stream,
            incoming: alloc::vec![0; INITIAL_BUFFER],
            start: 0,
            filled: 0,
            returned: 0,
            joined: Vec::new(),
            payload: Vec::new(),
            framed: Vec::new(),
            sequence: 0,
            max_packet,
        }
    }

    /// Starts a command: sequence ids restart at 0.
    pub(crate) fn start_command(&mut self) {
        self.sequence = 0;
    }

    /// The next whole packet's payload.
    pub(crate) async fn read(&mut self) -> Result<&[u8], Error> {
        self.start += core::mem::take(&mut self.returned);
        if self.start == self.filled {
            self.start = 0;
            self.filled = 0;
            if self.incoming.len() > 4 * INITIAL_BUFFER {
                self.incoming = alloc::vec![0; INITIAL_BUFFER];
            }
            if self.joined.capacity() > 4 * INITIAL_BUFFER {
                self.joined = Vec::new();
            }
        }
        loop {
            let unread = self.incoming.get(self.start..self.filled).unwrap_or(&[]);
            match framing::decode_frame(unread, self.sequence, self.max_packet)? {
                Decoded::Frame(frame) => {
                    self.sequence = frame.next_sequence;
                    self.returned = frame.consumed;
                    let unread = self.incoming.get(self.start..self.filled).unwrap_or(&[]);
                    return Ok(frame.payload(unread, &mut self.joined));
                }
                Decoded::Incomplete { needed } => self.receive(needed).await?,
            }
        }
    }

    /// Reads at least one more byte, making room for `needed` unread bytes.
    async fn receive(&mut self, needed: usize) -> Result<(), Error> {
        if self.start + needed > self.incoming.len() {
            self.incoming.copy_within(self.start..self.filled, 0);
            self.filled -= self.start;
            self.start = 0;
            if needed > self.incoming.len() {
                let most = self.max_packet + HEADER_LENGTH * (self.max_packet / MAX_FRAGMENT + 2);
                let size = needed.max(self.incoming.len() * 2).min(most).max(needed);
                self.incoming.resize(size, 0);
            }
        }
        let space = self.incoming.get_mut(self.filled..).unwrap_or(&mut []);
        let count = self
            .stream
            .read(space)
            .await
            .map_err(|error| Error::io(error.kind()))?;
        if count == 0 {
            return Err(Error::new(ErrorKind::Unavailable, Cause::Closed));
        }
        self.filled += count.min(space_len(self.incoming.len(), self.filled));
        Ok(())
    }

    /// Sends one packet whose payload `build` writes.
    pub(crate) async fn send(&mut self, build: impl FnOnce(&mut Vec<u8>)) -> Result<(), Error> {
        self.payload.clear();
        build(&mut self.payload);
        self.framed.clear();
        self.sequence = framing::encode_packet(&self.payload, self.sequence, &mut self.framed);
        let mut rest = &self.framed[..];
        while !rest.is_empty() {
            let count = self
                .stream
                .write(rest)
                .await
                .map_err(|error| Error::io(error.kind()))?;
            if count == 0 {
                return Err(Error::new(ErrorKind::Unavailable, Cause::Closed));
            }
            rest = rest.get(count..).unwrap_or(&[]);
        }
        self.stream
            .flush()
            .await
            .map_err(|error| Error::io(error.kind()))?;
        if self.framed.capacity() > 4 * INITIAL_BUFFER {
            self.framed = Vec::new();
            self.payload = Vec::new();
        }
        Ok(())
    }

    /// The stream, for closing it.
    pub(crate) fn into_stream(self) -> S {
        self.stream
    }
}

const fn space_len(length: usize, filled: usize) -> usize {
    length.saturating_sub(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::tests::{block_on, ScriptedStream};

    #[test]
    fn packets_split_across_reads_are_joined() {
        let mut bytes = Vec::new();
        framing::encode_packet(b"first", 0, &mut bytes);
        framing::encode_packet(b"second", 1, &mut bytes);
        let stream = ScriptedStream::new(bytes, 3);
        let mut transport = Transport::new(stream, 1024);
        block_on(async {
            assert_eq!(transport.read().await.unwrap(), b"first");
            assert_eq!(transport.read().await.unwrap(), b"second");
            let error = transport.read().await.unwrap_err();
            assert_eq!(error.cause(), &Cause::Closed);
        });
    }

    #[test]
    fn a_packet_larger_than_the_buffer_grows_it_up_to_the_limit() {
        let payload = alloc::vec![9u8; 3 * INITIAL_BUFFER];
        let mut bytes = Vec::new();
        framing::encode_packet(&payload, 0, &mut bytes);
        let mut transport = Transport::new(ScriptedStream::new(bytes.clone(), 4096), 1 << 20);
        block_on(async {
            assert_eq!(transport.read().await.unwrap(), &payload[..]);
        });
        let mut small = Transport::new(ScriptedStream::new(bytes, 4096), 100);
        block_on(async {
            let error = small.read().await.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Limit);
        });
    }

    #[test]
    fn sent_packets_carry_the_running_sequence_id() {
        let mut transport = Transport::new(ScriptedStream::new(Vec::new(), 1), 1024);
        block_on(async {
            transport.start_command();
            transport.send(|payload| payload.push(0x0e)).await.unwrap();
            transport.send(|payload| payload.push(0x0e)).await.unwrap();
        });
        assert_eq!(
            transport.into_stream().written,
            [1, 0, 0, 0, 0x0e, 1, 0, 0, 1, 0x0e]
        );
    }
}
