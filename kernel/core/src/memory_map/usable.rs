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
        for region in regions.iter().filter(|region| region.kind == MemoryKind::Usable) {
            usable.push(region.range());
        }
        usable.sort_and_merge();
        let holes = regions.iter().filter(|region| region.kind != MemoryKind::Usable);
        for hole in holes.map(MemoryRegion::range).chain(exclusions.iter().copied()) {
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

#[cfg(test)]
mod tests {
    use super::super::{MemoryKind, MemoryMap, MemoryRegion};
    use crate::address::{PhysicalRange, PAGE_SIZE};

    fn map(entries: &[(u64, u64, u32)]) -> MemoryMap {
        let mut map = MemoryMap::new();
        for &(start, length, kind) in entries {
            let kind = MemoryKind::from_e820(kind);
            map.push(MemoryRegion { start, length, kind }).unwrap();
        }
        map
    }

    fn ranges(map: &MemoryMap, exclusions: &[PhysicalRange]) -> Vec<(u64, u64)> {
        map.usable_ranges(exclusions).iter().map(|range| (range.start, range.end)).collect()
    }

    #[test]
    fn unsorted_overlapping_and_zero_entries_are_cleaned() {
        let map = map(&[
            (0x10_0000, 0x10_0000, 1),
            (0, 0, 0),
            (0x1000, 0x3000, 1),
            (0x18_0000, 0x10_0000, 1), // overlaps the first
            (0x5000, 0, 1),            // empty
            (0x4000, 0x1000, 1),       // adjacent to the second
            (0, 0, 0),
        ]);
        assert_eq!(ranges(&map, &[]), [(0x1000, 0x5000), (0x10_0000, 0x28_0000)]);
    }

    #[test]
    fn reserved_regions_win_over_usable_ones() {
        let map = map(&[(0, 0x10_0000, 1), (0x9_f800, 0x800, 2), (0xe_0000, 0x2_0000, 4)]);
        assert_eq!(ranges(&map, &[]), [(0, 0x9_f000), (0xa_0000, 0xe_0000)]);
        let map = self::map(&[(0x1000, 0x4000, 3), (0, 0x8000, 1), (0x7fff, 1, 5)]);
        assert_eq!(ranges(&map, &[]), [(0, 0x1000), (0x5000, 0x7000)]);
    }

    #[test]
    fn an_exclusion_splits_a_range_in_two() {
        let map = map(&[(0x10_0000, 0x100_0000, 1)]);
        let kernel = PhysicalRange::new(0x20_0800, 0x30_0100);
        let boot_info = PhysicalRange::new(0x10_0000, 0x10_1000);
        assert_eq!(
            ranges(&map, &[kernel, boot_info]),
            [(0x10_1000, 0x20_0000), (0x30_1000, 0x110_0000)]
        );
    }

    #[test]
    fn ranges_smaller_than_a_page_are_dropped() {
        let map = map(&[(0x1800, 0x1000, 1), (0x10_0000, 0xfff, 1), (0x20_0001, 0x1ffe, 1)]);
        assert_eq!(ranges(&map, &[]), []);
        assert_eq!(map.total_usable_bytes(), 0);
        let map = self::map(&[(0x1800, 0x2000, 1)]);
        assert_eq!(ranges(&map, &[]), [(0x2000, 0x3000)]);
    }

    #[test]
    fn the_top_of_the_address_space_does_not_overflow() {
        let map = map(&[(u64::MAX - 0x3fff, u64::MAX, 1)]);
        assert_eq!(ranges(&map, &[]), [(u64::MAX - 0x3fff, u64::MAX - 0xfff)]);
    }

    #[test]
    fn too_many_fragments_are_counted_as_dropped() {
        let map = map(&[(0, 0x1000_0000, 1)]);
        let holes: Vec<_> = (0..200u64)
            .map(|index| PhysicalRange::from_start_length(index * 0x2_0000 + 0x1_0000, 0x1000))
            .collect();
        let usable = map.usable_ranges(&holes);
        assert_eq!(usable.len(), super::USABLE_RANGES_CAPACITY);
        assert!(usable.dropped_bytes() > 0);
        let free_bytes = 0x1000_0000 - 200 * 0x1000;
        assert!(usable.total_bytes() < free_bytes);
        assert!(usable.total_bytes() + usable.dropped_bytes() >= free_bytes);
    }

    /// Compares against a byte-granular model on a 16-page address space.
    #[test]
    fn randomized_maps_match_a_byte_model() {
        const SPACE: usize = 16 * PAGE_SIZE as usize;
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        for _ in 0..300 {
            let mut map = MemoryMap::new();
            let mut exclusions = Vec::new();
            for _ in 0..next(10) {
                let start = next(SPACE as u64 / 256) * 256;
                let length = next(8 * PAGE_SIZE / 256) * 256;
                let kind = MemoryKind::from_e820([1, 1, 1, 2, 3, 4, 5, 9][next(8) as usize]);
                map.push(MemoryRegion { start, length, kind }).unwrap();
            }
            for _ in 0..next(3) {
                let start = next(SPACE as u64 / 256) * 256;
                exclusions.push(PhysicalRange::from_start_length(start, next(4096)));
            }
            let mut usable = vec![false; SPACE];
            let mut hole = vec![false; SPACE];
            for region in map.regions() {
                let end = (region.start + region.length).min(SPACE as u64) as usize;
                for byte in region.start as usize..end {
                    if region.kind == MemoryKind::Usable {
                        usable[byte] = true;
                    } else {
                        hole[byte] = true;
                    }
                }
            }
            for exclusion in &exclusions {
                let end = (exclusion.end as usize).min(SPACE);
                hole[exclusion.start as usize..end].fill(true);
            }
            let result = map.usable_ranges(&exclusions);
            for window in result.as_slice().windows(2) {
                assert!(window[0].end < window[1].start, "sorted, disjoint, merged");
            }
            for page in 0..16 {
                let bytes = page * PAGE_SIZE as usize..(page + 1) * PAGE_SIZE as usize;
                let expected = bytes.clone().all(|byte| usable[byte] && !hole[byte]);
                let address = (page as u64) * PAGE_SIZE;
                let got = result.iter().any(|range| range.contains(address));
                assert_eq!(got, expected, "page {page} of {map:?} minus {exclusions:?}");
            }
            assert!(result.iter().all(|range| range.start % PAGE_SIZE == 0 && range.end % PAGE_SIZE == 0));
        }
    }
}
