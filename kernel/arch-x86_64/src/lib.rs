//! The x86_64 hardware layer of SauceOS: every `unsafe` touch of the machine lives here.
//!
//! # Map
//! - [`backtrace`]: return addresses of the calls in progress (the frame-pointer chain).
//! - [`boot`]: PVH and Linux 64-bit entry stubs (assembly), boot information copied out of
//!   low memory.
//! - [`cpu`]: CPUID, TSC, halting, interrupt flag, control registers.
//! - [`gdt`], [`interrupts`]: descriptor tables, interrupt stacks, entry stubs, exception
//!   reports.
//! - [`paging`]: the kernel's page tables (W^X, guard pages, uncached device window).
//! - [`apic`]: local APIC (timer, end of interrupt) and I/O APIC routing.
//! - [`pci`]: PCI configuration space through ports 0xCF8/0xCFC.
//! - [`tsc`]: the TSC frequency from CPUID, hypervisor leaves or kvmclock.
//! - [`serial`], [`vga`], [`console`]: consoles and allocation-free text.
//! - [`exit`]: ending the VM through isa-debug-exit, i8042 reset or triple fault.
//!
//! Hardware modules compile only for `target_os = "none"`; on the host this crate is empty
//! apart from [`console`], and the logic worth testing lives in `sauce-core`.
#![no_std]

pub mod console;

#[cfg(target_os = "none")]
pub mod apic;
#[cfg(target_os = "none")]
pub mod backtrace;
#[cfg(target_os = "none")]
pub mod boot;
#[cfg(target_os = "none")]
pub mod cpu;
#[cfg(target_os = "none")]
pub mod exit;
#[cfg(target_os = "none")]
pub mod gdt;
#[cfg(target_os = "none")]
pub mod interrupts;
#[cfg(target_os = "none")]
pub mod paging;
#[cfg(target_os = "none")]
pub mod pci;
#[cfg(target_os = "none")]
pub mod serial;
#[cfg(target_os = "none")]
pub mod tsc;
#[cfg(target_os = "none")]
pub mod vga;

#[cfg(target_os = "none")]
core::arch::global_asm!(include_str!("stacks.s"), options(att_syntax));
#[cfg(target_os = "none")]
core::arch::global_asm!(include_str!("descriptor_tables.s"), options(att_syntax));
