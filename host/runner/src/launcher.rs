//! [`Launcher`]: what every VMM does for `sauce run`, so QEMU and Firecracker are peers and a
//! fourth VMM (Cloud Hypervisor, say) is one more module implementing it.
//!
//! A launcher is built from its own configuration ([`crate::QemuConfig`],
//! [`crate::firecracker::FirecrackerConfig`]), which holds what only that VMM has (an
//! accelerator; a TAP or a private network); the caller then boots it through this trait,
//! as many times as its restart policy says, and reports alike whatever ran the guest.

use std::time::Instant;

use sauce_intent::MemorySize;

use crate::qemu::GuestExit;
use crate::serial::SerialLine;

/// The guest RAM used when neither the command line nor the intent says.
pub const DEFAULT_MEMORY: MemorySize = MemorySize::from_mebibytes(32);

/// A TCP port on 127.0.0.1 forwarded to a guest port (`-p HOST:GUEST`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortForward {
    /// The port on the host.
    pub host: u16,
    /// The port in the guest.
    pub guest: u16,
}

/// How one boot ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Launched {
    /// The verdict.
    pub exit: GuestExit,
    /// When the VMM was started, and when it was gone.
    pub launched: Instant,
    /// When the VMM was gone.
    pub finished: Instant,
    /// What the VMM adds to the summary line: `under TCG`, `under Firecracker, guest boot time
    /// 4.1 ms by Firecracker's boot timer`.
    pub how: String,
}

/// Why a VMM could not boot the image.
#[derive(Debug, PartialEq, Eq)]
pub struct LaunchFailure {
    /// The fault is the caller's input (a missing image, a bad setting), not the environment.
    pub invalid_input: bool,
    /// What went wrong and how to fix it.
    pub message: String,
}

/// A virtual machine monitor that boots one image.
pub trait Launcher {
    /// The VMM's name, for messages.
    fn name(&self) -> &'static str;

    /// Boots the image, handing each serial line to `on_line`, until the guest exits, the
    /// timeout passes or the user interrupts; the VMM and everything it needed (a network
    /// namespace, a relay, a folder) are gone when this returns.
    fn launch(&self, on_line: &mut dyn FnMut(&SerialLine)) -> Result<Launched, LaunchFailure>;
}
