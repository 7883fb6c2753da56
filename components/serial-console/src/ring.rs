//! [`ByteRing`]: a fixed, lock-free byte queue for one producer (an interrupt handler) and one
//! consumer (the app), without `unsafe`: every slot is an atomic byte.
use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// A queue of at most `CAPACITY` bytes (a power of two). Correct for one producer and one consumer at a time
/// (on one core: an interrupt handler pushing while a task pops); bytes pushed while it is
/// full are dropped and counted.
#[derive(Debug)]
pub struct ByteRing<const CAPACITY: usize> {
    slots: [AtomicU8; CAPACITY],
    /// Bytes popped so far (wrapping): the next slot to read is `read % CAPACITY`.
    read: AtomicUsize,
    /// Bytes pushed so far (wrapping): the next slot to write is `written % CAPACITY`.
    written: AtomicUsize,
    dropped: AtomicUsize,
}

impl<const CAPACITY: usize> Default for ByteRing<CAPACITY> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const CAPACITY: usize> ByteRing<CAPACITY> {
    /// An empty queue.
    ///
    /// # Panics
    ///
    /// (At compile time for a `static`.) When `CAPACITY` is not a power of two (the
    /// wrapping counters then stay in step with the slots when they overflow).
    pub const fn new() -> Self {
        assert!(
            CAPACITY.is_power_of_two(),
            "a byte ring's capacity must be a power of two"
        );
        ByteRing {
            slots: [const { AtomicU8::new(0) }; CAPACITY],
            read: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
            dropped: AtomicUsize::new(0),
        }
    }

    /// Appends `byte` (producer side); `false`, and the byte counted as dropped, when full.
    pub fn push(&self, byte: u8) -> bool {
        let written = self.written.load(Ordering::Relaxed);
        let read = self.read.load(Ordering::Acquire);
        if written.wrapping_sub(read) >= CAPACITY {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        if let Some(slot) = self.slots.get(written % CAPACITY) {
            slot.store(byte, Ordering::Relaxed);
        }
        self.written
            .store(written.wrapping_add(1), Ordering::Release);
        true
    }

    /// The oldest byte, removed (consumer side); `None` when empty.
    pub fn pop(&self) -> Option<u8> {
        let read = self.read.load(Ordering::Relaxed);
        let written = self.written.load(Ordering::Acquire);
        if read == written {
            return None;
        }
        let byte = self.slots.get(read % CAPACITY)?.load(Ordering::Relaxed);
        self.read.store(read.wrapping_add(1), Ordering::Release);
        Some(byte)
    }

    /// Bytes waiting.
    pub fn len(&self) -> usize {
        let written = self.written.load(Ordering::Acquire);
        written.wrapping_sub(self.read.load(Ordering::Acquire))
    }

    /// Whether no byte is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes dropped because the queue was full.
    pub fn dropped(&self) -> usize {
        self.dropped.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn bytes_come_out_in_order_and_overflow_is_counted() {
        let ring = ByteRing::<4>::new();
        assert_eq!(ring.pop(), None);
        for byte in 1..=5 {
            ring.push(byte);
        }
        assert_eq!((ring.len(), ring.dropped()), (4, 1));
        assert_eq!(ring.pop(), Some(1));
        assert!(ring.push(6));
        let drained: Vec<u8> = std::iter::from_fn(|| ring.pop()).collect();
        assert_eq!(drained, [2, 3, 4, 6]);
        assert!(ring.is_empty());
    }

    #[test]
    fn the_indices_wrap_around() {
        let ring = ByteRing::<4>::new();
        ring.written.store(usize::MAX - 1, Ordering::Relaxed);
        ring.read.store(usize::MAX - 1, Ordering::Relaxed);
        for byte in [7, 8, 9, 10] {
            assert!(ring.push(byte));
        }
        assert!(!ring.push(11));
        let drained: Vec<u8> = std::iter::from_fn(|| ring.pop()).collect();
        assert_eq!(drained, [7, 8, 9, 10]);
    }

    #[test]
    #[should_panic(expected = "power of two")]
    fn a_capacity_that_is_not_a_power_of_two_is_refused() {
        let _ = ByteRing::<3>::new();
    }

    #[test]
    fn one_producer_and_one_consumer_on_two_threads_lose_nothing() {
        let ring = Arc::new(ByteRing::<16>::new());
        let producer = {
            let ring = Arc::clone(&ring);
            std::thread::spawn(move || {
                for index in 0..100_000u32 {
                    while !ring.push(index as u8) {
                        std::thread::yield_now();
                    }
                }
            })
        };
        let mut expected = 0u32;
        while expected < 100_000 {
            match ring.pop() {
                Some(byte) => {
                    assert_eq!(byte, expected as u8);
                    expected += 1;
                }
                None => std::thread::yield_now(),
            }
        }
        producer.join().unwrap();
        assert!(ring.is_empty());
    }
}
