//! x86-64 four-level paging: table indices, entry encoding and W^X section permissions.

use crate::address::{VirtualAddress, PAGE_SIZE};

/// Size of a huge page mapped by a level-2 entry: 2 MiB.
pub const HUGE_PAGE_SIZE: u64 = 2 << 20;

/// Bits of a page-table entry that hold the physical address.
pub const ENTRY_ADDRESS_MASK: u64 = 0x000f_ffff_ffff_f000;

/// Entries in one page table.
pub const ENTRIES_PER_TABLE: usize = 512;

bitflags::bitflags! {
    /// Flag bits of a page-table entry.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct PageFlags: u64 {
        /// The entry maps something.
        const PRESENT = 1;
        /// Writes are allowed.
        const WRITABLE = 1 << 1;
        /// Ring 3 may access the page.
        const USER = 1 << 2;
        /// Writes go straight to memory.
        const WRITE_THROUGH = 1 << 3;
        /// The page is not cached (device registers).
        const CACHE_DISABLE = 1 << 4;
        /// A level-3 or level-2 entry maps a 1 GiB or 2 MiB page.
        const HUGE = 1 << 7;
        /// The mapping survives address-space switches.
        const GLOBAL = 1 << 8;
        /// Instructions may not be fetched from the page.
        const NO_EXECUTE = 1 << 63;
    }
}

/// The four table indices and the page offset of a virtual address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PageTableIndices {
    /// Index in the level-4 table (PML4), bits 39..48.
    pub level4: u16,
    /// Index in the level-3 table (PDPT), bits 30..39.
    pub level3: u16,
    /// Index in the level-2 table (page directory), bits 21..30.
    pub level2: u16,
    /// Index in the level-1 table (page table), bits 12..21.
    pub level1: u16,
    /// Offset within the 4 KiB page, bits 0..12.
    pub offset: u16,
}

impl PageTableIndices {
    /// Splits `address` into its table indices and page offset.
    pub const fn new(address: VirtualAddress) -> Self {
        let raw = address.as_u64();
        Self {
            level4: ((raw >> 39) & 0x1ff) as u16,
            level3: ((raw >> 30) & 0x1ff) as u16,
            level2: ((raw >> 21) & 0x1ff) as u16,
            level1: ((raw >> 12) & 0x1ff) as u16,
            offset: (raw & 0xfff) as u16,
        }
    }
}

impl From<VirtualAddress> for PageTableIndices {
    fn from(address: VirtualAddress) -> Self {
        Self::new(address)
    }
}

/// Number of 4 KiB pages needed to hold `bytes`.
pub const fn page_count(bytes: u64) -> u64 {
    bytes / PAGE_SIZE + !bytes.is_multiple_of(PAGE_SIZE) as u64
}

/// Number of 2 MiB pages needed to hold `bytes`.
pub const fn huge_page_count(bytes: u64) -> u64 {
    bytes / HUGE_PAGE_SIZE + !bytes.is_multiple_of(HUGE_PAGE_SIZE) as u64
}

/// Whether `address` may start a 2 MiB page.
pub const fn is_2mib_aligned(address: u64) -> bool {
    address.is_multiple_of(HUGE_PAGE_SIZE)
}

/// A page-table entry pointing at `physical` (its low 12 and high 12 bits are dropped).
pub const fn entry(physical: u64, flags: PageFlags) -> u64 {
    (physical & ENTRY_ADDRESS_MASK) | flags.bits()
}

/// The physical address an entry points at.
pub const fn entry_address(entry: u64) -> u64 {
    entry & ENTRY_ADDRESS_MASK
}

/// The known flags of an entry (unknown bits, such as the address, are dropped).
pub const fn entry_flags(entry: u64) -> PageFlags {
    PageFlags::from_bits_truncate(entry)
}

/// How a section of the kernel image (or a device window) may be accessed; never both
/// writable and executable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SectionPermissions {
    /// Code: readable and executable, never writable.
    Text,
    /// Constants: readable only.
    ReadOnly,
    /// Data, stacks and heap: readable and writable, never executable.
    ReadWrite,
    /// Device registers: readable, writable, uncached, never executable.
    Mmio,
}

