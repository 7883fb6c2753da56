//! Ctrl-C, SIGTERM and SIGHUP while QEMU runs: stop QEMU, reap it, report — never orphan it.
//!
//! A handler is installed the first time QEMU is launched. While a launch is active it only
//! raises a flag that the launch loop checks every few milliseconds (QEMU runs in its own process
//! group, so the terminal's Ctrl-C reaches `sauce` alone and `sauce` decides). With no launch
//! active it exits the process with [`INTERRUPTED_EXIT_CODE`], as the default action would.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The conventional exit status after SIGINT (128 + 2).
pub const INTERRUPTED_EXIT_CODE: i32 = 130;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static ACTIVE_LAUNCHES: AtomicUsize = AtomicUsize::new(0);
static HANDLER_INSTALLED: OnceLock<bool> = OnceLock::new();

/// Whether the user has asked this process to stop.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Marks one running QEMU for the lifetime of the value.
pub(crate) struct ActiveLaunch {
    handler_installed: bool,
}

impl ActiveLaunch {
    /// Installs the handler if needed and counts the launch.
    pub(crate) fn begin() -> Self {
        let handler_installed =
            *HANDLER_INSTALLED.get_or_init(|| ctrlc::set_handler(on_signal).is_ok());
        ACTIVE_LAUNCHES.fetch_add(1, Ordering::SeqCst);
        Self { handler_installed }
    }

    /// Whether our handler is installed, so QEMU may live in its own process group. If another
    /// handler owns the signals, QEMU stays in ours and the terminal's Ctrl-C reaches it too.
    pub(crate) fn handler_installed(&self) -> bool {
        self.handler_installed
    }
}

impl Drop for ActiveLaunch {
    fn drop(&mut self) {
        ACTIVE_LAUNCHES.fetch_sub(1, Ordering::SeqCst);
    }
}

fn on_signal() {
    if ACTIVE_LAUNCHES.load(Ordering::SeqCst) == 0 {
        std::process::exit(INTERRUPTED_EXIT_CODE);
    }
    INTERRUPTED.store(true, Ordering::SeqCst);
}
