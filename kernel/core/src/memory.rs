//! [`HeapRegion`]: memory handed to a heap allocator by its exclusive owner.

/// A range of mapped, read-write memory that a heap allocator may use as it likes.
///
/// Constructing one is the single `unsafe` promise the rest of the system relies on: whoever
/// calls [`HeapRegion::new`] vouches for the memory, so allocators can take a `HeapRegion`
/// through a safe `init` function.
#[derive(Debug, PartialEq, Eq)]
pub struct HeapRegion {
    start: usize,
    size: usize,
}

impl HeapRegion {
    /// A region of `size` bytes starting at address `start`.
    ///
    /// # Safety
    ///
    /// For the rest of the program, the `size` bytes from `start` must be mapped read-write,
    /// must not wrap around the address space, and must be used by nothing but the allocator
    /// this region is handed to: no other reference, allocator, device or region may touch
    /// them. Creating two regions over the same memory breaks this promise.
    #[allow(unsafe_code)]
    pub unsafe fn new(start: usize, size: usize) -> Self {
        Self { start, size }
    }

    /// Address of the first byte.
    pub const fn start(&self) -> usize {
        self.start
    }

    /// Number of bytes.
    pub const fn size(&self) -> usize {
        self.size
    }

    /// Address one past the last byte.
    pub const fn end(&self) -> usize {
        self.start.saturating_add(self.size)
    }
}

/// What a heap holds, for logs and fault reports (every heap component reports it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeapStatistics {
    /// Bytes allocated now (requested sizes, without the allocator's per-block overhead).
    pub in_use: usize,
    /// The most bytes ever allocated at once.
    pub high_water: usize,
    /// Bytes the heap manages.
    pub capacity: usize,
}

/// A heap as the rest of the image sees it: its figures, for logs and for sizing pools.
pub trait HeapMonitor: Sync {
    /// Bytes in use now, the most ever, and the capacity.
    fn statistics(&self) -> HeapStatistics;

    /// Bytes that can still be allocated, roughly (capacity less bytes in use).
    fn free_bytes(&self) -> usize {
        let statistics = self.statistics();
        statistics.capacity.saturating_sub(statistics.in_use)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(unsafe_code)]
    fn getters_describe_the_region() {
        let mut memory = vec![0u8; 64];
        // SAFETY: the vector outlives the region and nothing else uses its bytes while the
        // region exists; the region is only inspected, never handed to an allocator.
        let region = unsafe { HeapRegion::new(memory.as_mut_ptr() as usize, memory.len()) };
        assert_eq!(region.size(), 64);
        assert_eq!(region.end() - region.start(), 64);
        drop(memory);
    }
}
