//! The virtio-mmio transport: devices named by `virtio_mmio.device=<size>@<base>:<irq>` on the
//! kernel command line (Firecracker's `4K@0xc0001000:5` and QEMU microvm's
//! `512@0xfeb00e00:12` forms), version 1 (legacy, QEMU's default) and 2 (modern, Firecracker).
//!
//! # Map
//! - `board` (images only): the component's contract: the network device's transport.
//! - `discovery` (images only): parsing the command line's devices, probing each window, the
//!   transport and its interrupt.
//!
//! # Rules
//! 1. Every command-line entry is probed; an empty slot (device ID 0) is skipped silently, a
//!    device this kernel has no driver for is reported on the log and skipped, never a fault.
//! 2. A window outside the mapped device window is reported and skipped.
//! 3. An interrupt handler acknowledges this transport's interrupts with
//!    [`acknowledge_interrupt`] alone: it reads and writes two registers and touches nothing
//!    the driver holds.
#![no_std]

extern crate alloc;

#[cfg(target_os = "none")]
pub mod board;
#[cfg(target_os = "none")]
mod discovery;
#[cfg(target_os = "none")]
pub use discovery::{
    acknowledge_interrupt, discover, enable_interrupt, MmioDevice, INTERRUPT_VECTOR,
};
