//! The kernel's page tables: identity mapping with W^X for the image, guard pages under every
//! stack, RAM read-write no-execute, and the 3–4 GiB device window uncached.
//!
//! Tables come from a 16-page pool in `.bss` (stacks.s), so building them needs no allocator
//! and touches no RAM outside the image. The first 2 MiB chunks that hold the image use 4 KiB
//! pages (permissions per section); everything else uses 2 MiB pages.

use sauce_core::paging::{entry, PageFlags, SectionPermissions as Permissions};

/// Flags of an entry that points at the next-level table (permissions are set at the leaves).
const TABLE: PageFlags = PageFlags::PRESENT.union(PageFlags::WRITABLE);

fn entry_for(address: u64, permissions: Permissions) -> u64 {
    entry(address, permissions.flags())
}

extern "C" {
    static __sauce_image_start: u8;
    static __sauce_rodata_start: u8;
    static __sauce_data_start: u8;
    static __sauce_image_end: u8;
    static sauce_boot_stack_guard: u8;
    static sauce_double_fault_stack_guard: u8;
    static sauce_nmi_stack_guard: u8;
    static sauce_page_fault_stack_guard: u8;
    static sauce_page_table_pool: u8;
}

const PAGE: u64 = 4096;
const LARGE_PAGE: u64 = 2 << 20;
const GIBIBYTE: u64 = 1 << 30;
const POOL_PAGES: usize = 16;
/// Start of the device window below 4 GiB (virtio-mmio, IOAPIC, LAPIC, PCI BARs).
pub const DEVICE_WINDOW_START: u64 = 3 * GIBIBYTE;
/// End of the device window.
pub const DEVICE_WINDOW_END: u64 = 4 * GIBIBYTE;
/// Legacy video memory and BIOS area, mapped uncached.
const LEGACY_DEVICE_START: u64 = 0xA_0000;

/// Where the image's sections lie.
#[derive(Clone, Copy, Debug)]
pub struct ImageLayout {
    /// First byte of the image (and of its text).
    pub start: u64,
    /// First byte of read-only data.
    pub rodata: u64,
    /// First byte of read-write data (then .bss).
    pub data: u64,
    /// First byte after the image, page aligned.
    pub end: u64,
}

/// The image layout from the linker script's symbols.
pub fn image_layout() -> ImageLayout {
    ImageLayout {
        start: &raw const __sauce_image_start as u64,
        rodata: &raw const __sauce_rodata_start as u64,
        data: &raw const __sauce_data_start as u64,
        end: (&raw const __sauce_image_end as u64).next_multiple_of(PAGE),
    }
}

/// Every unmapped guard page and the stack it protects.
pub fn guard_pages() -> [(u64, &'static str); 4] {
    [
        (&raw const sauce_boot_stack_guard as u64, "kernel"),
        (&raw const sauce_double_fault_stack_guard as u64, "double-fault"),
        (&raw const sauce_nmi_stack_guard as u64, "NMI"),
        (&raw const sauce_page_fault_stack_guard as u64, "page-fault"),
    ]
}

/// What [`initialise`] mapped.
#[derive(Clone, Copy, Debug)]
pub struct MappingSummary {
    /// Table pages used from the pool.
    pub table_pages: usize,
    /// End of the RAM identity-mapped (exclusive).
    pub mapped_ram_end: u64,
}

/// Hands out zeroed 4 KiB table pages from the pool.
struct TablePool {
    used: usize,
}

impl TablePool {
    fn take(&mut self) -> Option<&'static mut [u64; 512]> {
        if self.used == POOL_PAGES {
            return None;
        }
        let address = &raw const sauce_page_table_pool as u64 + self.used as u64 * PAGE;
        self.used += 1;
        // SAFETY: the pool is 16 page-aligned pages of .bss reserved for page tables, mapped by
        // the boot tables; each page is handed out once (`used` only grows), `initialise` runs
        // once on the boot CPU, so this is the only reference to the page.
        let table = unsafe { &mut *(address as *mut [u64; 512]) };
        table.fill(0);
        Some(table)
    }
}

fn permissions_for_small_page(address: u64, layout: &ImageLayout) -> Option<Permissions> {
    if address == 0 || guard_pages().iter().any(|(guard, _)| *guard == address) {
        return None;
    }
    Some(if (LEGACY_DEVICE_START..layout.start).contains(&address) && address < 0x10_0000 {
        Permissions::Mmio
    } else if (layout.start..layout.rodata).contains(&address) {
        Permissions::Text
    } else if (layout.rodata..layout.data).contains(&address) {
        Permissions::ReadOnly
    } else {
        Permissions::ReadWrite
    })
}

fn permissions_for_large_page(address: u64, is_ram: &dyn Fn(u64, u64) -> bool) -> Option<Permissions> {
    if is_ram(address, address + LARGE_PAGE) {
        Some(Permissions::ReadWrite)
    } else if (DEVICE_WINDOW_START..DEVICE_WINDOW_END).contains(&address) {
        Some(Permissions::Mmio)
    } else {
        None
    }
}

/// Builds the kernel's tables and loads them. `is_ram(start, end)` says whether any RAM lies in
/// a range; `ram_end` is the end of the highest RAM region.
pub fn initialise(ram_end: u64, is_ram: &dyn Fn(u64, u64) -> bool) -> MappingSummary {
    let layout = image_layout();
    let mut pool = TablePool { used: 0 };
    let level4 = pool.take().expect("page-table pool holds the top table");
    let level3 = pool.take().expect("page-table pool holds a level-3 table");
    level4[0] = entry(&raw const *level3 as u64, TABLE);
    let small_page_end = layout.end.next_multiple_of(LARGE_PAGE);
    let top = ram_end.max(DEVICE_WINDOW_END).next_multiple_of(GIBIBYTE).min(512 * GIBIBYTE);
    let mut mapped_ram_end = 0;
    'gibibytes: for gibibyte in 0..(top / GIBIBYTE) {
        let base = gibibyte * GIBIBYTE;
        if base >= DEVICE_WINDOW_END.max(ram_end.next_multiple_of(GIBIBYTE)) {
            break;
        }
        let Some(level2) = pool.take() else { break 'gibibytes };
        level3[gibibyte as usize] = entry(&raw const *level2 as u64, TABLE);
        for (index, slot) in level2.iter_mut().enumerate() {
            let address = base + index as u64 * LARGE_PAGE;
            if address < small_page_end {
                let Some(level1) = pool.take() else { break 'gibibytes };
                for (page_index, page_slot) in level1.iter_mut().enumerate() {
                    let page = address + page_index as u64 * PAGE;
                    if let Some(permissions) = permissions_for_small_page(page, &layout) {
                        *page_slot = entry_for(page, permissions);
                    }
                }
                *slot = entry(&raw const *level1 as u64, TABLE);
            } else if let Some(permissions) = permissions_for_large_page(address, is_ram) {
                *slot = entry(address, permissions.flags().union(PageFlags::HUGE));
            }
            if address < ram_end {
                mapped_ram_end = (address + LARGE_PAGE).min(ram_end);
            }
        }
    }
    let root = &raw const *level4 as u64;
    // SAFETY: the new tables identity-map everything the kernel uses: its image with the same
    // addresses (text executable), its stacks, RAM and the device window; loading them changes
    // no address the running code depends on.
    unsafe {
        core::arch::asm!("mov cr3, {}", in(reg) root, options(nostack, preserves_flags));
    }
    MappingSummary { table_pages: pool.used, mapped_ram_end }
}
