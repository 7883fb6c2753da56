//! Physical memory after boot: the frame allocator every part of the kernel shares, and DMA
//! pages for device drivers. RAM is identity-mapped, so a physical address is also the
//! address the kernel uses.

use sauce_core::address::PhysicalRange;
use sauce_core::frame_allocator::FrameAllocator;

static FRAMES: spin::Mutex<FrameAllocator> = spin::Mutex::new(FrameAllocator::empty());

/// Hands the boot-time frame allocator to the shared slot.
pub(crate) fn install(frames: FrameAllocator) {
    *FRAMES.lock() = frames;
}

/// The frames nobody owns yet. Not for interrupt handlers (the lock is not interrupt-safe).
pub fn frames() -> spin::MutexGuard<'static, FrameAllocator> {
    FRAMES.lock()
}

/// `count` zeroed, contiguous, page-aligned pages for device DMA; `None` when memory is out.
pub fn allocate_dma_pages(count: usize) -> Option<PhysicalRange> {
    let range = frames().allocate(count as u64, 4096)?;
    // SAFETY: the range was just taken from the frame allocator, so nothing else refers to it;
    // it is RAM, identity-mapped read-write, `count` pages long.
    unsafe { core::ptr::write_bytes(range.start as *mut u8, 0, range.len() as usize) };
    Some(range)
}

/// Returns DMA pages taken with [`allocate_dma_pages`].
pub fn free_dma_pages(range: PhysicalRange) {
    let _ = frames().deallocate(range);
}
