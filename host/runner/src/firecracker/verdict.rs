//! Firecracker's exit status plus the guest's last words into a verdict, by the same rules as
//! QEMU's (`crate::qemu::verdict`).
//!
//! Firecracker has no exit device: a successful guest resets through the i8042 controller
//! (Firecracker exits 0), a failing guest prints `sauce: exit failure` and triple-faults
//! (Firecracker stops the VM on the vCPU's shutdown exit and exits 1), so the serial exit line
//! decides; status 1 without a triple fault or a failure line, or any other status, is
//! Firecracker's own failure.

use crate::qemu::verdict::{classify as classify_qemu, ExitLines, GuestExit};

/// What Firecracker logs when a vCPU triple-faults (KVM's shutdown exit).
pub const TRIPLE_FAULT_LOG: &str = "Unexpected exit reason on vcpu run: Shutdown";
/// What Firecracker logs when KVM cannot go on running the vCPU. Under PVM (this development
/// machine's KVM) a triple fault ends this way instead.
pub const KVM_INTERNAL_ERROR_LOG: &str = "Received KVM_EXIT_INTERNAL_ERROR signal";
/// Firecracker's generic error status, which both of those produce.
const GENERIC_ERROR: i32 = 1;

/// How the vCPU stopped, as Firecracker's log tells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VcpuStop {
    /// Nothing unusual logged.
    #[default]
    Normal,
    /// A triple fault (KVM's shutdown exit).
    TripleFault,
    /// KVM could not run the vCPU any further.
    KvmInternalError,
}

impl VcpuStop {
    /// What one log line says, if anything.
    pub fn from_log_line(line: &str) -> Option<Self> {
        if line.contains(TRIPLE_FAULT_LOG) {
            Some(Self::TripleFault)
        } else if line.contains(KVM_INTERNAL_ERROR_LOG) {
            Some(Self::KvmInternalError)
        } else {
            None
        }
    }
}

/// The verdict for Firecracker exiting with `status` (`None`: killed by a signal) after the
/// guest printed `lines` and its vCPU stopped as `vcpu` says; `None` when Firecracker itself
/// failed.
///
/// After `sauce: exit success` the guest's i8042 reset races its fallback triple fault
/// (Firecracker handles the reset on another thread), so a vCPU that stops either way after
/// the success line is a success.
pub fn classify(status: Option<i32>, lines: ExitLines, vcpu: VcpuStop) -> Option<GuestExit> {
    match (status?, vcpu) {
        (0, _) => classify_qemu(Some(0), lines),
        (GENERIC_ERROR, _) if lines.failure => Some(GuestExit::Failure),
        (GENERIC_ERROR, VcpuStop::TripleFault | VcpuStop::KvmInternalError) if lines.success => {
            Some(GuestExit::Success)
        }
        (GENERIC_ERROR, VcpuStop::TripleFault) => Some(GuestExit::Reset),
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

    use VcpuStop::{KvmInternalError, Normal, TripleFault};

    #[test]
    fn a_clean_exit_needs_the_success_line() {
        assert_eq!(classify(Some(0), SUCCESS, Normal), Some(GuestExit::Success));
        assert_eq!(classify(Some(0), FAILURE, Normal), Some(GuestExit::Failure));
        assert_eq!(classify(Some(0), NONE, Normal), Some(GuestExit::Reset));
    }

    #[test]
    fn a_failing_guest_ends_firecracker_with_one() {
        assert_eq!(
            classify(Some(1), FAILURE, TripleFault),
            Some(GuestExit::Failure)
        );
        assert_eq!(
            classify(Some(1), FAILURE, KvmInternalError),
            Some(GuestExit::Failure)
        );
        assert_eq!(classify(Some(1), NONE, TripleFault), Some(GuestExit::Reset));
    }

    #[test]
    fn a_stop_after_the_success_line_is_success() {
        assert_eq!(
            classify(Some(1), SUCCESS, TripleFault),
            Some(GuestExit::Success)
        );
        assert_eq!(
            classify(Some(1), SUCCESS, KvmInternalError),
            Some(GuestExit::Success)
        );
    }

    #[test]
    fn anything_else_is_firecrackers_failure() {
        assert_eq!(classify(Some(1), NONE, Normal), None);
        assert_eq!(
            classify(Some(1), NONE, KvmInternalError),
            None,
            "KVM failed, not the guest"
        );
        assert_eq!(classify(Some(1), SUCCESS, Normal), None);
        assert_eq!(classify(Some(152), FAILURE, TripleFault), None);
        assert_eq!(classify(None, SUCCESS, TripleFault), None);
    }

    #[test]
    fn log_lines_name_the_stop() {
        let line = "2026-11-26T10:37:16.740040327 [anonymous-instance:fc_vcpu 0] Received KVM_EXIT_INTERNAL_ERROR signal";
        assert_eq!(VcpuStop::from_log_line(line), Some(KvmInternalError));
        let line = "[fc_vcpu 0] Unexpected exit reason on vcpu run: Shutdown";
        assert_eq!(VcpuStop::from_log_line(line), Some(TripleFault));
        assert_eq!(VcpuStop::from_log_line("Vmm is stopping."), None);
    }
}
