//! Why a Firecracker launch failed, each with the cause and the fix in its message.

use std::io;
use std::path::PathBuf;

use super::api::ApiError;

/// Why Firecracker could not run the guest to a verdict.
#[derive(Debug, thiserror::Error)]
pub enum FirecrackerError {
    /// No Firecracker binary in any of the three places looked at.
    #[error("Firecracker was not found: no --firecracker PATH was given, SAUCE_FIRECRACKER is not set, and no `firecracker` is on PATH; download a release from https://github.com/firecracker-microvm/firecracker/releases and pass --firecracker PATH or set SAUCE_FIRECRACKER=/path/to/firecracker")]
    NotFound,
    /// The binary named by `--firecracker` or `SAUCE_FIRECRACKER` is not a file.
    #[error("Firecracker binary `{}` (from {origin}) does not exist or is not a file; fix the path", .binary.display())]
    BinaryMissing {
        /// The path given.
        binary: PathBuf,
        /// Where the path came from: `--firecracker` or `SAUCE_FIRECRACKER`.
        origin: &'static str,
    },
    /// Firecracker (or `ip netns exec`) could not be started.
    #[error("cannot start `{}`: {source}; check that it exists and is executable", .program.display())]
    Spawn {
        /// The program tried.
        program: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The image to boot does not exist.
    #[error("image `{}` does not exist; build it first with `sauce build`", .image.display())]
    ImageNotFound {
        /// The path given.
        image: PathBuf,
    },
    /// A private folder for the API socket and log could not be made.
    #[error(
        "cannot create a private folder for Firecracker's socket and log: {source}; check TMPDIR"
    )]
    TemporaryFolder {
        /// What the operating system said.
        source: io::Error,
    },
    /// A `-p` host port is taken (or not ours to bind).
    #[error(
        "cannot listen on 127.0.0.1:{port}: {source}; choose another host port with -p HOST:GUEST"
    )]
    PortUnavailable {
        /// The host port.
        port: u16,
        /// What the operating system said.
        source: io::Error,
    },
    /// Creating the private network needs privileges this process lacks.
    #[error("the private network for Firecracker (network namespace and TAP device) needs CAP_SYS_ADMIN and CAP_NET_ADMIN; this process lacks {}; run `sauce` as root (e.g. with sudo), or create a TAP device yourself and pass --tap NAME", .missing.join(" and "))]
    MissingCapabilities {
        /// The names of the missing capabilities.
        missing: Vec<&'static str>,
    },
    /// An `ip` command setting up or tearing down the network failed.
    #[error("`{command}` failed: {detail}{}", .hint.as_deref().map(|hint| format!("\n  hint: {hint}")).unwrap_or_default())]
    Network {
        /// The command line run.
        command: String,
        /// Its stderr, or why it could not run.
        detail: String,
        /// How to fix it.
        hint: Option<String>,
    },
    /// Firecracker's API refused a request or could not be reached.
    #[error("{source}{}", log_section(.log))]
    Api {
        /// What went wrong.
        source: ApiError,
        /// Firecracker's log up to that point.
        log: String,
    },
    /// Firecracker could not be waited for.
    #[error("lost track of Firecracker: {source}")]
    Wait {
        /// What the operating system said.
        source: io::Error,
    },
    /// Firecracker failed rather than the guest.
    #[error("Firecracker failed ({}){}{}{}", describe_status(*.status), hint_for(.log), stderr_section(.stderr), log_section(.log))]
    VmmFailed {
        /// Its exit status; `None` when killed by a signal.
        status: Option<i32>,
        /// What it printed on stderr.
        stderr: String,
        /// Its log (the `--log-path` file).
        log: String,
    },
}

fn describe_status(status: Option<i32>) -> String {
    status.map_or_else(
        || "killed by a signal".to_owned(),
        |code| format!("exit status {code}"),
    )
}

/// What to suggest, judging by Firecracker's log.
fn hint_for(log: &str) -> &'static str {
    if log.contains("KVM_EXIT_INTERNAL_ERROR") {
        "\n  hint: KVM could not run the guest (an emulation failure or, on nested KVM such as PVM, a triple fault); the serial output above shows how far it got"
    } else if log.contains("/dev/kvm") {
        "\n  hint: Firecracker needs read-write access to /dev/kvm (add yourself to the `kvm` group)"
    } else {
        ""
    }
}

fn stderr_section(stderr: &str) -> String {
    if stderr.trim().is_empty() {
        String::new()
    } else {
        format!("; its stderr:\n{}", stderr.trim_end())
    }
}

/// The last lines of Firecracker's log, for an error message.
fn log_section(log: &str) -> String {
    const SHOWN: usize = 12;
    let lines: Vec<&str> = log.lines().collect();
    if lines.is_empty() {
        return String::new();
    }
    let start = lines.len().saturating_sub(SHOWN);
    format!(
        "\nFirecracker's log (last {} lines):\n{}",
        lines.len() - start,
        lines[start..].join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_names_all_three_places() {
        let message = FirecrackerError::NotFound.to_string();
        for place in ["--firecracker", "SAUCE_FIRECRACKER", "PATH"] {
            assert!(message.contains(place), "{message}");
        }
    }

    #[test]
    fn missing_capabilities_are_named() {
        let message = FirecrackerError::MissingCapabilities {
            missing: vec!["CAP_NET_ADMIN"],
        }
        .to_string();
        assert!(message.contains("lacks CAP_NET_ADMIN;"), "{message}");
        assert!(message.contains("--tap NAME"), "{message}");
    }

    #[test]
    fn kvm_failures_get_a_hint() {
        let log = "[fc_vcpu 0] Received KVM_EXIT_INTERNAL_ERROR signal\n".to_owned();
        let message = FirecrackerError::VmmFailed {
            status: Some(1),
            stderr: String::new(),
            log,
        }
        .to_string();
        assert!(
            message.starts_with(
                "Firecracker failed (exit status 1)\n  hint: KVM could not run the guest"
            ),
            "{message}"
        );
    }

    #[test]
    fn failures_show_the_end_of_the_log() {
        let log: String = (1..=20).map(|line| format!("line {line}\n")).collect();
        let message = FirecrackerError::VmmFailed {
            status: Some(1),
            stderr: String::new(),
            log,
        }
        .to_string();
        assert!(
            message.starts_with(
                "Firecracker failed (exit status 1)\nFirecracker's log (last 12 lines):\nline 9\n"
            ),
            "{message}"
        );
        assert!(message.ends_with("line 20"), "{message}");
        let killed = FirecrackerError::VmmFailed {
            status: None,
            stderr: "boom\n".into(),
            log: String::new(),
        };
        assert_eq!(
            killed.to_string(),
            "Firecracker failed (killed by a signal); its stderr:\nboom"
        );
    }
}
