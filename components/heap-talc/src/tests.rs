use super::*;
use sauce_allocation_workload::randomized_workload;

/// Heap memory for one test: a vector that outlives the heap using it.
struct Arena {
    memory: Vec<u8>,
}

impl Arena {
    fn new(size: usize) -> Self {
        Self {
            memory: vec![0; size],
        }
    }

    fn heap(&mut self) -> TalcHeap {
        let heap = TalcHeap::new();
        // SAFETY: the vector's buffer is mapped read-write, is never touched through the
        // vector while the heap lives (each test drops the heap before the arena), and is
        // handed to this heap only.
        heap.init(unsafe { HeapRegion::new(self.memory.as_mut_ptr() as usize, self.memory.len()) });
        heap
    }
}

fn layout(size: usize, align: usize) -> Layout {
    Layout::from_size_align(size, align).unwrap()
}

#[test]
fn freed_memory_is_reused() {
    let mut arena = Arena::new(64 << 10);
    let heap = arena.heap();
    assert!(heap.capacity_bytes() > 60 << 10);
    // SAFETY: the blocks come from this heap with these layouts and are freed once.
    unsafe {
        let first = heap.alloc(layout(1000, 8));
        let second = heap.alloc(layout(1000, 8));
        assert!(!first.is_null() && !second.is_null());
        assert_eq!(heap.used_bytes(), 2000);
        heap.dealloc(first, layout(1000, 8));
        assert_eq!(heap.used_bytes(), 1000);
        assert_eq!(heap.alloc(layout(1000, 8)), first);
    }
}

#[test]
fn randomized_workload_with_frees_passes() {
    let mut arena = Arena::new(1 << 20);
    for seed in 1..5 {
        let heap = arena.heap();
        let report = randomized_workload(&heap, seed, 20_000, true).unwrap();
        assert!(
            report.allocations > 5000 && report.reallocations > 1000,
            "{report:?}"
        );
        assert_eq!(
            report.failed_allocations, 0,
            "1 MiB holds 64 blocks of 4 KiB"
        );
        assert_eq!(heap.used_bytes(), 0);
    }
}

#[test]
fn exhaustion_returns_null_and_keeps_earlier_blocks() {
    let mut arena = Arena::new(64 << 10);
    let heap = arena.heap();
    let report = randomized_workload(&heap, 9, usize::MAX, false).unwrap();
    assert!(
        report.failed_allocations == 1 && report.allocations > 10,
        "{report:?}"
    );
    let mut fresh = Arena::new(64 << 10);
    let heap = fresh.heap();
    // SAFETY: the layout has a non-zero size.
    assert!(unsafe { heap.alloc(layout(1 << 20, 8)) }.is_null());
}

#[test]
fn an_uninitialized_heap_returns_null() {
    let heap = TalcHeap::default();
    // SAFETY: the layout has a non-zero size.
    assert!(unsafe { heap.alloc(layout(8, 8)) }.is_null());
    assert_eq!(heap.used_bytes(), 0);
}

#[test]
#[should_panic(expected = "called twice")]
fn a_second_init_panics() {
    let mut arena = Arena::new(64 << 10);
    let heap = arena.heap();
    // SAFETY: never reached with a usable region: `init` panics before claiming it.
    heap.init(unsafe { HeapRegion::new(arena.memory.as_mut_ptr() as usize, 64 << 10) });
}

#[test]
#[should_panic(expected = "below the minimum")]
fn a_tiny_region_is_refused() {
    let mut arena = Arena::new(MINIMUM_REGION_BYTES - 1);
    arena.heap();
}

#[test]
fn threads_share_the_heap() {
    let mut arena = Arena::new(4 << 20);
    let heap = arena.heap();
    std::thread::scope(|scope| {
        for seed in 0..3 {
            let heap = &heap;
            scope.spawn(move || randomized_workload(heap, seed + 100, 5_000, true).unwrap());
        }
    });
    assert_eq!(heap.used_bytes(), 0);
}

