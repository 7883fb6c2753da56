use super::*;

const MIB: u64 = 1 << 20;

fn range(start: u64, end: u64) -> PhysicalRange {
    PhysicalRange::new(start, end)
}

fn check_invariants(allocator: &FrameAllocator, allocated: &[PhysicalRange]) {
    let free = allocator.free_ranges();
    for window in free.windows(2) {
        assert!(
            window[0].end < window[1].start,
            "free list sorted and merged: {free:?}"
        );
    }
    for (index, block) in allocated.iter().enumerate() {
        assert!(
            free.iter().all(|free| !free.intersects(block)),
            "{block:?} is also free"
        );
        for other in &allocated[index + 1..] {
            assert!(!other.intersects(block), "{block:?} and {other:?} overlap");
        }
    }
    let free_sum: u64 = free.iter().map(PhysicalRange::len).sum();
    let allocated_sum: u64 = allocated.iter().map(PhysicalRange::len).sum();
    assert_eq!(free_sum, allocator.free_bytes());
    assert_eq!(
        free_sum + allocated_sum,
        allocator.total_bytes(),
        "bytes are conserved"
    );
}

#[test]
fn allocates_lowest_first_and_splits() {
    let mut allocator =
        FrameAllocator::from_ranges(&[range(0x10_0000, 0x20_0000), range(0x1000, 0x9000)]);
    assert_eq!(allocator.total_bytes(), MIB + 0x8000);
    assert_eq!(allocator.allocate(2, 0), Some(range(0x1000, 0x3000)));
    assert_eq!(
        allocator
            .allocate_frame()
            .map(|frame| frame.start_address().as_u64()),
        Some(0x3000)
    );
    assert_eq!(allocator.allocate(8, 0), Some(range(0x10_0000, 0x10_8000)));
    assert_eq!(allocator.allocate(1, 0x8000), Some(range(0x8000, 0x9000)));
    assert_eq!(
        allocator.free_ranges(),
        [range(0x4000, 0x8000), range(0x10_8000, 0x20_0000)]
    );
    check_invariants(
        &allocator,
        &[
            range(0x1000, 0x4000),
            range(0x8000, 0x9000),
            range(0x10_0000, 0x10_8000),
        ],
    );
}

#[test]
fn alignment_splits_a_range_in_the_middle() {
    let mut allocator = FrameAllocator::from_ranges(&[range(0x1000, 0x40_0000)]);
    assert_eq!(
        allocator.allocate(512, 2 * MIB),
        Some(range(0x20_0000, 0x40_0000))
    );
    assert_eq!(allocator.free_ranges(), [range(0x1000, 0x20_0000)]);
    let mut allocator = FrameAllocator::from_ranges(&[range(0x1000, 0x80_0000)]);
    assert_eq!(
        allocator.allocate(1, 2 * MIB),
        Some(range(0x20_0000, 0x20_1000))
    );
    assert_eq!(
        allocator.free_ranges(),
        [range(0x1000, 0x20_0000), range(0x20_1000, 0x80_0000)]
    );
}

#[test]
fn refuses_impossible_requests() {
    let mut allocator = FrameAllocator::from_ranges(&[range(0, 0x4000)]);
    assert_eq!(allocator.allocate(0, 0), None);
    assert_eq!(allocator.allocate(5, 0), None);
    assert_eq!(
        allocator.allocate(1, 0x3000),
        None,
        "alignment must be a power of two"
    );
    assert_eq!(allocator.allocate(u64::MAX, 0), None);
    assert_eq!(allocator.allocate(1, 1 << 63), Some(range(0, 0x1000)));
    assert_eq!(allocator.allocate(1, 1 << 63), None);
    assert_eq!(FrameAllocator::empty().allocate_frame(), None);
}

#[test]
fn allocates_below_a_limit() {
    let mut allocator =
        FrameAllocator::from_ranges(&[range(0x1000, 0x3000), range(0x1_0000_0000, 0x1_0010_0000)]);
    assert_eq!(allocator.allocate_below(4, 0, 0x1_0000_0000), None);
    assert_eq!(
        allocator.allocate_below(2, 0, 0x3000),
        Some(range(0x1000, 0x3000))
    );
    assert_eq!(
        allocator.allocate(4, 0),
        Some(range(0x1_0000_0000, 0x1_0000_4000))
    );
}

