//! [`KernelHal`]: virtio-drivers' hardware abstraction over the kernel's identity mapping.

use core::ptr::NonNull;
use sauce_runtime::arch::paging::{DEVICE_WINDOW_END, DEVICE_WINDOW_START};
use sauce_runtime::memory::{allocate_dma_pages, free_dma_pages};
use sauce_runtime::sauce_core::address::PhysicalRange;
use virtio_drivers::{BufferDirection, Hal, PhysAddr, PAGE_SIZE};

/// The kernel's DMA and MMIO glue for virtio-drivers.
#[derive(Debug)]
pub struct KernelHal;

// SAFETY: `dma_alloc` returns zeroed, page-aligned pages taken from the frame allocator, which
// hands each frame out once, so they alias nothing; with the identity mapping, their physical
// address is also their virtual address. `mmio_phys_to_virt` only returns addresses inside the
// device window, which the kernel maps uncached and uses for nothing else but device
// registers. `share` returns the buffer's own address, valid for the device because RAM is
// identity-mapped and not encrypted.
unsafe impl Hal for KernelHal {
    fn dma_alloc(pages: usize, _direction: BufferDirection) -> (PhysAddr, NonNull<u8>) {
        let range = allocate_dma_pages(pages).unwrap_or_else(|| {
            panic!("out of memory: virtio needs {pages} DMA pages; give the VM more memory")
        });
        let pointer = NonNull::new(range.start as *mut u8).expect("frame zero is never handed out");
        (range.start, pointer)
    }

    unsafe fn dma_dealloc(physical: PhysAddr, _virtual: NonNull<u8>, pages: usize) -> i32 {
        free_dma_pages(PhysicalRange::from_start_length(
            physical,
            (pages * PAGE_SIZE) as u64,
        ));
        0
    }

    unsafe fn mmio_phys_to_virt(physical: PhysAddr, size: usize) -> NonNull<u8> {
        let end = physical.saturating_add(size as u64);
        assert!(
            physical >= DEVICE_WINDOW_START && end <= DEVICE_WINDOW_END,
            "device window {physical:#x}..{end:#x} lies outside the mapped 3–4 GiB window"
        );
        NonNull::new(physical as *mut u8).expect("the device window does not start at zero")
    }

    unsafe fn share(buffer: NonNull<[u8]>, _direction: BufferDirection) -> PhysAddr {
        buffer.cast::<u8>().as_ptr() as u64
    }

    unsafe fn unshare(_physical: PhysAddr, _buffer: NonNull<[u8]>, _direction: BufferDirection) {}
}
