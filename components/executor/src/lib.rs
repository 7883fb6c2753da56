//! Cooperative async executor for a single core, with timers and interrupt wake-ups.
//!
//! The executor is sans-IO: it reaches the machine only through the [`Platform`] trait (a
//! clock, a one-shot timer, interrupt masking and halting), so the host tests drive it with a
//! simulated clock. The kernel implements [`Platform`] with the TSC and the LAPIC timer.
//!
//! # Map
//! - [`board`]: the component's contract with the board (its configuration).
//! - [`platform`]: the [`Platform`] trait and the idle protocol it must follow.
//! - [`executor`]: [`Executor`] (run loops, [`Executor::block_on`]) and [`Spawner`].
//! - [`task`]: task identity, the wakers that queue tasks, [`yield_now`].
//! - [`timer`]: [`sleep`], [`sleep_until`] and [`now`].
//! - [`signal`]: waiting for an [`InterruptSignal`] (`sauce-core`) or a deadline ([`WaitUntil`]).
//! - `kernel` (images only): the kernel's [`Platform`]: TSC clock, APIC timer, `sti; hlt`.
//!
//! # Rules
//!
//! 1. Interrupt handlers may call [`InterruptSignal::notify`] and nothing else of this crate:
//!    it neither allocates, nor frees, nor takes a lock that task code can hold.
//! 2. A waker only pushes its task's index into a lock-free queue, once until the task runs.
//! 3. Before halting, the executor disables interrupts, then checks the ready queue and the
//!    timers, then asks the platform to enable interrupts and halt in one step: a wake-up
//!    between the check and the halt cannot be lost.
//! 4. [`sleep`], [`sleep_until`] and [`now`] find the running executor through a
//!    "current executor" slot that the run loops fill while they run (see [`context`]).
//!    Tasks spawn other tasks through a [`Spawner`] they were given.
#![cfg_attr(not(any(test, feature = "std")), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod board;
pub mod context;
pub mod executor;
#[cfg(target_os = "none")]
pub mod kernel;
pub mod platform;
pub mod signal;
pub mod task;
pub mod timer;

#[cfg(test)]
mod fake_platform;

pub use executor::{Executor, SpawnError, Spawner};
pub use platform::Platform;
pub use sauce_core::time::Instant;
pub use signal::{InterruptSignal, WaitUntil};
pub use task::{yield_now, TaskId};
pub use timer::{now, sleep, sleep_until, try_now, Sleep};
