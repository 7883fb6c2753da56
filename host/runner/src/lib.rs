//! Guests from images: QEMU (microvm, q35) or Firecracker boots an image, streams its serial
//! console, forwards ports and turns the VMM's exit into a verdict. The last stage of the
//! pipeline (ARCHITECTURE.md, "The pipeline"); building images is `sauce-builder`'s.
//!
//! # Map
//! - [`launcher`]: [`Launcher`], the trait every VMM implements, and what they share (port
//!   forwards, the default memory, how a boot ended). A new VMM is one module implementing it.
//! - [`qemu`]: command lines, accelerator choice, launching, verdicts.
//! - [`serial`]: the guest's serial console, read line by line from a VMM's stdout.
//! - [`firecracker`]: the Firecracker launcher: API socket, private network and relay from
//!   127.0.0.1, serial streaming, clean stop, boot-timer report, dry run.
//! - [`boot_facts`]: the host's time and a random seed, appended to the command line at each
//!   launch.
//! - [`interrupt`]: Ctrl-C and termination signals stop QEMU or Firecracker cleanly.

#![forbid(unsafe_code)]

pub mod boot_facts;
mod environment;
pub mod firecracker;
pub mod interrupt;
pub mod launcher;
pub mod qemu;
pub mod serial;

pub use launcher::{LaunchFailure, Launched, Launcher, PortForward, DEFAULT_MEMORY};
pub use qemu::{run, Accelerator, GuestExit, LaunchError, Machine, QemuConfig, RunReport};
pub use serial::SerialLine;
