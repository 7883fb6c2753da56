//! The virtio-net driver: receive and transmit virtqueues with buffers posted once and
//! recycled, exposed to the TCP/IP stack as a `smoltcp::phy::Device`.
//!
//! # Rules
//! 1. Buffers are allocated once, when the driver starts, and live for the rest of the
//!    program: the device may write them by DMA at any time until it returns them, so they are
//!    never freed or moved. The steady state allocates nothing.
//! 2. Every receive buffer is posted to the device; a frame handed to the stack is copied out
//!    of nothing: the stack reads it in place, then the buffer is posted again.
//! 3. Transmit buffers come back when the device reports them used; when none is free the
//!    stack is told the device cannot transmit now (`transmit` returns `None`).
//! 4. The device's interrupts are acknowledged by the transport's interrupt handler, not here;
//!    the driver only reacts to the queues.
//! 5. One HTTP request costs one receive interrupt and one transmit kick: the receive queue is
//!    kicked only when the device asks (it ran out of buffers), and transmit completions
//!    interrupt only while every transmit buffer is in flight ([`notification`]).
//!
//! # Map
//! - `device` (images only): [`VirtioNet`] and its smoltcp tokens.
//! - `board` (images only): the component's contract: a transport in, a `net-device` out.
//! - [`notification`]: the transport wrapper that makes notification suppression work.
#![no_std]

extern crate alloc;

pub mod notification;

#[cfg(target_os = "none")]
pub mod board;
#[cfg(target_os = "none")]
mod device;
#[cfg(target_os = "none")]
pub use device::{VirtioNet, QUEUE_SIZE};
