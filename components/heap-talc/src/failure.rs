//! The last allocation the heap could not satisfy, kept for the fault report.
//!
//! Nothing a client sends should ever reach this (the memory model sizes every pool from the
//! heap and allocates fallibly); if something still does, the panic that follows names what
//! was asked for and what the heap held, instead of only "memory allocation failed".
use core::alloc::Layout;
use core::fmt;

use crate::{HeapStatistics, TalcHeap};

/// One failed allocation and the heap at that moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocationFailure {
    /// Bytes asked for.
    pub size: usize,
    /// Their alignment.
    pub align: usize,
    /// The heap when it failed.
    pub heap: HeapStatistics,
}

static LAST: spin::Mutex<Option<AllocationFailure>> = spin::Mutex::new(None);

/// Records that `layout` could not be allocated from `heap`. Reads only the heap's counters
/// (never its lock), so it is safe to call from inside the allocator.
pub(crate) fn record(layout: Layout, heap: &TalcHeap) {
    let heap = HeapStatistics {
        in_use: heap.in_use.load(core::sync::atomic::Ordering::Relaxed),
        high_water: heap.high_water.load(core::sync::atomic::Ordering::Relaxed),
        capacity: heap.claimed.load(core::sync::atomic::Ordering::Relaxed),
    };
    if let Some(mut last) = LAST.try_lock() {
        *last = Some(AllocationFailure {
            size: layout.size(),
            align: layout.align(),
            heap,
        });
    }
}

/// The last failed allocation, if any.
pub fn last() -> Option<AllocationFailure> {
    LAST.try_lock().and_then(|last| *last)
}

impl fmt::Display for AllocationFailure {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "the heap could not give {} bytes (alignment {}): {} KiB in use, high-water {} KiB, capacity {} KiB",
            self.size,
            self.align,
            self.heap.in_use / 1024,
            self.heap.high_water / 1024,
            self.heap.capacity / 1024
        )
    }
}
