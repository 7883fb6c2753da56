//! COM1 as the app's console.
//!
//! Output needs nothing from this component: the runtime writes COM1 from the first boot line
//! to the last (boot messages, `ready`, panics and fault reports must always reach serial, so
//! that path is not selectable). What this component adds is **input**: COM1's receive
//! interrupt routed through the I/O APIC, each received byte queued in a lock-free ring that
//! the app reads, and a wake-up callback (an executor's `InterruptSignal::notify`).
//!
//! # Map
//! - [`ring`]: [`ByteRing`], the single-producer single-consumer queue between the interrupt
//!   handler and the app; pure, tested on the host.
//! - `input` (images only): [`enable_input`], [`read_byte`], [`dropped_bytes`].
//!
//! # What the generated board calls
//! With `[config.input]` true (otherwise nothing at all):
//! ```text
//! // stage platform: serial-console with input
//! static SERIAL_INPUT: InterruptSignal = InterruptSignal::new();
//! sauce_serial_console::enable_input(|| SERIAL_INPUT.notify());
//! // in a task:
//! loop {
//!     while let Some(byte) = sauce_serial_console::read_byte() { /* … */ }
//!     SERIAL_INPUT.wait().await;
//! }
//! ```
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

#[cfg(target_os = "none")]
mod input;
pub mod ring;

#[cfg(target_os = "none")]
pub use input::{dropped_bytes, enable_input, read_byte, INPUT_CAPACITY, SERIAL_VECTOR};
pub use ring::ByteRing;
