//! The SauceOS kernel runtime: what every image holds, between the boot stub and the board.
//!
//! # Map
//! - [`boot`]: the boot sequence from `sauce_kernel_entry` to the board's function.
//! - [`platform`]: [`Platform`], the machine as a board sees it: command line, frames, heap
//!   regions, the `ready` line, exit.
//! - [`log`]: `print!`/`println!` and levelled log macros over serial (and the console sinks),
//!   each line stamped with the time since boot.
//! - [`console`]: [`console::ConsoleSink`] and [`console::add_sink`], the hook console
//!   components (`vga-console`) use; COM1 stays the kernel's own console throughout.
//! - [`memory`]: the shared frame allocator and DMA pages for drivers.
//! - [`clock`]: monotonic nanoseconds from the TSC.
//! - [`timer`]: one-shot timer interrupts (TSC-deadline or APIC count-down) and idling.
//! - [`watchdog`]: stops the image when watched code (an app handler) runs too long without
//!   yielding.
//! - [`boot_timer`]: Firecracker's boot-timer signal at `ready`, when `sauce.boot_timer=` asks.
//! - [`panic`]: the panic handler (prints message and location, then the fault reports
//!   components registered with [`panic::on_fault`], and fails the VM).
//!
//! A board (generated `main.rs`) declares itself with [`entry!`].
#![cfg_attr(not(test), no_std)]

#[cfg(target_os = "none")]
pub mod boot;
pub mod boot_timer;
#[cfg(target_os = "none")]
pub mod clock;
pub mod console;
#[cfg(target_os = "none")]
pub mod log;
#[cfg(target_os = "none")]
pub mod memory;
#[cfg(target_os = "none")]
pub mod panic;
#[cfg(target_os = "none")]
pub mod platform;
#[cfg(target_os = "none")]
pub mod timer;
#[cfg(target_os = "none")]
pub mod watchdog;

#[cfg(target_os = "none")]
pub use platform::{Exit, Platform};
pub use sauce_arch_x86_64 as arch;
pub use sauce_core;

/// Declares the board function, `fn(Platform) -> !`, that the kernel calls after booting.
#[macro_export]
macro_rules! entry {
    ($board:path) => {
        /// Called by the boot stub (kernel/arch-x86_64/src/boot/entry.s).
        #[no_mangle]
        pub extern "C" fn sauce_kernel_entry(protocol: u64, structure: u64) -> ! {
            let board: fn($crate::Platform) -> ! = $board;
            $crate::boot::start(protocol, structure, board)
        }
    };
}
