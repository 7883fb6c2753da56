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
//! # Map
//! - this file: [`TalcHeap`], its growth and its statistics ([`HeapStatistics`]).
//! - [`failure`]: the last allocation that failed, for the fault report.
//! - `board` (images only): the component's contract: [`board::init`], [`board::grow`].
//!
//! ```text
//! #[global_allocator]
//! static HEAP: TalcHeap = TalcHeap::new();
//! // at boot, once: HEAP.init(region);
//! ```
#![cfg_attr(not(test), no_std)]

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use sauce_core::memory::HeapRegion;
use spin::mutex::SpinMutex;
use talc::source::Manual;
use talc::TalcLock;

/// Smallest region [`TalcHeap::init`] accepts: talc's bookkeeping plus room to allocate.
pub const MINIMUM_REGION_BYTES: usize = talc::min_first_heap_size::<talc::DefaultBinning>() + 4096;

/// A general-purpose heap over one [`HeapRegion`] (and any it [grows](TalcHeap::grow) into),
/// on the talc allocator.
pub struct TalcHeap {
    talc: TalcLock<SpinMutex<()>, Manual>,
    initialized: AtomicBool,
    /// Bytes handed out and not yet returned (requested sizes), and the most there ever were.
    in_use: AtomicUsize,
    high_water: AtomicUsize,
    /// Bytes of the regions handed to talc.
    claimed: AtomicUsize,
}

pub use sauce_core::memory::HeapStatistics;

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
            in_use: AtomicUsize::new(0),
            high_water: AtomicUsize::new(0),
            claimed: AtomicUsize::new(0),
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
        self.claimed.fetch_add(region.size(), Ordering::Relaxed);
    }

    /// Adds `region` to the heap: a board hands over the RAM left once its drivers took their
    /// DMA pages, so the heap grows to what the VM was given. Regions need not touch.
    ///
    /// # Panics
    ///
    /// Before [`TalcHeap::init`].
    pub fn grow(&self, region: HeapRegion) {
        assert!(
            self.initialized.load(Ordering::Acquire),
            "TalcHeap::grow before init"
        );
        // SAFETY: as in `init`: by the contract of `HeapRegion::new` the region is mapped
        // read-write and used by nothing else for the rest of the program.
        let claimed = unsafe {
            self.talc
                .lock()
                .claim(region.start() as *mut u8, region.size())
        };
        if claimed.is_some() {
            self.claimed.fetch_add(region.size(), Ordering::Relaxed);
        }
    }

    /// Bytes currently allocated (requested sizes, without talc's per-block overhead).
    pub fn used_bytes(&self) -> usize {
        self.in_use.load(Ordering::Relaxed)
    }

    /// Bytes allocated now, the most ever, and the capacity.
    pub fn statistics(&self) -> HeapStatistics {
        HeapStatistics {
            in_use: self.in_use.load(Ordering::Relaxed),
            high_water: self.high_water.load(Ordering::Relaxed),
            capacity: self.capacity_bytes(),
        }
    }

    /// Bytes that can still be allocated, roughly (capacity less bytes in use).
    pub fn free_bytes(&self) -> usize {
        self.capacity_bytes().saturating_sub(self.used_bytes())
    }

    /// The largest block that could be allocated now, found by trying (for fault reports: a
    /// heap can have free bytes and still fail a large request when they are scattered).
    pub fn largest_free_block(&self) -> usize {
        let (mut low, mut high) = (0usize, self.free_bytes());
        while low < high {
            let middle = low + (high - low).div_ceil(2);
            let Ok(layout) = Layout::from_size_align(middle, 1) else {
                break;
            };
            // SAFETY: `layout` has a non-zero size; a block we get is returned at once with
            // the same layout.
            let pointer = unsafe { self.talc.alloc(layout) };
            if pointer.is_null() {
                high = middle - 1;
            } else {
                // SAFETY: `pointer` was just allocated with `layout` by the same allocator.
                unsafe { self.talc.dealloc(pointer, layout) };
                low = middle;
            }
        }
        low
    }

    /// The heap's part of a fault report, one line at a time to `line`: the allocation that
    /// failed (if one did), and the heap now with its largest free block.
    pub fn fault_report(&self, mut line: impl FnMut(core::fmt::Arguments<'_>)) {
        if let Some(failure) = failure::last() {
            line(format_args!("heap: {failure}"));
        }
        let now = self.statistics();
        line(format_args!(
            "heap now: {} KiB in use, high-water {} KiB, capacity {} KiB, largest free block {} KiB",
            now.in_use / 1024,
            now.high_water / 1024,
            now.capacity / 1024,
            self.largest_free_block() / 1024
        ));
    }

    fn note_allocated(&self, bytes: usize) {
        let in_use = self.in_use.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.high_water.fetch_max(in_use, Ordering::Relaxed);
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
        let pointer = unsafe { self.talc.alloc(layout) };
        if pointer.is_null() {
            failure::record(layout, self);
        } else {
            self.note_allocated(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on.
        unsafe { self.talc.dealloc(pointer, layout) };
        self.in_use.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on.
        let moved = unsafe { self.talc.realloc(pointer, layout, new_size) };
        if moved.is_null() {
            // Talc's contract: the old block is untouched when growing fails.
            if let Ok(wanted) = Layout::from_size_align(new_size, layout.align()) {
                failure::record(wanted, self);
            }
        } else if new_size >= layout.size() {
            self.note_allocated(new_size - layout.size());
        } else {
            self.in_use
                .fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        moved
    }
}

pub mod board;
pub mod failure;
#[cfg(test)]
mod tests;

impl sauce_core::memory::HeapMonitor for TalcHeap {
    fn statistics(&self) -> HeapStatistics {
        TalcHeap::statistics(self)
    }

    fn free_bytes(&self) -> usize {
        TalcHeap::free_bytes(self)
    }
}