impl SectionPermissions {
    /// The entry flags granting exactly these permissions.
    pub const fn flags(self) -> PageFlags {
        match self {
            Self::Text => PageFlags::PRESENT,
            Self::ReadOnly => PageFlags::PRESENT.union(PageFlags::NO_EXECUTE),
            Self::ReadWrite => PageFlags::PRESENT
                .union(PageFlags::WRITABLE)
                .union(PageFlags::NO_EXECUTE),
            Self::Mmio => PageFlags::PRESENT
                .union(PageFlags::WRITABLE)
                .union(PageFlags::NO_EXECUTE)
                .union(PageFlags::CACHE_DISABLE)
                .union(PageFlags::WRITE_THROUGH),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_addresses_into_indices() {
        let indices = PageTableIndices::new(VirtualAddress(0xffff_8000_0020_1abc));
        assert_eq!(
            indices,
            PageTableIndices {
                level4: 256,
                level3: 0,
                level2: 1,
                level1: 1,
                offset: 0xabc
            }
        );
        let indices = PageTableIndices::from(VirtualAddress(0x0000_7fff_ffff_ffff));
        assert_eq!(
            (
                indices.level4,
                indices.level3,
                indices.level2,
                indices.level1
            ),
            (255, 511, 511, 511)
        );
        assert_eq!(indices.offset, 0xfff);
        assert_eq!(PageTableIndices::new(VirtualAddress(0)).level4, 0);
    }

    #[test]
    fn counts_pages() {
        assert_eq!(page_count(0), 0);
        assert_eq!(page_count(1), 1);
        assert_eq!(page_count(4096), 1);
        assert_eq!(page_count(4097), 2);
        assert_eq!(page_count(u64::MAX), u64::MAX / 4096 + 1);
        assert_eq!(huge_page_count(HUGE_PAGE_SIZE + 1), 2);
        assert!(is_2mib_aligned(0x40_0000) && !is_2mib_aligned(0x40_1000));
    }

    #[test]
    fn encodes_and_decodes_entries() {
        let value = entry(0x1234_5678_9000, PageFlags::PRESENT | PageFlags::WRITABLE);
        assert_eq!(value, 0x1234_5678_9003);
        assert_eq!(entry_address(value), 0x1234_5678_9000);
        assert_eq!(entry_flags(value), PageFlags::PRESENT | PageFlags::WRITABLE);
        let value = entry(
            0xffff_0000_0000_0fff,
            PageFlags::NO_EXECUTE | PageFlags::PRESENT,
        );
        assert_eq!(entry_address(value), 0x000f_0000_0000_0000);
        assert_eq!(
            entry_flags(value),
            PageFlags::NO_EXECUTE | PageFlags::PRESENT
        );
        assert_eq!(PageFlags::NO_EXECUTE.bits(), 1 << 63);
        assert_eq!(PageFlags::HUGE.bits() | PageFlags::GLOBAL.bits(), 0x180);
    }

    #[test]
    fn section_permissions_are_write_xor_execute() {
        for permissions in [
            SectionPermissions::Text,
            SectionPermissions::ReadOnly,
            SectionPermissions::ReadWrite,
            SectionPermissions::Mmio,
        ] {
            let flags = permissions.flags();
            assert!(flags.contains(PageFlags::PRESENT));
            assert!(!flags.contains(PageFlags::USER));
            let writable = flags.contains(PageFlags::WRITABLE);
            let executable = !flags.contains(PageFlags::NO_EXECUTE);
            assert!(!(writable && executable), "{permissions:?} is W+X");
        }
        assert!(!SectionPermissions::Text
            .flags()
            .contains(PageFlags::NO_EXECUTE));
        assert_eq!(
            SectionPermissions::ReadOnly.flags(),
            PageFlags::PRESENT | PageFlags::NO_EXECUTE
        );
        assert_eq!(SectionPermissions::Mmio.flags().bits(), (1 << 63) | 0x1b);
    }
}
