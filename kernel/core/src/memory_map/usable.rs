//! Usable RAM: sorted, disjoint, page-aligned ranges computed from a raw memory map.

use super::{MemoryKind, MemoryRegion};
use crate::address::{PhysicalRange, PAGE_SIZE};

/// Most ranges a [`UsableRanges`] holds; each subtraction may split one range in two.
pub const USABLE_RANGES_CAPACITY: usize = 128;

/// Sorted, non-overlapping, non-adjacent, page-aligned, non-empty physical ranges.
///
/// Should the ranges ever outnumber [`USABLE_RANGES_CAPACITY`], the extra ones are dropped and
/// their bytes counted in [`UsableRanges::dropped_bytes`]: memory is lost, never misreported.
#[derive(Clone, Debug)]
pub struct UsableRanges {
    ranges: [PhysicalRange; USABLE_RANGES_CAPACITY],
    length: usize,
    dropped_bytes: u64,
}

impl Default for UsableRanges {
    fn default() -> Self {
        Self::new()
    }
}

impl UsableRanges {
    /// No range at all.
    pub const fn new() -> Self {
        Self {
            ranges: [PhysicalRange::new(0, 0); USABLE_RANGES_CAPACITY],
            length: 0,
            dropped_bytes: 0,
        }
    }

    /// Usable entries of `regions`, minus every non-usable entry and every exclusion,
    /// shrunk to page boundaries.
    pub fn from_map(regions: &[MemoryRegion], exclusions: &[PhysicalRange]) -> Self {
        let mut usable = Self::new();
        for region in regions
            .iter()
            .filter(|region| region.kind == MemoryKind::Usable)
        {
            usable.push(region.range());
        }
        usable.sort_and_merge();
        let holes = regions
            .iter()
            .filter(|region| region.kind != MemoryKind::Usable);
        for hole in holes
            .map(MemoryRegion::range)
            .chain(exclusions.iter().copied())
        {
            usable.subtract(hole);
        }
        usable.shrink_to_pages();
        usable
    }

    /// The ranges, lowest first.
    pub fn as_slice(&self) -> &[PhysicalRange] {
        &self.ranges[..self.length]
    }

    /// Iterates over the ranges, lowest first.
    pub fn iter(&self) -> core::slice::Iter<'_, PhysicalRange> {
        self.as_slice().iter()
    }

    /// Number of ranges.
    pub const fn len(&self) -> usize {
        self.length
    }

    /// Whether there is no usable range.
    pub const fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Sum of the lengths of all ranges.
    pub fn total_bytes(&self) -> u64 {
        self.iter().map(PhysicalRange::len).sum()
    }

    /// Bytes lost because the ranges outnumbered [`USABLE_RANGES_CAPACITY`].
    pub const fn dropped_bytes(&self) -> u64 {
        self.dropped_bytes
    }

    fn push(&mut self, range: PhysicalRange) {
        if range.is_empty() {
            return;
        }
        match self.ranges.get_mut(self.length) {
            Some(slot) => {
                *slot = range;
                self.length += 1;
            }
            None => self.dropped_bytes = self.dropped_bytes.saturating_add(range.len()),
        }
    }

    fn sort_and_merge(&mut self) {
        self.ranges[..self.length].sort_unstable();
        let mut kept = 0;
        for index in 0..self.length {
            let range = self.ranges[index];
            if kept > 0 && self.ranges[kept - 1].end >= range.start {
                let previous = &mut self.ranges[kept - 1];
                previous.end = previous.end.max(range.end);
            } else {
                self.ranges[kept] = range;
                kept += 1;
            }
        }
        self.length = kept;
    }

    fn subtract(&mut self, hole: PhysicalRange) {
        if hole.is_empty() {
            return;
        }
        let before = self.clone();
        self.length = 0;
        for range in before.iter() {
            if range.intersects(&hole) {
                self.push(PhysicalRange::new(range.start, hole.start));
                self.push(PhysicalRange::new(hole.end, range.end));
            } else {
                self.push(*range);
            }
        }
    }

    fn shrink_to_pages(&mut self) {
        let before = self.clone();
        self.length = 0;
        for range in before.iter() {
            self.push(range.shrink_to_alignment(PAGE_SIZE));
        }
        self.sort_and_merge();
    }
}

impl<'a> IntoIterator for &'a UsableRanges {
    type Item = &'a PhysicalRange;
    type IntoIter = core::slice::Iter<'a, PhysicalRange>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
