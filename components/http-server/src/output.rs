//! The queue of response bytes waiting for the glue to transmit them.
//!
//! Response heads (and small bodies) are written into one reusable byte buffer; large bodies
//! are queued as references to their `'static` bytes and never copied. Consecutive buffered
//! responses form one contiguous slice, so pipelined small responses leave in one send.
//!
//! Memory is only ever taken through `try_reserve`: a connection whose heap runs dry gets a
//! pre-formatted final response ([`Output::push_final`]) that needs no allocation, never a
//! panic.
use alloc::collections::VecDeque;
use alloc::vec::Vec;

/// Bodies up to this many bytes are copied behind their head so that a small response is one
/// contiguous slice; larger ones are sent from the image in place.
pub(crate) const COPY_BODY_LIMIT: usize = 1024;

/// Queued segments at most; with [`Output::is_full`] this bounds the queue's memory.
const SEGMENT_LIMIT: usize = 64;

/// The queue of segments at its largest, in bytes (it is grown exactly, never doubled).
pub(crate) const SEGMENT_QUEUE_BYTES: usize = SEGMENT_LIMIT * core::mem::size_of::<Segment>();

/// The most bytes a typical response adds to the buffer beyond the output limit: a head with a
/// few headers, the `Connection` line, and a copied body. Longer heads are still written (the
/// reservation is fallible); this is the figure memory is planned with.
pub(crate) const LARGEST_QUEUED_RESPONSE: usize = 1024 + COPY_BODY_LIMIT;

/// The cached response head at its planned largest.
pub(crate) const HEAD_CACHE_BYTES: usize = 1024;

/// The heap had no room for a response: the connection sends its final response instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OutOfMemory;

#[derive(Debug)]
enum Segment {
    /// `buffer[previous end .. end]`.
    Buffered { end: usize },
    /// Bytes of the image.
    Static(&'static [u8]),
    /// Bytes an app handler made, sent from where they are.
    Owned(Vec<u8>),
}

/// Response bytes queued in order: a reusable buffer plus references to static bodies.
#[derive(Debug, Default)]
pub(crate) struct Output {
    buffer: Vec<u8>,
    segments: VecDeque<Segment>,
    /// Index in `buffer` of the next buffered byte to transmit.
    buffer_sent: usize,
    /// Bytes of the front `Static` segment already transmitted.
    static_sent: usize,
    /// Sent after every segment: a pre-formatted response queued without allocating.
    final_bytes: &'static [u8],
    /// The head (status line and headers, without `Connection` and the blank line) of the last
    /// response written, and what it was written for: a kept-alive client asking for the same
    /// thing again gets it with one copy instead of one per header.
    head_cache: HeadCache,
}

/// A response head kept for the next response to the same reply.
#[derive(Debug, Default)]
pub(crate) struct HeadCache {
    pub(crate) bytes: Vec<u8>,
    pub(crate) key: Option<HeadKey>,
}

/// What a cached head depends on: the reply's fields, its strings and slices by address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HeadKey {
    pub(crate) status: u16,
    pub(crate) content_type: (usize, usize),
    pub(crate) body_length: usize,
    pub(crate) headers: (usize, usize),
    pub(crate) etag: Option<(usize, usize)>,
    pub(crate) allow: Option<crate::method::Methods>,
    /// The file's address and whether its gzip copy is sent.
    pub(crate) file: Option<(usize, bool)>,
    /// Where the body starts: a 206's `Content-Range` depends on it.
    pub(crate) body_start: usize,
}

impl Output {
    /// Whether nothing is waiting to be transmitted.
    pub(crate) fn is_empty(&self) -> bool {
        self.segments.is_empty() && self.final_bytes.is_empty()
    }

