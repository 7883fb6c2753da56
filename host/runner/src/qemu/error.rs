//! Why a launch failed, each with the cause and the fix in its message.

use std::io;
use std::path::{Path, PathBuf};

use super::process::KVM_INTERNAL_ERROR;

/// Why QEMU could not run the guest to a verdict.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// The QEMU binary does not exist.
    #[error("QEMU (`{}`) was not found; install it with `sudo apt-get install qemu-system-x86` (Debian/Ubuntu), or set SAUCE_QEMU to the path of qemu-system-x86_64", .binary.display())]
    QemuNotFound {
        /// The binary tried.
        binary: PathBuf,
    },
    /// QEMU exists but could not be started.
    #[error("cannot start QEMU (`{}`): {source}; check that it is executable", .binary.display())]
    Spawn {
        /// The binary tried.
        binary: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The image to boot does not exist.
    #[error("image `{}` does not exist; build it first with `sauce build`", .image.display())]
    ImageNotFound {
        /// The path given.
        image: PathBuf,
    },
    /// `SAUCE_ACCEL` holds something other than `kvm`, `tcg` or `auto`.
    #[error("SAUCE_ACCEL is `{value}`; set it to `kvm`, `tcg` or `auto`, or unset it")]
    BadAcceleratorVariable {
        /// The value found.
        value: String,
    },
    /// QEMU could not be waited for.
    #[error("lost track of QEMU: {source}")]
    Wait {
        /// What the operating system said.
        source: io::Error,
    },
    /// QEMU failed rather than the guest: a bad option, an unbootable image, a KVM error.
    #[error("QEMU failed ({}){}; its stderr:\n{stderr}", describe_status(*.status), .hint.as_deref().map(|hint| format!("\n  hint: {hint}")).unwrap_or_default())]
    VmmFailed {
        /// QEMU's exit status; `None` when it was killed (by a signal, or by us after a KVM error).
        status: Option<i32>,
        /// What QEMU printed on stderr.
        stderr: String,
        /// How to fix it, when the stderr tells.
        hint: Option<String>,
    },
}

fn describe_status(status: Option<i32>) -> String {
    status.map_or_else(|| "killed".to_owned(), |code| format!("exit status {code}"))
}

/// The spawn error for `binary`: "not found" gets the installation hint.
pub(crate) fn spawn_error(binary: &Path, source: io::Error) -> LaunchError {
    match source.kind() {
        io::ErrorKind::NotFound => LaunchError::QemuNotFound {
            binary: binary.to_path_buf(),
        },
        _ => LaunchError::Spawn {
            binary: binary.to_path_buf(),
            source,
        },
    }
}

/// What to suggest for a QEMU failure, judging by its stderr.
pub(crate) fn hint_for(stderr: &str) -> Option<String> {
    let hint = if stderr.contains(KVM_INTERNAL_ERROR) {
        "KVM could not run an instruction of the guest (nested KVM emulates code that runs before paging is on); try `--accel tcg`"
    } else if stderr.to_lowercase().contains("kvm") {
        "KVM is not usable here; try `--accel tcg` (or SAUCE_ACCEL=tcg)"
    } else if stderr.contains("PVH ELF Note") {
        "the image has no PVH entry note: is it a SauceOS image?"
    } else {
        return None;
    };
    Some(hint.to_owned())
}
