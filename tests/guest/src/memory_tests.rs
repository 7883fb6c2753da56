//! Memory tests: frames left after boot, both heap allocators under a randomized workload.

use crate::Context;
use sauce_allocation_workload::randomized_workload;
use sauce_heap_bump::BumpHeap;
use sauce_heap_talc::TalcHeap;
use sauce_runtime::println;

static BUMP: BumpHeap = BumpHeap::new();
static GENERAL: TalcHeap = TalcHeap::new();

/// The frame allocator holds most of the RAM after boot and hands out aligned frames.
pub fn frames_after_boot(context: &mut Context) {
    let mut frames = context.platform.frames();
    let free = frames.free_bytes();
    assert!(free > 16 << 20, "only {free} bytes free after boot with 32 MiB of RAM");
    let range = frames.allocate(16, 1 << 16).expect("64 KiB of aligned frames");
    assert_eq!(range.start % (1 << 16), 0, "allocation not aligned: {range:?}");
    assert!(range.start >= 0x1000, "frame zero handed out");
    frames.deallocate(range).expect("frames go back");
    assert_eq!(frames.free_bytes(), free);
}

/// The bump heap never reuses memory: allocate-only workload until exhausted, no corruption.
pub fn bump_heap_randomized(context: &mut Context) {
    BUMP.init(context.platform.take_heap_region(1 << 20));
    let report = randomized_workload(&BUMP, 0x5eed_0001, 5_000, false)
        .unwrap_or_else(|error| panic!("bump heap broke a promise: {error}"));
    println!("bump heap: {report:?}");
    assert!(report.allocations > 100, "too few allocations: {report:?}");
    assert!(report.failed_allocations > 0, "1 MiB should run out: {report:?}");
}

/// The general-purpose heap reuses freed memory: alloc/realloc/free workload, no corruption.
pub fn talc_heap_randomized(context: &mut Context) {
    GENERAL.init(context.platform.take_heap_region(1 << 20));
    for seed in 1..=2 {
        let report = randomized_workload(&GENERAL, seed, 2_000, true)
            .unwrap_or_else(|error| panic!("talc heap broke a promise (seed {seed}): {error}"));
        assert!(report.deallocations > 200, "too few frees: {report:?}");
        assert_eq!(report.failed_allocations, 0, "1 MiB holds 64 blocks of 4 KiB: {report:?}");
    }
    assert_eq!(GENERAL.used_bytes(), 0, "everything was freed");
}
