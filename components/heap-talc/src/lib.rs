//! General-purpose heap: the talc allocator behind a spin lock, reusing freed memory.
//!
//! [`TalcHeap`] wraps a [`talc`] allocator (a dlmalloc-style allocator with boundary tags and
//! size bins) in a spin lock and implements [`GlobalAlloc`], so it can be the
//! `#[global_allocator]` of an image. Freed memory is reused and neighbouring free blocks
//! merge, at the cost of a little bookkeeping inside the heap region.
//!
//! # Interrupts
//!
//! The heap is guarded by a spin lock that does not disable interrupts. An interrupt handler
//! that allocates or frees while the interrupted code holds the lock would spin forever on a
//! single core, so interrupt handlers must never allocate, free, or drop anything that owns
//! heap memory. (The executor's interrupt wake-ups are designed not to.)
//!
//! ```text
//! #[global_allocator]
//! static HEAP: TalcHeap = TalcHeap::new();
//! // at boot, once: HEAP.init(region);
//! ```
#![cfg_attr(not(test), no_std)]

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicBool, Ordering};

use sauce_core::memory::HeapRegion;
use spin::mutex::SpinMutex;
use talc::source::Manual;
use talc::TalcLock;

/// Smallest region [`TalcHeap::init`] accepts: talc's bookkeeping plus room to allocate.
pub const MINIMUM_REGION_BYTES: usize = talc::min_first_heap_size::<talc::DefaultBinning>() + 4096;

/// A general-purpose heap over one [`HeapRegion`], on the talc allocator.
pub struct TalcHeap {
    talc: TalcLock<SpinMutex<()>, Manual>,
    initialized: AtomicBool,
}

impl core::fmt::Debug for TalcHeap {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("TalcHeap")
            .field("initialized", &self.initialized.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Default for TalcHeap {
    fn default() -> Self {
        Self::new()
    }
}

impl TalcHeap {
    /// A heap with no memory yet: every allocation fails until [`TalcHeap::init`].
    pub const fn new() -> Self {
        Self {
            talc: TalcLock::new(Manual),
            initialized: AtomicBool::new(false),
        }
    }

    /// Gives the heap its memory.
    ///
    /// # Panics
    ///
    /// When called a second time, or when the region is smaller than
    /// [`MINIMUM_REGION_BYTES`].
    pub fn init(&self, region: HeapRegion) {
        let first =
            self.initialized
                .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire);
        assert!(first.is_ok(), "TalcHeap::init called twice");
        assert!(
            region.size() >= MINIMUM_REGION_BYTES,
            "heap region of {} bytes is below the minimum of {MINIMUM_REGION_BYTES}",
            region.size()
        );
        // SAFETY: by the contract of `HeapRegion::new`, the region is mapped read-write and
        // used by nothing else for the rest of the program, which is what `claim` requires;
        // `Manual` allows manual heap management.
        let heap_end = unsafe {
            self.talc
                .lock()
                .claim(region.start() as *mut u8, region.size())
        };
        assert!(
            heap_end.is_some(),
            "talc refused a heap region of {} bytes",
            region.size()
        );
    }

    /// Bytes currently allocated (requested sizes, without talc's per-block overhead).
    pub fn used_bytes(&self) -> usize {
        self.talc.lock().counters().allocated_bytes
    }

    /// Bytes talc manages, after its bookkeeping and alignment trimming.
    pub fn capacity_bytes(&self) -> usize {
        self.talc.lock().counters().claimed_bytes
    }
}

// SAFETY: every call is forwarded unchanged to `TalcLock`, whose `GlobalAlloc` implementation
// upholds the trait's contract over memory talc owns exclusively (see `init`).
unsafe impl GlobalAlloc for TalcHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on.
        unsafe { self.talc.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on.
        unsafe { self.talc.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on.
        unsafe { self.talc.realloc(pointer, layout, new_size) }
    }
}

#[cfg(test)]
mod tests;
