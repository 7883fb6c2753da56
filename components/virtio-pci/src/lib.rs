//! The virtio-pci transport (modern, virtio 1.x): devices found by enumerating PCI bus 0
//! through the configuration ports, BARs as the firmware assigned them.
//!
//! Contract:
//! 1. Every function on bus 0 is looked at once; a virtio device without a driver here, or one
//!    whose transport cannot be set up, is reported on the log and skipped, never a fault.
//! 2. Interrupts: the driver polls (the kernel does not route PCI INTx or MSI-X yet); the
//!    transport's own interrupt acknowledgement is available to drivers that ask.
#![no_std]

extern crate alloc;

#[cfg(target_os = "none")]
mod discovery;
#[cfg(target_os = "none")]
pub use discovery::{discover, PciDevice};
