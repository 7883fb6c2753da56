use super::steps::pattern;
use super::*;
use core::alloc::Layout;
use std::alloc::System;
use std::cell::Cell;

#[test]
fn the_system_allocator_passes() {
    for seed in 0..4 {
        let report = randomized_workload(&System, seed, 5_000, true).unwrap();
        assert!(report.allocations > 1_000 && report.reallocations > 100);
        assert_eq!(report.allocations, report.deallocations);
        assert_eq!(report.failed_allocations, 0);
    }
}

/// Refuses every request after a budget, like an exhausted heap.
struct Limited {
    remaining: Cell<usize>,
}

// SAFETY: forwards to the system allocator, whose blocks satisfy every layout.
unsafe impl GlobalAlloc for Limited {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if self.remaining.get() == 0 {
            return core::ptr::null_mut();
        }
        self.remaining.set(self.remaining.get() - 1);
        // SAFETY: the caller's layout contract is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from `System.alloc` with `layout`.
        unsafe { System.dealloc(pointer, layout) }
    }
}

#[test]
fn without_frees_it_allocates_until_null() {
    let allocator = Limited {
        remaining: Cell::new(150),
    };
    let report = randomized_workload(&allocator, 7, 10_000, false).unwrap();
    assert_eq!(
        (
            report.allocations,
            report.failed_allocations,
            report.deallocations
        ),
        (150, 1, 0)
    );
}

/// Hands out the same block twice, which the workload must notice.
struct Broken {
    block: *mut u8,
}

// SAFETY: intentionally broken, used only to check that the workload notices; the block
// is 8192 bytes aligned to 4096, enough for any request of the workload.
unsafe impl GlobalAlloc for Broken {
    unsafe fn alloc(&self, _layout: Layout) -> *mut u8 {
        self.block
    }

    unsafe fn dealloc(&self, _pointer: *mut u8, _layout: Layout) {}
}

#[test]
fn overlapping_blocks_are_caught() {
    let layout = Layout::from_size_align(8192, 4096).unwrap();
    // SAFETY: the layout has a non-zero size.
    let block = unsafe { System.alloc(layout) };
    let result = randomized_workload(&Broken { block }, 1, 100, true);
    assert!(
        matches!(result, Err(WorkloadError::Overlap { .. })),
        "{result:?}"
    );
    // SAFETY: allocated above with the same layout.
    unsafe { System.dealloc(block, layout) };
}

#[test]
fn patterns_differ_between_tags_and_offsets() {
    assert_ne!(pattern(1, 0), pattern(2, 0));
    let distinct: std::collections::HashSet<_> =
        (0..256).map(|offset| pattern(5, offset)).collect();
    assert!(distinct.len() > 100);
}
