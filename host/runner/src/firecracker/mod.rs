//! Firecracker: finding the binary, driving its API socket, networking in a private namespace
//! with a relay from 127.0.0.1, streaming serial, stopping cleanly, and reading its boot timer.
//!
//! - [`binary`]: where Firecracker is (`--firecracker`, `SAUCE_FIRECRACKER`, PATH).
//! - [`api`]: a small HTTP/1.1 client for the API socket; Firecracker's faults shown verbatim.
//! - [`configuration`]: the VM as API bodies and as a `--config-file` document; the kernel
//!   command line (boot-timer flag, static address).
//! - [`network`]: the private network plan (namespace `sauce-<pid>-<n>`, TAP, addresses).
//! - [`namespace`]: carrying the plan out with `ip`, capability checks, removal.
//! - [`relay`]: 127.0.0.1:HOST on the host → the guest inside its namespace.
//! - [`plan`]: the Firecracker command line and files of one launch.
//! - [`launch`]: [`run`] and [`run_until`]: start, configure, stream serial, stop, verdict.
//! - [`dry_run`]: the configuration JSON and the commands a launch would run, as text.
//! - [`console`]: serial lines from stdout; the log file followed as it grows.
//! - [`boot_timer`]: Firecracker's `Guest-boot-time` log line.
//! - [`verdict`]: exit status + serial exit line → [`GuestExit`](crate::GuestExit).
//! - [`error`]: [`FirecrackerError`], each with a hint.
//! - `process`: the Firecracker child, stopped with `SendCtrlAltDel` then killed.

pub mod api;
pub mod binary;
pub mod boot_timer;
pub mod configuration;
pub mod console;
pub mod dry_run;
pub mod error;
pub mod launch;
pub mod namespace;
pub mod network;
pub mod plan;
mod process;
pub mod relay;
pub mod verdict;

use std::path::PathBuf;
use std::time::Duration;

use sauce_intent::MemorySize;

use crate::launcher::PortForward;

pub use boot_timer::GuestBootTime;
pub use error::FirecrackerError;
pub use launch::{run, run_until, FirecrackerReport};

/// How the guest is connected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Network {
    /// No network device.
    None,
    /// A private namespace with a TAP device; each forward relayed from 127.0.0.1 on the host.
    Private {
        /// Ports forwarded from 127.0.0.1 on the host to the guest.
        port_forwards: Vec<PortForward>,
    },
    /// An existing TAP device in this namespace; addressing and routing are the user's.
    Tap {
        /// The TAP device's name.
        name: String,
    },
}

/// Everything needed to boot one image under Firecracker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirecrackerConfig {
    /// The Firecracker binary (see [`binary::locate`]).
    pub binary: PathBuf,
    /// The ELF image to boot.
    pub image: PathBuf,
    /// Guest RAM, rounded up to whole MiB.
    pub memory: MemorySize,
    /// Virtual CPUs.
    pub vcpus: u8,
    /// The kernel command line; empty means `crate::qemu::DEFAULT_APPEND`.
    pub append: String,
    /// Stop the guest after this long; `None` waits for ever.
    pub timeout: Option<Duration>,
    /// The guest's network.
    pub network: Network,
    /// Run with `--boot-timer` and tell the guest to signal it (see
    /// [`configuration::BOOT_TIMER_ARGUMENT`]).
    pub boot_timer: bool,
    /// Append the host's time and a random seed at each launch ([`crate::boot_facts`]).
    pub boot_facts: bool,
}

impl FirecrackerConfig {
    /// One vCPU, the default memory, no network, the boot timer on.
    pub fn new(binary: impl Into<PathBuf>, image: impl Into<PathBuf>) -> Self {
        Self {
            binary: binary.into(),
            image: image.into(),
            memory: crate::qemu::DEFAULT_MEMORY,
            vcpus: 1,
            append: String::new(),
            timeout: None,
            network: Network::None,
            boot_timer: true,
            boot_facts: false,
        }
    }
}
