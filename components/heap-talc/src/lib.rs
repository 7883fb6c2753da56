//! General-purpose heap: the talc allocator behind a spin lock, reusing freed memory.
//!
//! [`TalcHeap`] wraps a [`talc`] allocator (a dlmalloc-style allocator with boundary tags and
//! size bins) in a spin lock and implements [`GlobalAlloc`], so it can be the
//! `#[global_allocator]` of an image. Freed memory is reused and neighbouring free blocks
//! merge, at the cost of a little bookkeeping inside the heap region. Freed small blocks wait
//! in a size-class [`cache`] in front of talc for the next allocation of their size.
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
//! - [`cache`]: freed small blocks by size class, handed out again before talc is asked.
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
use core::ptr::NonNull;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use sauce_core::memory::HeapRegion;
use spin::mutex::SpinMutex;
use talc::source::Manual;
use talc::TalcLock;

use crate::cache::{class_layout, class_of, Cache};

/// Smallest region [`TalcHeap::init`] accepts: talc's bookkeeping plus room to allocate.
pub const MINIMUM_REGION_BYTES: usize = talc::min_first_heap_size::<talc::DefaultBinning>() + 4096;

/// A general-purpose heap over one [`HeapRegion`] (and any it [grows](TalcHeap::grow) into),
/// on the talc allocator.
pub struct TalcHeap {
    talc: TalcLock<SpinMutex<()>, Manual>,
    /// Freed small blocks, by size class (taken before `talc`'s lock, never while holding it).
    cache: SpinMutex<Cache>,
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
            cache: SpinMutex::new(Cache::new()),
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
    /// heap can have free bytes and still fail a large request when they are scattered). The
    /// cache gives its blocks back first.
    pub fn largest_free_block(&self) -> usize {
        self.drain_cache();
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

impl TalcHeap {
    /// The layout talc is asked for, for `layout`: its class's (cache rule 2), else itself.
    fn talc_layout(layout: Layout) -> Layout {
        class_of(layout).map_or(layout, |class| class_layout(class, layout.align()))
    }

    /// Gives every cached block back to talc (cache rule 4); whether there were any.
    fn drain_cache(&self) -> bool {
        let mut cache = self.cache.lock();
        let had_blocks = cache.bytes() > 0;
        cache.drain(|class, block| {
            // SAFETY: a cached block of `class` was allocated from talc with the class's
            // layout (cache rule 2; any alignment: talc reads only the size) and is used by
            // nothing (rule 5).
            unsafe { self.talc.dealloc(block.as_ptr(), class_layout(class, 1)) }
        });
        had_blocks
    }

    /// Asks talc for `layout` (already a class's, if cached); when it cannot, once more after
    /// the cache gave its blocks back.
    ///
    /// # Safety
    /// `GlobalAlloc::alloc`'s: `layout` has a non-zero size.
    unsafe fn talc_alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on.
        let pointer = unsafe { self.talc.alloc(layout) };
        if pointer.is_null() && self.drain_cache() {
            // SAFETY: as above.
            return unsafe { self.talc.alloc(layout) };
        }
        pointer
    }
}

// SAFETY: every block comes from `TalcLock`, whose `GlobalAlloc` implementation upholds the
// trait's contract over memory talc owns exclusively (see `init`), with the layout of the
// block's class for cached sizes (cache rule 2: the same chunk as the caller's layout, aligned
// to 32 as every talc chunk is); a freed block of a cached size waits in the cache, which hands
// it out once, to an allocation of its class.
unsafe impl GlobalAlloc for TalcHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = match class_of(layout) {
            Some(class) => {
                // The cache's lock is released before talc is asked (which may drain it).
                let cached = self.cache.lock().take(class);
                match cached {
                    Some(block) => block.as_ptr(),
                    // SAFETY: the class's layout has a non-zero size.
                    None => unsafe { self.talc_alloc(class_layout(class, layout.align())) },
                }
            }
            // SAFETY: the caller's contract for `alloc` is passed on.
            None => unsafe { self.talc_alloc(layout) },
        };
        if pointer.is_null() {
            failure::record(layout, self);
        } else {
            self.note_allocated(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        self.in_use.fetch_sub(layout.size(), Ordering::Relaxed);
        let block = match (class_of(layout), NonNull::new(pointer)) {
            (Some(class), Some(block)) => {
                // SAFETY: the caller gives the block up, and it was allocated with this class's
                // layout (rule 2): the cache may own it.
                let kept = unsafe { self.cache.lock().put(class, block) };
                match kept {
                    Ok(()) => return,
                    Err(block) => block.as_ptr(),
                }
            }
            _ => pointer,
        };
        // SAFETY: the caller's contract for `dealloc` is passed on, with the layout the block
        // was allocated with (its class's, for a cached size).
        unsafe { self.talc.dealloc(block, Self::talc_layout(layout)) };
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(wanted) = Layout::from_size_align(new_size, layout.align()) else {
            return core::ptr::null_mut();
        };
        let old_class = class_of(layout);
        let moved = if old_class.is_some() && old_class == class_of(wanted) {
            // The block is the class's largest size already (rule 2).
            pointer
        } else {
            let (from, to) = (Self::talc_layout(layout), Self::talc_layout(wanted));
            // SAFETY: the caller's contract for `realloc` is passed on, with the layout the
            // block was allocated with and the size of the layout it will be freed with.
            let moved = unsafe { self.talc.realloc(pointer, from, to.size()) };
            if moved.is_null() && self.drain_cache() {
                // SAFETY: as above; talc left the block untouched when it failed.
                unsafe { self.talc.realloc(pointer, from, to.size()) }
            } else {
                moved
            }
        };
        if moved.is_null() {
            // Talc's contract: the old block is untouched when growing fails.
            failure::record(wanted, self);
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
pub mod cache;
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
