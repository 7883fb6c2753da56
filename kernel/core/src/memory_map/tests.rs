use super::*;
use crate::address::{PhysicalRange, PAGE_SIZE};

// Parsing.
fn encode(entries: &[(u64, u64, u32)], stride: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    for &(start, length, kind) in entries {
        bytes.extend_from_slice(&start.to_le_bytes());
        bytes.extend_from_slice(&length.to_le_bytes());
        bytes.extend_from_slice(&kind.to_le_bytes());
        bytes.resize(bytes.len() + stride - 20, 0xee);
    }
    bytes
}

const ENTRIES: [(u64, u64, u32); 4] = [
    (0, 0x9fc00, 1),
    (0x100000, 0x7ee0000, 1),
    (0xfeffc000, 0x4000, 2),
    (0, 0, 0),
];

#[test]
fn parses_pvh_and_e820_tables() {
    for (stride, parse) in [
        (
            PVH_ENTRY_SIZE,
            MemoryMap::parse_pvh as fn(&[u8], usize) -> _,
        ),
        (E820_ENTRY_SIZE, MemoryMap::parse_e820),
    ] {
        let map = parse(&encode(&ENTRIES, stride), ENTRIES.len()).unwrap();
        assert_eq!(map.len(), 4);
        assert_eq!(
            map.regions()[1],
            MemoryRegion {
                start: 0x100000,
                length: 0x7ee0000,
                kind: MemoryKind::Usable
            }
        );
        assert_eq!(map.regions()[2].kind, MemoryKind::Reserved);
        assert_eq!(map.regions()[3].kind, MemoryKind::Other(0));
        assert_eq!(map.total_usable_bytes(), 0x9f000 + 0x7ee0000);
    }
}

#[test]
fn truncated_tables_are_errors_for_every_length() {
    let bytes = encode(&ENTRIES, PVH_ENTRY_SIZE);
    for cut in 0..bytes.len() {
        assert_eq!(
            MemoryMap::parse_pvh(&bytes[..cut], 4).unwrap_err(),
            MemoryMapError::Truncated {
                expected_bytes: 96,
                actual_bytes: cut
            }
        );
        let whole_entries = cut / E820_ENTRY_SIZE;
        assert_eq!(
            MemoryMap::parse_e820(&bytes[..cut], whole_entries)
                .unwrap()
                .len(),
            whole_entries
        );
    }
    assert!(MemoryMap::parse_e820(&bytes, usize::MAX).is_err());
}

#[test]
fn too_many_entries_is_an_error() {
    let entries = [(0u64, 0x1000u64, 1u32); MEMORY_MAP_CAPACITY + 1];
    let bytes = encode(&entries, E820_ENTRY_SIZE);
    assert_eq!(
        MemoryMap::parse_e820(&bytes, entries.len()).unwrap_err(),
        MemoryMapError::Full
    );
    assert!(MemoryMap::parse_e820(&bytes, MEMORY_MAP_CAPACITY).is_ok());
}

#[test]
fn kinds_round_trip_through_type_numbers() {
    for number in 0..10 {
        assert_eq!(MemoryKind::from_e820(number).to_e820(), number);
    }
    assert_eq!(MemoryKind::from_e820(4), MemoryKind::AcpiNvs);
}

// Usable ranges.
fn map(entries: &[(u64, u64, u32)]) -> MemoryMap {
    let mut map = MemoryMap::new();
    for &(start, length, kind) in entries {
        let kind = MemoryKind::from_e820(kind);
        map.push(MemoryRegion {
            start,
            length,
            kind,
        })
        .unwrap();
    }
    map
}

fn ranges(map: &MemoryMap, exclusions: &[PhysicalRange]) -> Vec<(u64, u64)> {
    map.usable_ranges(exclusions)
        .iter()
        .map(|range| (range.start, range.end))
        .collect()
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
    assert_eq!(
        ranges(&map, &[]),
        [(0x1000, 0x5000), (0x10_0000, 0x28_0000)]
    );
}

#[test]
fn reserved_regions_win_over_usable_ones() {
    let map = map(&[
        (0, 0x10_0000, 1),
        (0x9_f800, 0x800, 2),
        (0xe_0000, 0x2_0000, 4),
    ]);
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
    let map = map(&[
        (0x1800, 0x1000, 1),
        (0x10_0000, 0xfff, 1),
        (0x20_0001, 0x1ffe, 1),
    ]);
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
    assert_eq!(usable.len(), USABLE_RANGES_CAPACITY);
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
            map.push(MemoryRegion {
                start,
                length,
                kind,
            })
            .unwrap();
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
        assert!(result
            .iter()
            .all(|range| range.start % PAGE_SIZE == 0 && range.end % PAGE_SIZE == 0));
    }
}
