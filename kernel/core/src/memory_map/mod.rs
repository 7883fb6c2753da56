//! The firmware memory map, parsed from PVH or Linux e820 tables without allocating.
//!
//! [`MemoryMap`] keeps the entries as the firmware gave them (unsorted, possibly overlapping,
//! possibly empty); [`MemoryMap::usable_ranges`] turns them into clean, page-aligned RAM.

#[cfg(test)]
mod tests;
mod usable;

pub use usable::{UsableRanges, USABLE_RANGES_CAPACITY};

use crate::address::PhysicalRange;

/// Most entries a [`MemoryMap`] holds.
pub const MEMORY_MAP_CAPACITY: usize = 64;

/// Size of one PVH `hvm_memmap_table_entry`: `{u64 addr, u64 size, u32 type, u32 reserved}`.
pub const PVH_ENTRY_SIZE: usize = 24;

/// Size of one packed Linux `boot_e820_entry`: `{u64 addr, u64 size, u32 type}`.
pub const E820_ENTRY_SIZE: usize = 20;

/// What a region of physical memory may be used for, from its e820 type number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemoryKind {
    /// Type 1: RAM free for the kernel.
    Usable,
    /// Type 2: reserved by the firmware or a device.
    Reserved,
    /// Type 3: ACPI tables, reusable once they have been read.
    AcpiReclaimable,
    /// Type 4: ACPI non-volatile storage, never to be touched.
    AcpiNvs,
    /// Type 5: memory reported faulty.
    Unusable,
    /// Any other type number, treated as reserved.
    Other(u32),
}

impl MemoryKind {
    /// The kind for an e820 (and PVH) type number.
    pub const fn from_e820(type_number: u32) -> Self {
        match type_number {
            1 => Self::Usable,
            2 => Self::Reserved,
            3 => Self::AcpiReclaimable,
            4 => Self::AcpiNvs,
            5 => Self::Unusable,
            other => Self::Other(other),
        }
    }

    /// The e820 type number of this kind.
    pub const fn to_e820(self) -> u32 {
        match self {
            Self::Usable => 1,
            Self::Reserved => 2,
            Self::AcpiReclaimable => 3,
            Self::AcpiNvs => 4,
            Self::Unusable => 5,
            Self::Other(other) => other,
        }
    }
}

/// One entry of the memory map: `length` bytes from `start`, of one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemoryRegion {
    /// First byte of the region.
    pub start: u64,
    /// Number of bytes; may be zero.
    pub length: u64,
    /// What the region may be used for.
    pub kind: MemoryKind,
}

impl MemoryRegion {
    /// The region's bytes as a half-open range, cut at the top of the address space.
    pub const fn range(&self) -> PhysicalRange {
        PhysicalRange::from_start_length(self.start, self.length)
    }
}

/// Why a memory map could not be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryMapError {
    /// The map already holds [`MEMORY_MAP_CAPACITY`] entries.
    Full,
    /// The table is shorter than its entry count says.
    Truncated {
        /// Bytes the entry count needs.
        expected_bytes: usize,
        /// Bytes actually given.
        actual_bytes: usize,
    },
}

impl core::fmt::Display for MemoryMapError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Full => write!(formatter, "memory map has more than {MEMORY_MAP_CAPACITY} entries"),
            Self::Truncated { expected_bytes, actual_bytes } => write!(
                formatter,
                "memory map table truncated: {actual_bytes} bytes where {expected_bytes} were expected"
            ),
        }
    }
}

/// A fixed-capacity memory map, in the firmware's order.
#[derive(Clone, Debug)]
pub struct MemoryMap {
    regions: [MemoryRegion; MEMORY_MAP_CAPACITY],
    length: usize,
}

impl Default for MemoryMap {
    fn default() -> Self {
        Self::new()
    }
}

const EMPTY_REGION: MemoryRegion = MemoryRegion {
    start: 0,
    length: 0,
    kind: MemoryKind::Reserved,
};

impl MemoryMap {
    /// An empty map.
    pub const fn new() -> Self {
        Self {
            regions: [EMPTY_REGION; MEMORY_MAP_CAPACITY],
            length: 0,
        }
    }

    /// Appends an entry.
    pub fn push(&mut self, region: MemoryRegion) -> Result<(), MemoryMapError> {
        let slot = self
            .regions
            .get_mut(self.length)
            .ok_or(MemoryMapError::Full)?;
        *slot = region;
        self.length += 1;
        Ok(())
    }

    /// The entries, in the order they were pushed.
    pub fn regions(&self) -> &[MemoryRegion] {
        &self.regions[..self.length]
    }

    /// Number of entries.
    pub const fn len(&self) -> usize {
        self.length
    }

    /// Whether the map holds no entry.
    pub const fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Parses `entry_count` PVH entries (24 bytes each, little-endian) from `bytes`.
    pub fn parse_pvh(bytes: &[u8], entry_count: usize) -> Result<Self, MemoryMapError> {
        Self::parse_table(bytes, entry_count, PVH_ENTRY_SIZE)
    }

    /// Parses `entry_count` packed e820 entries (20 bytes each, little-endian) from `bytes`.
    pub fn parse_e820(bytes: &[u8], entry_count: usize) -> Result<Self, MemoryMapError> {
        Self::parse_table(bytes, entry_count, E820_ENTRY_SIZE)
    }

    /// Both tables start with `{u64 addr, u64 size, u32 type}`; only the stride differs.
    fn parse_table(
        bytes: &[u8],
        entry_count: usize,
        stride: usize,
    ) -> Result<Self, MemoryMapError> {
        let expected_bytes = entry_count.saturating_mul(stride);
        let table = bytes
            .get(..expected_bytes)
            .ok_or(MemoryMapError::Truncated {
                expected_bytes,
                actual_bytes: bytes.len(),
            })?;
        let mut map = Self::new();
        for entry in table.chunks_exact(stride) {
            map.push(MemoryRegion {
                start: read_u64(entry, 0),
                length: read_u64(entry, 8),
                kind: MemoryKind::from_e820(read_u32(entry, 16)),
            })?;
        }
        Ok(map)
    }

    /// Page-aligned usable RAM: usable entries minus every other entry and every exclusion.
    pub fn usable_ranges(&self, exclusions: &[PhysicalRange]) -> UsableRanges {
        UsableRanges::from_map(self.regions(), exclusions)
    }

    /// Bytes of page-aligned usable RAM, before any exclusion.
    pub fn total_usable_bytes(&self) -> u64 {
        self.usable_ranges(&[]).total_bytes()
    }
}

/// Reads a little-endian `u64`; the caller's chunk is long enough by construction.
fn read_u64(entry: &[u8], offset: usize) -> u64 {
    let mut buffer = [0u8; 8];
    if let Some(field) = entry.get(offset..offset + 8) {
        buffer.copy_from_slice(field);
    }
    u64::from_le_bytes(buffer)
}

/// Reads a little-endian `u32`; the caller's chunk is long enough by construction.
fn read_u32(entry: &[u8], offset: usize) -> u32 {
    let mut buffer = [0u8; 4];
    if let Some(field) = entry.get(offset..offset + 4) {
        buffer.copy_from_slice(field);
    }
    u32::from_le_bytes(buffer)
}
