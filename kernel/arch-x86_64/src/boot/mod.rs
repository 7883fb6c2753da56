//! Boot entries (PVH and Linux 64-bit) and the boot information copied out of low memory.

pub mod information;
pub mod physical;

core::arch::global_asm!(include_str!("entry.s"), options(att_syntax));

extern "C" {
    /// TSC value stored by the entry stub before anything else runs.
    static sauce_boot_entry_tsc: u64;
}

/// The time stamp counter at the first instruction of the kernel.
pub fn entry_time_stamp() -> u64 {
    // SAFETY: the entry stub writes this word once before Rust runs; afterwards it is only read.
    unsafe { core::ptr::read_volatile(&raw const sauce_boot_entry_tsc) }
}
