//! Test component: proves an image reaches a server outside it. At boot it connects to the
//! server the kernel command line names (`probe.host=`, `probe.port=`, and `probe.name=` for
//! one more connection by DNS name), sends a line, and prints on serial what came back before
//! the server closed — `probe: <how> received "<text>"` — then `probe: done`.
//!
//! # Map
//! - [`board`]: the snippet's call (images only: spawns the probe on the executor), and
//!   [`board::printable`], how a reply is printed.
//!
//! # Rules
//! 1. Whatever the server sends is printed escaped and cut at 256 bytes; nothing it sends
//!    makes the probe panic.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod board;
