//! Turning QEMU's exit status and the guest's last words into a verdict.
//!
//! The kernel writes 0x10 (success) or 0x11 (failure) to isa-debug-exit, which makes QEMU exit
//! with `(value << 1) | 1`: 33 or 35. Before that it prints `sauce: exit success` or
//! `sauce: exit failure` on serial, so a VMM that exits 0 (a reset with `-no-reboot`, or a VMM
//! without the exit device) still gives a verdict (record 0013 §4).

/// The serial line the kernel prints before a successful exit.
pub const SUCCESS_LINE: &str = "sauce: exit success";
/// The serial line the kernel prints before a failed exit.
pub const FAILURE_LINE: &str = "sauce: exit failure";
/// QEMU's status after the guest wrote 0x10 to isa-debug-exit.
pub const SUCCESS_STATUS: i32 = 0x10 << 1 | 1;
/// QEMU's status after the guest wrote 0x11 to isa-debug-exit.
pub const FAILURE_STATUS: i32 = 0x11 << 1 | 1;

/// How the guest ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuestExit {
    /// The guest reported success.
    Success,
    /// The guest reported failure: a failed test, a panic, a fault it caught.
    Failure,
    /// The machine reset without reporting success: a triple fault or an unexpected reboot.
    Reset,
    /// The timeout passed first; QEMU was stopped.
    Timeout,
    /// The user interrupted the run (Ctrl-C, SIGTERM, SIGHUP); QEMU was stopped.
    Interrupted,
}

impl GuestExit {
    /// Whether the guest shut down cleanly.
    pub fn is_success(self) -> bool {
        self == Self::Success
    }

    /// A short human description.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Success => "the guest exited successfully",
            Self::Failure => "the guest reported failure",
            Self::Reset => "the guest reset without reporting success (triple fault or reboot)",
            Self::Timeout => "the guest did not exit before the timeout",
            Self::Interrupted => "interrupted",
        }
    }
}

/// Which exit lines the guest printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExitLines {
    /// `sauce: exit success` was seen.
    pub success: bool,
    /// `sauce: exit failure` was seen.
    pub failure: bool,
}

impl ExitLines {
    /// Notes `line` if it is one of the exit lines.
    pub fn observe(&mut self, line: &str) {
        match line.trim() {
            SUCCESS_LINE => self.success = true,
            FAILURE_LINE => self.failure = true,
            _ => {}
        }
    }
}

/// The verdict for QEMU exiting with `status` (`None`: killed by a signal) after the guest
/// printed `lines`; `None` when QEMU itself failed.
pub fn classify(status: Option<i32>, lines: ExitLines) -> Option<GuestExit> {
    match status? {
        SUCCESS_STATUS => Some(GuestExit::Success),
        FAILURE_STATUS => Some(GuestExit::Failure),
        0 if lines.failure => Some(GuestExit::Failure),
        0 if lines.success => Some(GuestExit::Success),
        0 => Some(GuestExit::Reset),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: ExitLines = ExitLines {
        success: false,
        failure: false,
    };
    const SUCCESS: ExitLines = ExitLines {
        success: true,
        failure: false,
    };
    const FAILURE: ExitLines = ExitLines {
        success: false,
        failure: true,
    };

    #[test]
    fn the_exit_device_decides_first() {
        assert_eq!(SUCCESS_STATUS, 33);
        assert_eq!(FAILURE_STATUS, 35);
        assert_eq!(classify(Some(33), NONE), Some(GuestExit::Success));
        assert_eq!(classify(Some(35), SUCCESS), Some(GuestExit::Failure));
    }

    #[test]
    fn status_zero_needs_the_success_line() {
        assert_eq!(classify(Some(0), SUCCESS), Some(GuestExit::Success));
        assert_eq!(classify(Some(0), FAILURE), Some(GuestExit::Failure));
        assert_eq!(classify(Some(0), NONE), Some(GuestExit::Reset));
    }

    #[test]
    fn anything_else_is_a_vmm_failure() {
        assert_eq!(classify(Some(1), SUCCESS), None);
        assert_eq!(classify(None, SUCCESS), None);
    }

    #[test]
    fn exit_lines_match_whole_lines_only() {
        let mut lines = ExitLines::default();
        lines.observe("sauce: exit success\r");
        lines.observe("not sauce: exit failure");
        assert_eq!(lines, SUCCESS);
    }
}
