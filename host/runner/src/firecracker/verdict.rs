//! Firecracker's exit status plus the guest's last words into a verdict, by the same rules as
//! QEMU's (`crate::qemu::verdict`).
//!
//! Firecracker has no exit device: a successful guest resets through the i8042 controller
//! (Firecracker exits 0), a failing guest prints `sauce: exit failure` and triple-faults
//! (Firecracker stops the VM on the vCPU's shutdown exit and exits 1), so the serial exit line
//! decides; status 1 without a triple fault or a failure line, or any other status, is
//! Firecracker's own failure.

use crate::qemu::verdict::{classify as classify_qemu, ExitLines, GuestExit};

/// What Firecracker logs when a vCPU triple-faults (KVM's shutdown exit). Under PVM (this
/// development machine's KVM) a triple fault is a `KVM_EXIT_INTERNAL_ERROR` instead, which
/// stays a VMM failure unless the guest reported failure first.
pub const TRIPLE_FAULT_LOG: &str = "Unexpected exit reason on vcpu run: Shutdown";
/// Firecracker's generic error status, which a vCPU shutdown also produces.
const GENERIC_ERROR: i32 = 1;

/// The verdict for Firecracker exiting with `status` (`None`: killed by a signal) after the
/// guest printed `lines`, with `triple_fault` when its log shows the vCPU shut down; `None`
/// when Firecracker itself failed.
pub fn classify(status: Option<i32>, lines: ExitLines, triple_fault: bool) -> Option<GuestExit> {
    match status? {
        0 => classify_qemu(Some(0), lines),
        GENERIC_ERROR if lines.failure => Some(GuestExit::Failure),
        GENERIC_ERROR if triple_fault && lines.success => Some(GuestExit::Success),
        GENERIC_ERROR if triple_fault => Some(GuestExit::Reset),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: ExitLines = ExitLines { success: false, failure: false };
    const SUCCESS: ExitLines = ExitLines { success: true, failure: false };
    const FAILURE: ExitLines = ExitLines { success: false, failure: true };

    #[test]
    fn a_clean_exit_needs_the_success_line() {
        assert_eq!(classify(Some(0), SUCCESS, false), Some(GuestExit::Success));
        assert_eq!(classify(Some(0), FAILURE, false), Some(GuestExit::Failure));
        assert_eq!(classify(Some(0), NONE, false), Some(GuestExit::Reset));
    }

    #[test]
    fn a_failing_guest_ends_firecracker_with_one() {
        assert_eq!(classify(Some(1), FAILURE, true), Some(GuestExit::Failure));
        assert_eq!(classify(Some(1), NONE, true), Some(GuestExit::Reset));
        assert_eq!(classify(Some(1), SUCCESS, true), Some(GuestExit::Success), "success, then no i8042");
    }

    #[test]
    fn anything_else_is_firecrackers_failure() {
        assert_eq!(classify(Some(1), NONE, false), None);
        assert_eq!(classify(Some(1), SUCCESS, false), None);
        assert_eq!(classify(Some(152), FAILURE, false), None);
        assert_eq!(classify(None, SUCCESS, false), None);
    }
}
