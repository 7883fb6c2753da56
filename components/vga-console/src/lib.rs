//! Mirrors the console to the VGA text screen (80×25 at 0xB8000) on machines with a VGA.
//!
//! The runtime always writes COM1; this component adds the screen as a console sink
//! (`sauce_runtime::console::ConsoleSink`). The text-mode driver itself is
//! `sauce_arch_x86_64::vga::VgaText` (the arch crate holds the `unsafe` of touching the
//! buffer and ports); this crate probes for it and attaches it. An image without this
//! component links none of it: the runtime no longer probes for a VGA at boot.
//!
//! # Map
//! - `screen` (images only): [`attach`] and the sink.
//!
//! # What the generated board calls
//! On q35 (the selector adds this component only where the VMM has a VGA), before `ready`:
//! ```text
//! // stage platform: vga-console, because [target] machine = "q35" has a VGA
//! sauce_vga_console::attach();
//! ```
//! `attach` returns whether a VGA answered; without one (the probe reads 0xFF) nothing is
//! attached and nothing else happens, so the call is safe on any machine.
#![no_std]
#![forbid(unsafe_code)]

#[cfg(target_os = "none")]
mod screen;

#[cfg(target_os = "none")]
pub use screen::{attach, NAME};
