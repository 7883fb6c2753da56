//! Many commands, one round trip: commands encoded ahead into one buffer.
use alloc::vec::Vec;

use crate::resp;

/// Commands to send together with [`crate::Client::pipeline`].
///
/// ```
/// let mut pipeline = sauce_redis::Pipeline::new();
/// pipeline.command(&[b"INCR", b"hits"]).command(&[b"EXPIRE", b"hits", b"10"]);
/// assert_eq!(pipeline.len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pipeline {
    encoded: Vec<u8>,
    count: usize,
}

impl Pipeline {
    /// An empty pipeline.
    pub fn new() -> Self {
        Pipeline::default()
    }

    /// Adds a command.
    pub fn command(&mut self, arguments: &[&[u8]]) -> &mut Self {
        resp::encode_command(&mut self.encoded, arguments);
        self.count += 1;
        self
    }

    /// How many commands.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there are no commands.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Removes every command, keeping the buffer for reuse.
    pub fn clear(&mut self) {
        self.encoded.clear();
        self.count = 0;
    }

    /// The encoded commands.
    pub(crate) fn encoded(&self) -> &[u8] {
        &self.encoded
    }
}
