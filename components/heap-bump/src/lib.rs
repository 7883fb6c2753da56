//! Bump allocator: the smallest and fastest heap, for workloads that never free.
//!
//! [`BumpHeap`] hands out memory by moving one pointer up through a [`HeapRegion`]. Freeing
//! the most recent allocation moves the pointer back and growing it happens in place; any
//! other free is ignored, so memory is reused only in stack order. It is lock-free (one atomic
//! compare-exchange per call) and therefore safe to use from interrupt handlers.
//!
//! ```text
//! #[global_allocator]
//! static HEAP: BumpHeap = BumpHeap::new();
//! // at boot, once: HEAP.init(region);
//! ```
//!
//! # Map
//! - this file: [`BumpHeap`].
//! - `board` (images only): the component's contract: `board::init`, `board::grow`.
#![cfg_attr(not(test), no_std)]

use core::alloc::{GlobalAlloc, Layout};
use core::ptr::null_mut;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use sauce_core::memory::HeapRegion;

/// A lock-free bump allocator over one [`HeapRegion`].
#[derive(Debug)]
pub struct BumpHeap {
    initialized: AtomicBool,
    start: AtomicUsize,
    end: AtomicUsize,
    next: AtomicUsize,
    /// Bytes used in regions given up by [`BumpHeap::grow`].
    retired: AtomicUsize,
}

impl Default for BumpHeap {
    fn default() -> Self {
        Self::new()
    }
}

impl BumpHeap {
    /// A heap with no memory yet: every allocation fails until [`BumpHeap::init`].
    pub const fn new() -> Self {
        Self {
            initialized: AtomicBool::new(false),
            start: AtomicUsize::new(0),
            end: AtomicUsize::new(0),
            next: AtomicUsize::new(0),
            retired: AtomicUsize::new(0),
        }
    }

    /// Gives the heap its memory.
    ///
    /// # Panics
    ///
    /// When called a second time.
    pub fn init(&self, region: HeapRegion) {
        let first =
            self.initialized
                .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire);
        assert!(first.is_ok(), "BumpHeap::init called twice");
        self.start.store(region.start(), Ordering::Relaxed);
        // `next` before `end`: an allocation that sees the new end also sees the new next
        // (it loads `end` with Acquire first), and one that sees the old end of zero fails.
        self.next.store(region.start(), Ordering::Release);
        self.end.store(region.end(), Ordering::Release);
    }

    /// Bytes handed out so far, alignment padding included, minus rolled-back frees.
    /// Moves on to `region` when it has more room than what is left of the current one (the
    /// rest of the current one is given up: a bump heap never goes back). A board calls this
    /// with the RAM left once its drivers took their DMA pages.
    ///
    /// # Panics
    ///
    /// Before [`BumpHeap::init`].
    pub fn grow(&self, region: HeapRegion) {
        assert!(
            self.initialized.load(Ordering::Acquire),
            "BumpHeap::grow before init"
        );
        let left = self
            .end
            .load(Ordering::Acquire)
            .saturating_sub(self.next.load(Ordering::Acquire));
        if region.size() > left {
            // Nothing allocates concurrently: interrupt handlers never allocate, and this
            // runs once on the boot CPU while the board initialises.
            let retired = self.used_in_region();
            self.retired.fetch_add(retired, Ordering::Relaxed);
            self.start.store(region.start(), Ordering::Relaxed);
            self.next.store(region.start(), Ordering::Release);
            self.end.store(region.end(), Ordering::Release);
        }
    }

    pub fn used_bytes(&self) -> usize {
        self.used_in_region() + self.retired.load(Ordering::Relaxed)
    }

    fn used_in_region(&self) -> usize {
        self.next
            .load(Ordering::Acquire)
            .saturating_sub(self.start.load(Ordering::Acquire))
    }

    /// Bytes of the region (zero before [`BumpHeap::init`]).
    pub fn capacity_bytes(&self) -> usize {
        self.end
            .load(Ordering::Acquire)
            .saturating_sub(self.start.load(Ordering::Acquire))
    }

    /// Moves `next` from `expected` to `new`; `false` if another call moved it first.
    fn move_next(&self, expected: usize, new: usize) -> bool {
        self.next
            .compare_exchange(expected, new, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }
}

// SAFETY: `alloc` returns either null or the start of `layout.size()` bytes inside the region,
// aligned to `layout.align()`, that no other live allocation covers: each successful
// compare-exchange moves `next` past the block it returns, and `next` only moves back (in
// `dealloc`/`realloc`) over the bytes of the most recent block, once its owner gave it up.
// The region itself is exclusively ours by the contract of `HeapRegion::new`.
unsafe impl GlobalAlloc for BumpHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let end = self.end.load(Ordering::Acquire);
        let mut current = self.next.load(Ordering::Acquire);
        loop {
            let Some(block_start) = current.checked_next_multiple_of(layout.align()) else {
                return null_mut();
            };
            let Some(block_end) = block_start
                .checked_add(layout.size())
                .filter(|&block_end| block_end <= end)
            else {
                return null_mut();
            };
            match self.next.compare_exchange_weak(
                current,
                block_end,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return block_start as *mut u8,
                Err(moved) => current = moved,
            }
        }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        let block_start = pointer as usize;
        // Only the most recent block can be given back; if anything was allocated since, the
        // exchange fails and the bytes stay used.
        self.move_next(block_start + layout.size(), block_start);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let block_start = pointer as usize;
        let fits = block_start
            .checked_add(new_size)
            .filter(|&new_end| new_end <= self.end.load(Ordering::Acquire));
        if let Some(new_end) = fits {
            if self.move_next(block_start + layout.size(), new_end) {
                return pointer;
            }
        }
        if new_size <= layout.size() {
            return pointer;
        }
        // SAFETY: the caller guarantees that `new_size`, rounded up to `layout.align()`, does
        // not overflow `isize`, so this layout is valid; it is non-zero as it exceeds the old size.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: `new_layout` has a non-zero size.
        let new_pointer = unsafe { self.alloc(new_layout) };
        if !new_pointer.is_null() {
            // SAFETY: both blocks are live and distinct (the new one was carved after the old
            // one), and the old block holds `layout.size()` bytes, fewer than the new one.
            unsafe { core::ptr::copy_nonoverlapping(pointer, new_pointer, layout.size()) };
            // SAFETY: the caller handed us `pointer` with `layout` to reallocate.
            unsafe { self.dealloc(pointer, layout) };
        }
        new_pointer
    }
}

pub mod board;
#[cfg(test)]
mod tests;

impl sauce_core::memory::HeapMonitor for BumpHeap {
    /// A bump heap's high-water mark is its use: it never goes back.
    fn statistics(&self) -> sauce_core::memory::HeapStatistics {
        let in_use = self.used_bytes();
        sauce_core::memory::HeapStatistics {
            in_use,
            high_water: in_use,
            capacity: self.capacity_bytes() + self.retired.load(Ordering::Relaxed),
        }
    }
}
