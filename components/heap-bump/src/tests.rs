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

    fn heap(&mut self) -> BumpHeap {
        let heap = BumpHeap::new();
        // SAFETY: the vector's buffer is mapped read-write, is never touched through the
        // vector while the heap lives (the arena is borrowed mutably to make the heap and each
        // test drops the heap before the arena), and is handed to this heap only.
        heap.init(unsafe { HeapRegion::new(self.memory.as_mut_ptr() as usize, self.memory.len()) });
        heap
    }
}

fn layout(size: usize, align: usize) -> Layout {
    Layout::from_size_align(size, align).unwrap()
}

#[test]
fn allocates_aligned_blocks_in_order() {
    let mut arena = Arena::new(4096);
    let heap = arena.heap();
    assert_eq!(heap.capacity_bytes(), 4096);
    // SAFETY: every layout below has a non-zero size.
    let (first, second) = unsafe { (heap.alloc(layout(3, 1)), heap.alloc(layout(8, 64))) };
    assert!(!first.is_null() && !second.is_null());
    assert_eq!(second as usize % 64, 0);
    assert!(second as usize >= first as usize + 3);
    assert_eq!(
        heap.used_bytes(),
        second as usize + 8 - arena.memory.as_ptr() as usize
    );
}

#[test]
fn freeing_the_last_block_rolls_back() {
    let mut arena = Arena::new(4096);
    let heap = arena.heap();
    // SAFETY: the blocks come from this heap with these layouts and are freed once.
    unsafe {
        let first = heap.alloc(layout(100, 8));
        let second = heap.alloc(layout(100, 8));
        let used = heap.used_bytes();
        heap.dealloc(first, layout(100, 8));
        assert_eq!(heap.used_bytes(), used, "not the last block: ignored");
        heap.dealloc(second, layout(100, 8));
        assert_eq!(
            heap.used_bytes(),
            second as usize - arena.memory.as_ptr() as usize
        );
        assert_eq!(heap.alloc(layout(100, 8)), second, "the space is reused");
    }
}

#[test]
fn realloc_grows_and_shrinks_the_last_block_in_place() {
    let mut arena = Arena::new(4096);
    let heap = arena.heap();
    // SAFETY: the blocks come from this heap with these layouts; each pointer is used with
    // the layout of its latest size only.
    unsafe {
        let block = heap.alloc(layout(16, 16));
        block.write_bytes(0xab, 16);
        let grown = heap.realloc(block, layout(16, 16), 1000);
        assert_eq!(grown, block);
        assert_eq!(
            heap.used_bytes(),
            block as usize + 1000 - arena.memory.as_ptr() as usize
        );
        let shrunk = heap.realloc(grown, layout(1000, 16), 10);
        assert_eq!(shrunk, block);
        assert_eq!(
            heap.used_bytes(),
            block as usize + 10 - arena.memory.as_ptr() as usize
        );
        let other = heap.alloc(layout(8, 8));
        let moved = heap.realloc(shrunk, layout(10, 16), 100);
        assert_ne!(moved, block, "not the last block any more: copied");
        assert_eq!(core::slice::from_raw_parts(moved, 10), [0xab; 10]);
        assert_eq!(
            heap.realloc(other, layout(8, 8), 4),
            other,
            "shrinking never moves"
        );
        assert!(
            heap.realloc(moved, layout(100, 16), 8192).is_null(),
            "too big"
        );
    }
}

#[test]
fn exhaustion_returns_null_and_keeps_earlier_blocks() {
    let mut arena = Arena::new(1 << 16);
    let heap = arena.heap();
    let report = randomized_workload(&heap, 3, usize::MAX, false).unwrap();
    assert!(
        report.failed_allocations == 1 && report.allocations > 20,
        "{report:?}"
    );
    // SAFETY: the layout has a non-zero size.
    assert!(unsafe { heap.alloc(layout(1 << 16, 1)) }.is_null());
    assert!(heap.used_bytes() <= heap.capacity_bytes());
}

#[test]
fn randomized_workload_with_frees_passes() {
    let mut arena = Arena::new(8 << 20);
    for seed in 1..5 {
        let heap = arena.heap();
        let report = randomized_workload(&heap, seed, 5_000, true).unwrap();
        assert!(
            report.allocations > 1000 && report.reallocations > 100,
            "{report:?}"
        );
        assert_eq!(report.allocations, report.deallocations);
    }
}

#[test]
fn an_uninitialized_heap_returns_null() {
    let heap = BumpHeap::default();
    // SAFETY: the layout has a non-zero size.
    assert!(unsafe { heap.alloc(layout(1, 1)) }.is_null());
    assert_eq!((heap.used_bytes(), heap.capacity_bytes()), (0, 0));
}

#[test]
#[should_panic(expected = "called twice")]
fn a_second_init_panics() {
    let mut arena = Arena::new(64);
    let heap = arena.heap();
    // SAFETY: never reached with a usable region: `init` panics before storing it.
    heap.init(unsafe { HeapRegion::new(arena.memory.as_mut_ptr() as usize, 64) });
}

#[test]
fn threads_allocating_at_once_get_disjoint_blocks() {
    let mut arena = Arena::new(1 << 20);
    let heap = arena.heap();
    let blocks = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    // SAFETY: the layout has a non-zero size.
                    (0..1000)
                        .map(|_| unsafe { heap.alloc(layout(24, 8)) } as usize)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect::<Vec<_>>()
    });
    let mut sorted = blocks.clone();
    sorted.sort_unstable();
    assert!(sorted.windows(2).all(|pair| pair[1] >= pair[0] + 24));
    assert_eq!(heap.used_bytes(), 4000 * 24);
}

#[test]
fn growing_moves_on_to_a_larger_region_and_keeps_counting() {
    let mut first = Arena::new(4096);
    let mut second = Arena::new(64 << 10);
    let heap = first.heap();
    // SAFETY: every layout below has a non-zero size.
    let small = unsafe { heap.alloc(layout(1000, 8)) };
    assert!(!small.is_null());
    // SAFETY: as in `Arena::heap`: the second vector's buffer is handed to this heap only and
    // outlives it.
    heap.grow(unsafe { HeapRegion::new(second.memory.as_mut_ptr() as usize, second.memory.len()) });
    // SAFETY: a non-zero size.
    let large = unsafe { heap.alloc(layout(32 << 10, 8)) };
    assert!(!large.is_null(), "the second region holds it");
    assert!((large as usize) >= second.memory.as_ptr() as usize);
    assert_eq!(heap.used_bytes(), 1000 + (32 << 10));
}
