//! Images from intents, and guests from images: cargo for `x86_64-unknown-none`, then QEMU or
//! Firecracker.
//!
//! The last two stages of the pipeline (ARCHITECTURE.md, "The pipeline"), as a library the `sauce` binary and
//! the test harnesses share:
//!
//! # Map
//! - [`locations`]: the SauceOS source tree (`SAUCE_HOME`) and the cache folder (`SAUCE_CACHE`).
//! - [`compile`]: generated crate → cargo → ELF image, with one target directory for all apps.
//! - [`build_key`]: the build cache key; an unchanged intent skips cargo.
//! - [`child_environment`]: which variables an outer cargo leaks that a nested build must drop.
//! - [`qemu`]: command lines, accelerator choice, launching, verdicts.
//! - [`serial`]: the guest's serial console, read line by line from a VMM's stdout.
//! - [`firecracker`]: the Firecracker launcher: API socket, private network and relay from
//!   127.0.0.1, serial streaming, clean stop, boot-timer report, dry run.
//! - [`interrupt`]: Ctrl-C and termination signals stop QEMU or Firecracker cleanly.
//! - [`elf`]: telling an ELF image from an intent path.
//! - [`symbols`]: stripping images, keeping their symbols in the cache, and naming the
//!   functions of a fault report's `backtrace:` line.

#![forbid(unsafe_code)]

pub mod build_key;
pub mod child_environment;
pub mod compile;
pub mod elf;
pub mod firecracker;
pub mod interrupt;
pub mod locations;
pub mod qemu;
pub mod serial;
pub mod symbols;

pub use compile::{build_kernel_crate, default_image_path, BuildContext, BuildError, BuiltImage};
pub use locations::{cache_root, source_root, LocateError};
pub use qemu::{
    run, Accelerator, GuestExit, LaunchError, Machine, PortForward, QemuConfig, RunReport,
    SerialLine,
};