    /// Heap bytes held: the buffer's, the segment queue's, the cached head's capacities and
    /// the bodies handlers made.
    pub(crate) fn heap_bytes(&self) -> usize {
        let owned: usize = self
            .segments
            .iter()
            .map(|segment| match segment {
                Segment::Owned(bytes) => bytes.capacity(),
                _ => 0,
            })
            .sum();
        self.buffer.capacity()
            + self.segments.capacity() * core::mem::size_of::<Segment>()
            + self.head_cache.bytes.capacity()
            + owned
    }

    /// Makes room for `bytes` more buffered bytes and `segments` more segments, so the pushes
    /// that follow allocate nothing. The buffer grows to what is needed (at most doubling, and
    /// never beyond `planned` bytes unless one response needs more); the segment queue grows
    /// exactly.
    pub(crate) fn try_reserve(
        &mut self,
        bytes: usize,
        segments: usize,
        planned: usize,
    ) -> Result<(), OutOfMemory> {
        let needed = self.buffer.len().saturating_add(bytes);
        if needed > self.buffer.capacity() {
            let doubled = self.buffer.capacity().saturating_mul(2).min(planned);
            let target = needed.max(doubled);
            self.buffer
                .try_reserve_exact(target - self.buffer.len())
                .map_err(|_| OutOfMemory)?;
        }
        let free_segments = self.segments.capacity() - self.segments.len();
        if segments > free_segments {
            self.segments
                .try_reserve_exact(segments)
                .map_err(|_| OutOfMemory)?;
        }
        Ok(())
    }

    /// Queues `bytes` to be sent after everything already queued, without allocating: the
    /// answer of last resort (a pre-formatted 503) when memory for a response ran out.
    pub(crate) fn push_final(&mut self, bytes: &'static [u8]) {
        self.final_bytes = bytes;
    }

    /// Whether the connection should stop producing responses until the glue transmits: the
    /// buffer (cleared only when everything was sent) reached `limit` bytes, or too many
    /// segments are queued. An empty queue is never full, whatever the limit; a response
    /// started while not full is always queued whole.
    pub(crate) fn is_full(&self, limit: usize) -> bool {
        !self.is_empty() && (self.buffer.len() >= limit || self.segments.len() >= SEGMENT_LIMIT)
    }

    /// Appends bytes to the buffered part of the queue (room reserved with
    /// [`try_reserve`](Self::try_reserve): nothing is allocated here).
    pub(crate) fn push_buffered(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
        self.close_buffered_segment();
    }

    /// [`push_buffered`](Self::push_buffered) of several pieces, one after the other: the
    /// segment is closed once.
    pub(crate) fn push_buffered_pieces(&mut self, pieces: &[&[u8]]) {
        for piece in pieces.iter().filter(|piece| !piece.is_empty()) {
            self.buffer.extend_from_slice(piece);
        }
        self.close_buffered_segment();
    }

    /// Makes the last segment end where the buffer ends.
    fn close_buffered_segment(&mut self) {
        let end = self.buffer.len();
        match self.segments.back_mut() {
            Some(Segment::Buffered { end: last_end }) => *last_end = end,
            _ => self.segments.push_back(Segment::Buffered { end }),
        }
    }

    /// The head cache, to fill or to check.
    pub(crate) fn head_cache(&mut self) -> &mut HeadCache {
        &mut self.head_cache
    }

    /// Appends the cached head to the buffered part of the queue.
    pub(crate) fn push_cached_head(&mut self) {
        let Output {
            buffer, head_cache, ..
        } = self;
        buffer.extend_from_slice(&head_cache.bytes);
        self.close_buffered_segment();
    }

    /// Queues static bytes to be sent in place.
    pub(crate) fn push_static(&mut self, bytes: &'static [u8]) {
        if !bytes.is_empty() {
            self.segments.push_back(Segment::Static(bytes));
        }
    }

    /// Queues bytes a handler made, to be sent from where they are (room for the segment
    /// reserved with [`try_reserve`](Self::try_reserve)).
    pub(crate) fn push_owned(&mut self, bytes: Vec<u8>) {
        if !bytes.is_empty() {
            self.segments.push_back(Segment::Owned(bytes));
        }
    }

