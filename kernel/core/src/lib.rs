//! Vocabulary types and pure, sans-IO kernel logic, tested on the host.
//!
//! Nothing here touches hardware: every function takes its input (bytes of a boot structure, a
//! command line, a clock reading) as arguments, so all of it runs under `cargo test`.
//!
//! # Map
//! - [`address`]: physical and virtual addresses, 4 KiB frames, half-open physical ranges.
//! - [`memory_map`]: the firmware memory map (PVH or e820) and the usable RAM left after
//!   subtracting reserved regions and the kernel's own image.
//! - [`frame_allocator`]: hands out contiguous runs of physical frames from the usable RAM.
//! - [`paging`]: page-table indices, entry encoding and W^X section permissions.
//! - [`command_line`]: the kernel command line (`key=value`, flags, sizes, virtio-mmio devices).
//! - [`time`]: TSC tick and nanosecond conversions, [`time::Instant`].
//! - [`log`]: log levels and the `[   0.000123]` timestamp format.
//! - [`memory`]: [`memory::HeapRegion`], the memory handed to a heap allocator; heap figures.
//! - [`signal`]: [`signal::InterruptSignal`], how an interrupt handler wakes a task.
//! - [`net`]: [`net::NetworkDevice`], what a network driver hands the network stack.
//!
//! The crate denies `unsafe` except in one place: the constructor of [`memory::HeapRegion`]
//! (whose caller vouches for the memory).
#![cfg_attr(not(test), no_std)]
#![deny(unsafe_code)]

pub mod address;
pub mod command_line;
pub mod frame_allocator;
pub mod log;
pub mod memory;
pub mod memory_map;
pub mod net;
pub mod paging;
pub mod signal;
pub mod time;
