//! The virtio-pci transport (modern, virtio 1.x): devices found by enumerating PCI bus 0
//! through the configuration ports, BARs as the firmware assigned them, interrupts by MSI-X.
//!
//! # Rules
//! 1. Every function on bus 0 is looked at once; a virtio device without a driver here, or one
//!    whose transport cannot be set up, is reported on the log and skipped, never a fault.
//! 2. Interrupts: [`enable_interrupt`] points one MSI-X table entry at the boot processor and
//!    every queue the driver enabled at it, after the driver has set the device up (a reset
//!    clears the assignment). MSI-X messages are edge-triggered: nothing to acknowledge. A
//!    device without usable MSI-X stays polled.
//!
//! # Map
//! - `board` (images only): the component's contract: the network device's transport.
//! - [`configuration`]: capability list, MSI-X, virtio structures, BARs, the MSI message (pure,
//!   host-tested).
//! - `discovery` (images only): enumerating bus 0.
//! - `interrupt` (images only): MSI-X set-up.
#![no_std]

extern crate alloc;

#[cfg(target_os = "none")]
pub mod board;
pub mod configuration;
#[cfg(target_os = "none")]
mod discovery;
#[cfg(target_os = "none")]
mod interrupt;
#[cfg(target_os = "none")]
pub use discovery::{discover, PciDevice};
#[cfg(target_os = "none")]
pub use interrupt::{enable_interrupt, INTERRUPT_VECTOR};
#[cfg(target_os = "none")]
pub use sauce_runtime::arch::pci::Location;