    /// The next bytes to transmit, contiguous; empty when nothing is queued.
    pub(crate) fn pending(&self) -> &[u8] {
        match self.segments.front() {
            Some(Segment::Buffered { end }) => self.buffer.get(self.buffer_sent..*end),
            Some(Segment::Static(bytes)) => bytes.get(self.static_sent..),
            Some(Segment::Owned(bytes)) => bytes.get(self.static_sent..),
            None => Some(self.final_bytes),
        }
        .unwrap_or_default()
    }

    /// Records that the first `count` bytes of [`pending`](Self::pending) were transmitted;
    /// a larger `count` is clamped to it.
    pub(crate) fn consume(&mut self, count: usize) {
        let count = count.min(self.pending().len());
        let front_done = match self.segments.front() {
            Some(Segment::Buffered { end }) => {
                self.buffer_sent += count;
                self.buffer_sent >= *end
            }
            Some(Segment::Static(bytes)) => {
                self.static_sent += count;
                self.static_sent >= bytes.len()
            }
            Some(Segment::Owned(bytes)) => {
                self.static_sent += count;
                self.static_sent >= bytes.len()
            }
            None => {
                self.final_bytes = self.final_bytes.get(count..).unwrap_or_default();
                false
            }
        };
        if front_done {
            self.segments.pop_front();
            self.static_sent = 0;
        }
        if self.segments.is_empty() {
            self.buffer.clear();
            self.buffer_sent = 0;
        }
    }

    /// Drops everything queued.
    pub(crate) fn clear(&mut self) {
        self.final_bytes = &[];
        self.segments.clear();
        self.buffer.clear();
        self.buffer_sent = 0;
        self.static_sent = 0;
    }

    /// Copies queued bytes into `destination` across segments; returns how many.
    pub(crate) fn write_to(&mut self, destination: &mut [u8]) -> usize {
        let mut written = 0;
        while let Some(space) = destination.get_mut(written..) {
            let pending = self.pending();
            let count = pending.len().min(space.len());
            if count == 0 {
                break;
            }
            space[..count].copy_from_slice(&pending[..count]);
            self.consume(count);
            written += count;
        }
        written
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(output: &mut Output, chunk: usize) -> Vec<u8> {
        let mut sent = Vec::new();
        loop {
            let pending = output.pending();
            if pending.is_empty() {
                return sent;
            }
            let count = pending.len().min(chunk);
            sent.extend_from_slice(&pending[..count]);
            output.consume(count);
        }
    }

    #[test]
    fn buffered_segments_merge_and_static_ones_stay_in_place() {
        let mut output = Output::default();
        output.push_buffered(b"head1 ");
        output.push_buffered(b"body1 ");
        output.push_static(b"big body ");
        output.push_buffered(b"head2");
        assert_eq!(output.pending(), b"head1 body1 ");
        assert_eq!(drain(&mut output, 5), b"head1 body1 big body head2");
        assert!(output.is_empty());
        assert_eq!(output.buffer.len(), 0);
    }

    #[test]
    fn write_to_crosses_segments_and_over_consumption_is_clamped() {
        let mut output = Output::default();
        output.push_buffered(b"ab");
        output.push_static(b"cd");
        output.push_buffered(b"ef");
        let mut destination = [0u8; 5];
        assert_eq!(output.write_to(&mut destination), 5);
        assert_eq!(&destination, b"abcde");
        output.consume(100);
        assert!(output.is_empty());
        assert_eq!(output.write_to(&mut destination), 0);
    }

    #[test]
    fn fullness_counts_buffered_bytes_until_everything_is_sent() {
        let mut output = Output::default();
        output.push_buffered(&[0; 10]);
        assert!(output.is_full(10));
        output.consume(5);
        assert!(output.is_full(10));
        output.consume(5);
        assert!(!output.is_full(10));
    }
}
