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
        (
            &raw const sauce_double_fault_stack_guard as u64,
            "double-fault",
        ),
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

fn permissions_for_small_page(
    address: u64,
    layout: &ImageLayout,
    guards: &[(u64, &str); 4],
) -> Option<Permissions> {
    if address == 0 || guards.iter().any(|(guard, _)| *guard == address) {
        return None;
    }
    Some(
        if (LEGACY_DEVICE_START..0x10_0000).contains(&address) && address < layout.start {
            Permissions::Mmio
        } else if (layout.start..layout.rodata).contains(&address) {
            Permissions::Text
        } else if (layout.rodata..layout.data).contains(&address) {
            Permissions::ReadOnly
        } else {
            Permissions::ReadWrite
        },
    )
}

/// The permissions of a 2 MiB chunk of the image that lies wholly inside its text or its
/// read-only data (guard pages and the legacy device area are elsewhere): one large page
/// maps it. `None` when permissions change inside the chunk.
fn uniform_permissions(chunk: u64, layout: &ImageLayout) -> Option<Permissions> {
    let end = chunk + LARGE_PAGE;
    if chunk >= layout.rodata && end <= layout.data {
        Some(Permissions::ReadOnly)
    } else if chunk >= layout.start.max(LARGE_PAGE) && end <= layout.rodata {
        Some(Permissions::Text)
    } else {
        None
    }
}

/// Builds the kernel's tables and loads them.
///
/// `ram` lists the RAM ranges the VMM reported (any order); each is mapped read-write with
/// 2 MiB pages, as is the whole device window uncached; the 2 MiB chunks holding the image get
/// 4 KiB pages with per-section permissions. RAM the 16-page pool cannot cover is left out and
/// `mapped_ram_end` says where mapping stopped.
pub fn initialise(ram: &[(u64, u64)]) -> MappingSummary {
    let layout = image_layout();
    let guards = guard_pages();
    let mut pool = TablePool { used: 0 };
    let level4 = pool.take().expect("page-table pool holds the top table");
    let level3 = pool.take().expect("page-table pool holds a level-3 table");
    level4[0] = entry(&raw const *level3 as u64, TABLE);
    let mut directories: [Option<&'static mut [u64; 512]>; 512] = [const { None }; 512];
    let mut mapped_ram_end = u64::MAX;

    // The image's chunks: 4 KiB pages where permissions change within a chunk, one 2 MiB
    // page for a chunk wholly inside one section (the read-only data of large embedded files).
    let small_page_end = layout.end.next_multiple_of(LARGE_PAGE);
    let mut chunk = 0;
    while chunk < small_page_end {
        if let Some(permissions) = uniform_permissions(chunk, &layout) {
            let Some(directory) = directory_for(chunk, level3, &mut directories, &mut pool) else {
                panic!("page-table pool too small for the image");
            };
            directory[((chunk / LARGE_PAGE) % 512) as usize] =
                entry(chunk, permissions.flags().union(PageFlags::HUGE));
            chunk += LARGE_PAGE;
            continue;
        }
        let (Some(directory), Some(level1)) = (
            directory_for(chunk, level3, &mut directories, &mut pool),
            pool.take(),
        ) else {
            panic!("page-table pool too small for the image");
        };
        for (index, slot) in level1.iter_mut().enumerate() {
            let page = chunk + index as u64 * PAGE;
            if let Some(permissions) = permissions_for_small_page(page, &layout, &guards) {
                *slot = entry_for(page, permissions);
            }
        }
        directory[((chunk / LARGE_PAGE) % 512) as usize] = entry(&raw const *level1 as u64, TABLE);
        chunk += LARGE_PAGE;
    }

    // RAM, then the device window, with 2 MiB pages; chunks already mapped stay as they are.
    let device_window = [(DEVICE_WINDOW_START, DEVICE_WINDOW_END - DEVICE_WINDOW_START)];
    let areas = ram
        .iter()
        .map(|area| (area, Permissions::ReadWrite))
        .chain(device_window.iter().map(|area| (area, Permissions::Mmio)));
    for (&(start, length), permissions) in areas {
        let mut address = start - start % LARGE_PAGE;
        let end = start.saturating_add(length);
        while address < end {
            let Some(directory) = directory_for(address, level3, &mut directories, &mut pool)
            else {
                mapped_ram_end = mapped_ram_end.min(address);
                break;
            };
            let slot = &mut directory[((address / LARGE_PAGE) % 512) as usize];
            if *slot == 0 {
                *slot = entry(address, permissions.flags().union(PageFlags::HUGE));
            }
            address += LARGE_PAGE;
        }
    }
    let root = &raw const *level4 as u64;
    // SAFETY: the new tables identity-map everything the kernel uses: its image with the same
    // addresses (text executable), its stacks, RAM and the device window; loading them changes
    // no address the running code depends on.
    unsafe {
        core::arch::asm!("mov cr3, {}", in(reg) root, options(nostack, preserves_flags));
    }
    MappingSummary {
        table_pages: pool.used,
        mapped_ram_end,
    }
}

/// The level-2 table for `address`'s gibibyte, created on first use; `None` when the pool is
/// empty or the address lies beyond 512 GiB.
fn directory_for<'a>(
    address: u64,
    level3: &mut [u64; 512],
    directories: &'a mut [Option<&'static mut [u64; 512]>; 512],
    pool: &mut TablePool,
) -> Option<&'a mut [u64; 512]> {
    let index = usize::try_from(address / GIBIBYTE)
        .ok()
        .filter(|index| *index < 512)?;
    if directories[index].is_none() {
        let directory = pool.take()?;
        level3[index] = entry(&raw const *directory as u64, TABLE);
        directories[index] = Some(directory);
    }
    directories[index].as_deref_mut()
}
