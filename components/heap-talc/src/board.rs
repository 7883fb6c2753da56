//! The heap-talc component's contract with the board: the heap takes a boot region, registers
//! its fault report, and later grows into the RAM the drivers left.
#[cfg(target_os = "none")]
use sauce_core::memory::HeapMonitor;
#[cfg(target_os = "none")]
use sauce_runtime::Platform;

#[cfg(target_os = "none")]
use crate::TalcHeap;

/// `[config.*]` of component.toml: the generated board fills every field from the
/// manifest's defaults (the only place they are written).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Configuration {
    /// Heap taken at boot, before the drivers have their DMA pages.
    pub boot_bytes: usize,
    /// RAM left to the frame allocator when the heap grows into the rest.
    pub frame_reserve: u64,
}

impl Configuration {
    /// component.toml's defaults.
    pub const DEFAULT: Configuration = Configuration {
        boot_bytes: 768 * 1024,
        frame_reserve: 64 * 1024,
    };
}

#[cfg(target_os = "none")]
/// The heap whose report a fault prints.
static REPORTED: spin::Once<&'static TalcHeap> = spin::Once::new();

#[cfg(target_os = "none")]
fn report() {
    if let Some(heap) = REPORTED.get() {
        heap.fault_report(sauce_runtime::panic::fault_line);
    }
}

#[cfg(target_os = "none")]
/// Gives `heap` its boot region and registers its fault report; provides `heap`.
pub fn init(
    heap: &'static TalcHeap,
    platform: &mut Platform,
    configuration: Configuration,
) -> &'static dyn HeapMonitor {
    heap.init(platform.take_heap_region(configuration.boot_bytes));
    REPORTED.call_once(|| heap);
    sauce_runtime::panic::on_fault(report);
    heap
}

#[cfg(target_os = "none")]
/// Grows `heap` into the RAM left once the drivers have their DMA pages.
pub fn grow(heap: &'static TalcHeap, platform: &mut Platform, configuration: Configuration) {
    if let Some(region) = platform.take_remaining_memory(configuration.frame_reserve) {
        heap.grow(region);
    }
}