#[test]
fn deallocation_merges_and_rejects_bad_ranges() {
    let mut allocator = FrameAllocator::from_ranges(&[range(0, 0x10_000)]);
    let first = allocator.allocate(1, 0).unwrap();
    let second = allocator.allocate(1, 0).unwrap();
    let third = allocator.allocate(1, 0).unwrap();
    assert_eq!(allocator.deallocate(second), Ok(()));
    assert_eq!(allocator.free_ranges().len(), 2);
    assert_eq!(
        allocator.deallocate(second),
        Err(DeallocateError::AlreadyFree)
    );
    assert_eq!(
        allocator.deallocate(range(0, 0x2000)),
        Err(DeallocateError::AlreadyFree)
    );
    assert_eq!(
        allocator.deallocate(range(0x800, 0x1000)),
        Err(DeallocateError::Misaligned)
    );
    assert_eq!(
        allocator.deallocate(range(0x1000, 0x1000)),
        Err(DeallocateError::Misaligned)
    );
    assert_eq!(
        allocator.deallocate(range(0x10_000, 0x11_000)),
        Err(DeallocateError::NotManaged)
    );
    assert_eq!(allocator.deallocate(first), Ok(()));
    assert_eq!(
        allocator.deallocate_frame(Frame::containing(PhysicalAddress(third.start))),
        Ok(())
    );
    assert_eq!(allocator.free_ranges(), [range(0, 0x10_000)]);
    assert_eq!(allocator.free_bytes(), allocator.total_bytes());
}

#[test]
fn a_full_free_list_refuses_new_fragments_but_keeps_working() {
    let mut allocator = FrameAllocator::from_ranges(&[range(0x1000, 0x1000_0000)]);
    let blocks: Vec<_> = (0..2 * FRAME_ALLOCATOR_CAPACITY)
        .map(|_| allocator.allocate(1, 0).unwrap())
        .collect();
    let mut freed = 0;
    for block in blocks.iter().step_by(2) {
        match allocator.deallocate(*block) {
            Ok(()) => freed += 1,
            Err(error) => {
                assert_eq!(error, DeallocateError::TooFragmented);
                break;
            }
        }
    }
    assert_eq!(
        freed,
        FRAME_ALLOCATOR_CAPACITY - 1,
        "the holes plus the tail fill the list"
    );
    assert_eq!(allocator.free_ranges().len(), FRAME_ALLOCATOR_CAPACITY);
    assert_eq!(
        allocator.deallocate(*blocks.last().unwrap()),
        Ok(()),
        "merging needs no entry"
    );
    assert_eq!(
        allocator.allocate(1, 2 * MIB),
        None,
        "a split in the middle needs an entry"
    );
    assert_eq!(
        allocator.allocate(1, 0),
        Some(blocks[0]),
        "taking a whole hole frees an entry"
    );
    assert_eq!(
        allocator.allocate(1, 2 * MIB),
        Some(range(0x20_0000, 0x20_1000))
    );
    for window in allocator.free_ranges().windows(2) {
        assert!(window[0].end < window[1].start);
    }
}

#[test]
fn ranges_are_aligned_and_deduplicated_on_construction() {
    let allocator = FrameAllocator::from_ranges(&[
        range(0x1800, 0x4800),
        range(0x2000, 0x3000),
        range(0x4000, 0x8000),
        range(0x9000, 0x9fff),
    ]);
    assert_eq!(allocator.free_ranges(), [range(0x2000, 0x8000)]);
    assert_eq!(allocator.total_bytes(), 0x6000);
}

/// Random allocations and frees; after every step the free list and the allocations stay
/// disjoint and their bytes add up to the total.
#[test]
fn randomized_workload_keeps_invariants() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |bound: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % bound
    };
    for round in 0..20 {
        let ranges: Vec<_> = (0..1 + next(8))
            .map(|index| {
                range(
                    index * 64 * MIB + next(16) * 0x1000,
                    index * 64 * MIB + MIB * (1 + next(8)),
                )
            })
            .collect();
        let mut allocator = FrameAllocator::from_ranges(&ranges);
        let mut allocated: Vec<PhysicalRange> = Vec::new();
        for step in 0..400 {
            // At most 40 live blocks keep the free list (gaps between blocks) under capacity.
            if (next(2) == 0 || allocated.is_empty()) && allocated.len() < 40 {
                let largest = if next(4) == 0 { 300 } else { 8 };
                let count = 1 + next(largest);
                let alignment = 1 << (12 + next(10));
                if let Some(block) = allocator.allocate(count, alignment) {
                    assert_eq!(block.start % alignment, 0);
                    assert_eq!(block.len(), count * PAGE_SIZE);
                    allocated.push(block);
                }
            } else {
                let block = allocated.swap_remove(next(allocated.len() as u64) as usize);
                allocator
                    .deallocate(block)
                    .unwrap_or_else(|error| panic!("round {round} step {step}: {error}"));
                assert_eq!(
                    allocator.deallocate(block),
                    Err(DeallocateError::AlreadyFree)
                );
            }
            check_invariants(&allocator, &allocated);
        }
        for block in allocated.drain(..) {
            allocator.deallocate(block).unwrap();
        }
        assert_eq!(allocator.free_bytes(), allocator.total_bytes());
        assert_eq!(
            allocator.free_ranges(),
            FrameAllocator::from_ranges(&ranges).free_ranges()
        );
    }
}
