//! What the virtio components share: the `virtio-drivers` crate and [`KernelHal`], which gives
//! it DMA memory from the kernel's frame allocator.
//!
//! # Map
//! - `transport`: [`VirtioTransport`], the `virtio-transport` contract: a device's transport
//!   and how to route its interrupt once its driver has set it up.
//! - `in_order_status`: [`InOrderStatus`], the transport wrapper that sets status bits in order.
//! - `hal` (images only): [`KernelHal`], DMA pages and device windows for `virtio-drivers`.
//!
//! # Rules
//! 1. RAM and the 3–4 GiB device window are identity-mapped, so a buffer's address is the
//!    address the device uses; sharing a buffer costs nothing and copies nothing.
//! 2. DMA pages are zeroed, page-aligned and owned by the driver until it frees them.
//! 3. Drivers wrap their transport in [`InOrderStatus`]: device status bits are set one step
//!    at a time, as Firecracker requires.
//! 4. Device windows outside the mapped device window are refused with a panic naming the
//!    address (a PCI BAR placed above 4 GiB would need a mapping the kernel does not make yet).
#![no_std]

extern crate alloc;

pub use virtio_drivers;

mod transport;
pub use transport::VirtioTransport;

mod in_order_status;
pub use in_order_status::InOrderStatus;

#[cfg(target_os = "none")]
mod hal;
#[cfg(target_os = "none")]
pub use hal::KernelHal;