#[test]
fn a_heap_grows_into_a_second_region_and_counts_its_high_water() {
    let mut first = Arena::new(64 << 10);
    let mut second = Arena::new(256 << 10);
    let heap = first.heap();
    let capacity_before = heap.capacity_bytes();
    // SAFETY: as in `Arena::heap`: the second vector's buffer is handed to this heap only and
    // outlives it.
    heap.grow(unsafe { HeapRegion::new(second.memory.as_mut_ptr() as usize, second.memory.len()) });
    assert!(heap.capacity_bytes() > capacity_before + (200 << 10));
    // SAFETY: the block comes from this heap with this layout and is freed once.
    unsafe {
        let large = heap.alloc(layout(150 << 10, 8));
        assert!(!large.is_null(), "only the grown region holds 150 KiB");
        assert_eq!(heap.statistics().in_use, 150 << 10);
        heap.dealloc(large, layout(150 << 10, 8));
    }
    let statistics = heap.statistics();
    assert_eq!(statistics.in_use, 0);
    assert_eq!(statistics.high_water, 150 << 10);
    assert!(heap.largest_free_block() >= 150 << 10);
}

#[test]
fn a_failed_allocation_is_recorded_with_the_heap_state() {
    let mut arena = Arena::new(64 << 10);
    let heap = arena.heap();
    // SAFETY: a failed allocation returns null and hands out nothing to free.
    let pointer = unsafe { heap.alloc(layout(1 << 20, 8)) };
    assert!(pointer.is_null());
    let failure = failure::last().expect("the failure was recorded");
    assert_eq!((failure.size, failure.align), (1 << 20, 8));
    assert!(failure.heap.capacity > 60 << 10);
    let report = failure.to_string();
    assert!(
        report.contains("1048576 bytes") && report.contains("capacity"),
        "{report}"
    );
    assert!(heap.largest_free_block() < 64 << 10);
}

#[test]
fn a_freed_small_block_serves_the_next_allocation_of_its_class() {
    let mut arena = Arena::new(64 << 10);
    let heap = arena.heap();
    // SAFETY: the blocks come from this heap with these layouts and are freed once.
    unsafe {
        let first = heap.alloc(layout(100, 8));
        let keep = heap.alloc(layout(100, 8));
        heap.dealloc(first, layout(100, 8));
        assert!(
            heap.cache.lock().bytes() > 0,
            "the block waits in the cache"
        );
        // 110 bytes take the same talc chunk as 100 (both 128 bytes with talc's tail).
        let again = heap.alloc(layout(110, 16));
        assert_eq!(again, first);
        assert_eq!(again as usize % 32, 0);
        assert_eq!(heap.used_bytes(), 210);
        heap.dealloc(again, layout(110, 16));
        heap.dealloc(keep, layout(100, 8));
    }
    assert_eq!(heap.used_bytes(), 0);
}

#[test]
fn growing_within_a_class_keeps_the_block_and_beyond_it_keeps_the_bytes() {
    let mut arena = Arena::new(64 << 10);
    let heap = arena.heap();
    // SAFETY: the blocks come from this heap with these layouts; each is freed once, with the
    // layout of its last size.
    unsafe {
        let block = heap.alloc(layout(40, 1));
        block.copy_from(b"0123456789".as_ptr(), 10);
        assert_eq!(
            heap.realloc(block, layout(40, 1), 56),
            block,
            "56 + 8 bytes fit 64"
        );
        let moved = heap.realloc(block, layout(56, 1), 3000);
        assert!(!moved.is_null());
        assert_eq!(core::slice::from_raw_parts(moved, 10), b"0123456789");
        let back = heap.realloc(moved, layout(3000, 1), 20);
        assert_eq!(core::slice::from_raw_parts(back, 10), b"0123456789");
        assert_eq!(heap.used_bytes(), 20);
        heap.dealloc(back, layout(20, 1));
    }
    assert_eq!(heap.used_bytes(), 0);
}

#[test]
fn the_cache_is_bounded_and_never_makes_an_allocation_fail() {
    let mut arena = Arena::new(64 << 10);
    let heap = arena.heap();
    let largest = heap.largest_free_block();
    let small = layout(1000, 8);
    let mut blocks = Vec::new();
    // SAFETY: the blocks come from this heap with these layouts and are freed once.
    unsafe {
        loop {
            let block = heap.alloc(small);
            if block.is_null() {
                break;
            }
            blocks.push(block);
        }
        assert!(blocks.len() > 50, "{} blocks", blocks.len());
        for block in blocks {
            heap.dealloc(block, small);
        }
        assert!(heap.cache.lock().bytes() <= cache::CACHED_BYTES);
        assert!(heap.cache.lock().bytes() > 0);
        // The cache's blocks lie scattered over the heap: talc alone could not serve this.
        let whole = heap.alloc(layout(largest, 8));
        assert!(!whole.is_null(), "the cache gave its blocks back");
        assert_eq!(heap.cache.lock().bytes(), 0);
        heap.dealloc(whole, layout(largest, 8));
    }
    assert_eq!(heap.largest_free_block(), largest);
}
