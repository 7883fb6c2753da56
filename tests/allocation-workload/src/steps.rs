//! The steps of [`randomized_workload`](super::randomized_workload): placing, filling and
//! checking blocks.

use core::alloc::{GlobalAlloc, Layout};

use super::{WorkloadError, WorkloadReport, LARGEST_REQUEST, LIVE_SLOTS};

/// A block handed out by the allocator under test.
#[derive(Clone, Copy)]
pub(super) struct Live {
    pub(super) pointer: *mut u8,
    pub(super) layout: Layout,
    pub(super) tag: u64,
}

pub(super) struct Workload<'a> {
    pub(super) allocator: &'a dyn GlobalAlloc,
    pub(super) random: Xorshift,
    pub(super) slots: [Option<Live>; LIVE_SLOTS],
    pub(super) report: WorkloadReport,
    pub(super) next_tag: u64,
}

impl Workload<'_> {
    fn random_layout(&mut self) -> Layout {
        let largest = if self.random.below(4) == 0 {
            LARGEST_REQUEST
        } else {
            256
        };
        let size = 1 + self.random.below(largest);
        let alignment = 1
            << self
                .random
                .below(LARGEST_REQUEST.trailing_zeros() as usize + 1);
        Layout::from_size_align(size, alignment).unwrap_or(Layout::new::<u8>())
    }

    /// Allocates into `slot`; `false` when the allocator is out of memory.
    pub(super) fn allocate(&mut self, slot: usize) -> Result<bool, WorkloadError> {
        let layout = self.random_layout();
        // SAFETY: `layout` has a non-zero size.
        let pointer = unsafe { self.allocator.alloc(layout) };
        if pointer.is_null() {
            self.report.failed_allocations += 1;
            return Ok(false);
        }
        self.check_placement(pointer, layout, slot)?;
        let live = Live {
            pointer,
            layout,
            tag: self.take_tag(),
        };
        fill(&live);
        self.slots[slot] = Some(live);
        self.report.allocations += 1;
        let live_bytes = self
            .slots
            .iter()
            .flatten()
            .map(|live| live.layout.size())
            .sum();
        self.report.peak_live_bytes = self.report.peak_live_bytes.max(live_bytes);
        Ok(true)
    }

    pub(super) fn reallocate(&mut self, slot: usize, live: Live) -> Result<(), WorkloadError> {
        self.verify(&live)?;
        let new_size = self.random_layout().size();
        // SAFETY: `live` is a live block of this allocator with this layout, and `new_size`
        // is non-zero and far below `isize::MAX` once rounded to the alignment.
        let pointer = unsafe { self.allocator.realloc(live.pointer, live.layout, new_size) };
        if pointer.is_null() {
            self.report.failed_allocations += 1;
            return Ok(());
        }
        let layout = Layout::from_size_align(new_size, live.layout.align()).unwrap_or(live.layout);
        self.slots[slot] = None;
        self.check_placement(pointer, layout, slot)?;
        self.verify_bytes(pointer, new_size.min(live.layout.size()), live.tag)?;
        let moved = Live {
            pointer,
            layout,
            tag: self.take_tag(),
        };
        fill(&moved);
        self.slots[slot] = Some(moved);
        self.report.reallocations += 1;
        Ok(())
    }

    fn check_placement(
        &self,
        pointer: *mut u8,
        layout: Layout,
        slot: usize,
    ) -> Result<(), WorkloadError> {
        let address = pointer as usize;
        if !address.is_multiple_of(layout.align()) {
            return Err(WorkloadError::Misaligned {
                address,
                alignment: layout.align(),
            });
        }
        let end = address.saturating_add(layout.size());
        for (index, live) in self.slots.iter().enumerate() {
            let Some(live) = live.filter(|_| index != slot) else {
                continue;
            };
            let live_address = live.pointer as usize;
            if address < live_address + live.layout.size() && live_address < end {
                return Err(WorkloadError::Overlap {
                    address,
                    live_address,
                });
            }
        }
        Ok(())
    }

    pub(super) fn verify(&mut self, live: &Live) -> Result<(), WorkloadError> {
        self.verify_bytes(live.pointer, live.layout.size(), live.tag)
    }

    /// Checks that the first `size` bytes at `pointer`, all inside one live block, hold the
    /// pattern of `tag`.
    fn verify_bytes(
        &mut self,
        pointer: *mut u8,
        size: usize,
        tag: u64,
    ) -> Result<(), WorkloadError> {
        // SAFETY: the bytes lie in a live block that only this workload holds a pointer to;
        // no mutable view of them exists while this shared one does.
        let bytes = unsafe { core::slice::from_raw_parts(pointer, size) };
        self.report.verified_bytes += size as u64;
        match first_difference(bytes, tag) {
            None => Ok(()),
            Some(offset) => Err(WorkloadError::Corrupted {
                address: pointer as usize,
                offset,
            }),
        }
    }

    fn take_tag(&mut self) -> u64 {
        self.next_tag = self.next_tag.wrapping_add(0x9e37_79b9_7f4a_7c15);
        self.next_tag
    }
}

fn fill(live: &Live) {
    // SAFETY: the block is live, `layout.size()` bytes long, and only this workload holds its
    // pointer, so this is the only view of it.
    let bytes = unsafe { core::slice::from_raw_parts_mut(live.pointer, live.layout.size()) };
    let index = bytes.len() / 8;
    let mut words = bytes.chunks_exact_mut(8);
    for (index, word) in (&mut words).enumerate() {
        word.copy_from_slice(&pattern_word(live.tag, index).to_le_bytes());
    }
    for (offset, byte) in words.into_remainder().iter_mut().enumerate() {
        *byte = pattern_word(live.tag, index).to_le_bytes()[offset];
    }
}

/// Offset of the first byte of `bytes` that does not hold the pattern of `tag`.
fn first_difference(bytes: &[u8], tag: u64) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    for (index, word) in (&mut words).enumerate() {
        let expected = pattern_word(tag, index).to_le_bytes();
        if word != expected {
            let offset = word
                .iter()
                .zip(expected)
                .position(|(byte, wanted)| *byte != wanted);
            return Some(index * 8 + offset.unwrap_or(0));
        }
    }
    let index = bytes.len() / 8;
    let expected = pattern_word(tag, index).to_le_bytes();
    words
        .remainder()
        .iter()
        .zip(expected)
        .position(|(byte, wanted)| *byte != wanted)
        .map(|offset| index * 8 + offset)
}

/// The pattern of block `tag` for its 8-byte word `index`: unique per block and per word, so
/// overlapping blocks and shifted copies both show; written and checked a word at a time (on
/// hosts where guest instructions are emulated, a byte at a time is ruinously slow).
pub(super) fn pattern_word(tag: u64, index: usize) -> u64 {
    let mixed = tag ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    mixed ^ (mixed >> 29)
}

/// Byte `offset` of the pattern of block `tag`.
#[cfg(test)]
pub(super) fn pattern(tag: u64, offset: usize) -> u8 {
    pattern_word(tag, offset / 8).to_le_bytes()[offset % 8]
}

/// The xorshift64 generator: tiny, deterministic, good enough for test workloads.
pub(super) struct Xorshift(u64);

impl Xorshift {
    pub(super) fn new(seed: u64) -> Self {
        Self(if seed == 0 {
            0x2545_f491_4f6c_dd1d
        } else {
            seed
        })
    }

    pub(super) fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }
}
