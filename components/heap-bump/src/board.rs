//! The heap-bump component's contract with the board: the heap takes a boot region, then moves
//! on to the RAM the drivers left.
#[cfg(target_os = "none")]
use sauce_core::memory::HeapMonitor;
#[cfg(target_os = "none")]
use sauce_runtime::Platform;

#[cfg(target_os = "none")]
use crate::BumpHeap;

/// `[config.*]` of component.toml: the generated board fills every field from the
/// manifest's defaults (the only place they are written).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Configuration {
    /// Heap taken at boot, before the drivers have their DMA pages.
    pub boot_bytes: usize,
    /// RAM left to the frame allocator when the heap moves on to the rest.
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
/// Gives `heap` its boot region; provides `heap`.
pub fn init(
    heap: &'static BumpHeap,
    platform: &mut Platform,
    configuration: Configuration,
) -> &'static dyn HeapMonitor {
    heap.init(platform.take_heap_region(configuration.boot_bytes));
    heap
}

#[cfg(target_os = "none")]
/// Moves `heap` on to the RAM left once the drivers have their DMA pages.
pub fn grow(heap: &'static BumpHeap, platform: &mut Platform, configuration: Configuration) {
    if let Some(region) = platform.take_remaining_memory(configuration.frame_reserve) {
        heap.grow(region);
    }
}
