//! Physical frame allocation from a fixed-capacity list of free ranges.
//!
//! The allocator keeps its bookkeeping in itself, never in the RAM it manages: guest RAM is
//! backed lazily by the VMM, so writing a header into every free range (or a bitmap over all of
//! RAM) would make the host commit memory the guest never uses.

#[cfg(test)]
mod tests;

use crate::address::{align_up, Frame, PhysicalAddress, PhysicalRange, PAGE_SIZE};
use crate::memory_map::UsableRanges;

/// Most disjoint free ranges (and most managed ranges) a [`FrameAllocator`] tracks.
pub const FRAME_ALLOCATOR_CAPACITY: usize = 64;

/// Why a range could not be given back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeallocateError {
    /// The range is empty or its ends are not 4 KiB aligned.
    Misaligned,
    /// Part of the range is already free: a double free, or a range that was never allocated.
    AlreadyFree,
    /// Part of the range lies outside the memory this allocator manages.
    NotManaged,
    /// The free list is full; the range would need a new, unmergeable entry.
    TooFragmented,
}

impl core::fmt::Display for DeallocateError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.write_str(match self {
            Self::Misaligned => "range is empty or not page aligned",
            Self::AlreadyFree => "range overlaps free memory (double free?)",
            Self::NotManaged => "range lies outside the managed memory",
            Self::TooFragmented => "free list is full",
        })
    }
}

/// A fixed-capacity sorted list of disjoint ranges.
#[derive(Clone, Debug)]
struct RangeList {
    ranges: [PhysicalRange; FRAME_ALLOCATOR_CAPACITY],
    length: usize,
}

impl RangeList {
    const fn new() -> Self {
        Self {
            ranges: [PhysicalRange::new(0, 0); FRAME_ALLOCATOR_CAPACITY],
            length: 0,
        }
    }

    fn as_slice(&self) -> &[PhysicalRange] {
        &self.ranges[..self.length]
    }

    fn insert(&mut self, index: usize, range: PhysicalRange) -> bool {
        if self.length == FRAME_ALLOCATOR_CAPACITY {
            return false;
        }
        self.ranges.copy_within(index..self.length, index + 1);
        self.ranges[index] = range;
        self.length += 1;
        true
    }

    fn remove(&mut self, index: usize) {
        self.ranges.copy_within(index + 1..self.length, index);
        self.length -= 1;
    }

    /// Adds `range`, merging it with the neighbours it touches; `false` when full.
    fn insert_merged(&mut self, range: PhysicalRange) -> bool {
        let index = self
            .as_slice()
            .partition_point(|free| free.start < range.start);
        let merges_previous = index > 0 && self.ranges[index - 1].end == range.start;
        let merges_next = index < self.length && self.ranges[index].start == range.end;
        match (merges_previous, merges_next) {
            (true, true) => {
                self.ranges[index - 1].end = self.ranges[index].end;
                self.remove(index);
            }
            (true, false) => self.ranges[index - 1].end = range.end,
            (false, true) => self.ranges[index].start = range.start,
            (false, false) => return self.insert(index, range),
        }
        true
    }
}

/// Allocates contiguous runs of 4 KiB frames, lowest address first.
#[derive(Clone, Debug)]
pub struct FrameAllocator {
    free: RangeList,
    managed: RangeList,
    free_bytes: u64,
    total_bytes: u64,
}

impl Default for FrameAllocator {
    fn default() -> Self {
        Self::empty()
    }
}

impl FrameAllocator {
    /// An allocator with no memory.
    pub const fn empty() -> Self {
        Self {
            free: RangeList::new(),
            managed: RangeList::new(),
            free_bytes: 0,
            total_bytes: 0,
        }
    }

    /// An allocator over the usable RAM of a memory map.
    pub fn new(usable: &UsableRanges) -> Self {
        Self::from_ranges(usable.as_slice())
    }

    /// An allocator over `ranges`, each shrunk to page boundaries. Overlapping ranges are
    /// skipped; ranges beyond [`FRAME_ALLOCATOR_CAPACITY`] fragments are ignored.
    pub fn from_ranges(ranges: &[PhysicalRange]) -> Self {
        let mut allocator = Self::empty();
        for range in ranges
            .iter()
            .map(|range| range.shrink_to_alignment(PAGE_SIZE))
        {
            let overlaps = allocator
                .managed
                .as_slice()
                .iter()
                .any(|managed| managed.intersects(&range));
            if range.is_empty() || overlaps || !allocator.managed.insert_merged(range) {
                continue;
            }
            allocator.free.insert_merged(range);
            allocator.free_bytes += range.len();
            allocator.total_bytes += range.len();
        }
        allocator
    }

    /// `count_frames` contiguous frames whose start is a multiple of `alignment_bytes`
    /// (a power of two; anything below 4 KiB, including zero, means 4 KiB).
    pub fn allocate(&mut self, count_frames: u64, alignment_bytes: u64) -> Option<PhysicalRange> {
        self.allocate_below(count_frames, alignment_bytes, u64::MAX)
    }

    /// Like [`FrameAllocator::allocate`], but the whole run ends at or below `limit`
    /// (for example 4 GiB for a device limited to 32-bit addresses).
    pub fn allocate_below(
        &mut self,
        count_frames: u64,
        alignment_bytes: u64,
        limit: u64,
    ) -> Option<PhysicalRange> {
        let bytes = count_frames
            .checked_mul(PAGE_SIZE)
            .filter(|&bytes| bytes > 0)?;
        if alignment_bytes != 0 && !alignment_bytes.is_power_of_two() {
            return None;
        }
        let alignment = alignment_bytes.max(PAGE_SIZE);
        for index in 0..self.free.length {
            let free = self.free.ranges[index];
            let Some(start) = align_up(free.start, alignment) else {
                break;
            };
            let Some(end) = start.checked_add(bytes) else {
                break;
            };
            if end > limit {
                break;
            }
            if end > free.end {
                continue;
            }
            let carved = match (start == free.start, end == free.end) {
                (true, true) => {
                    self.free.remove(index);
                    true
                }
                (true, false) => {
                    self.free.ranges[index].start = end;
                    true
                }
                (false, true) => {
                    self.free.ranges[index].end = start;
                    true
                }
                (false, false) => {
                    let inserted = self
                        .free
                        .insert(index + 1, PhysicalRange::new(end, free.end));
                    if inserted {
                        self.free.ranges[index].end = start;
                    }
                    inserted
                }
            };
            if carved {
                self.free_bytes -= bytes;
                return Some(PhysicalRange::new(start, end));
            }
        }
        None
    }

    /// One frame, the lowest free one.
    pub fn allocate_frame(&mut self) -> Option<Frame> {
        let range = self.allocate(1, PAGE_SIZE)?;
        Frame::from_start_address(PhysicalAddress::new(range.start))
    }

    /// Gives `range` back, merging it with free neighbours.
    pub fn deallocate(&mut self, range: PhysicalRange) -> Result<(), DeallocateError> {
        if range.is_empty()
            || !range.start.is_multiple_of(PAGE_SIZE)
            || !range.end.is_multiple_of(PAGE_SIZE)
        {
            return Err(DeallocateError::Misaligned);
        }
        if !self
            .managed
            .as_slice()
            .iter()
            .any(|managed| managed.contains_range(&range))
        {
            return Err(DeallocateError::NotManaged);
        }
        if self
            .free
            .as_slice()
            .iter()
            .any(|free| free.intersects(&range))
        {
            return Err(DeallocateError::AlreadyFree);
        }
        if !self.free.insert_merged(range) {
            return Err(DeallocateError::TooFragmented);
        }
        self.free_bytes += range.len();
        Ok(())
    }

    /// Gives one frame back.
    pub fn deallocate_frame(&mut self, frame: Frame) -> Result<(), DeallocateError> {
        self.deallocate(frame.range())
    }

    /// Bytes currently free.
    pub const fn free_bytes(&self) -> u64 {
        self.free_bytes
    }

    /// Bytes managed, free or not.
    pub const fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// The free ranges: sorted, disjoint and never adjacent.
    pub fn free_ranges(&self) -> &[PhysicalRange] {
        self.free.as_slice()
    }
}
