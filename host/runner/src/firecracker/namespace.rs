//! Carrying out a [`PrivateNetwork`] plan with `ip` (iproute2): checking privileges first,
//! removing leftovers of dead `sauce` processes, and deleting the namespace when dropped.

use std::path::Path;
use std::process::{Command, Stdio};

use super::error::FirecrackerError;
use super::network::{namespace_owner, PrivateNetwork, NAMESPACE_FOLDER};

/// The iproute2 program.
pub const IP: &str = "ip";

/// Capability bits (linux/capability.h) and names needed to build the network.
const NEEDED_CAPABILITIES: [(u32, &str); 2] = [(21, "CAP_SYS_ADMIN"), (12, "CAP_NET_ADMIN")];

/// A namespace that exists; deleted (with its TAP) when dropped.
#[derive(Debug)]
pub struct Namespace {
    network: PrivateNetwork,
}

impl Namespace {
    /// Checks privileges, removes leftovers of dead processes, then builds `network`.
    pub fn create(network: &PrivateNetwork) -> Result<Self, FirecrackerError> {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let missing = missing_capabilities(&status);
        if !missing.is_empty() {
            return Err(FirecrackerError::MissingCapabilities { missing });
        }
        remove_leftovers();
        let mut commands = network.setup_commands().into_iter();
        run_ip(&commands.next().unwrap_or_default())?;
        // From here on the namespace exists: dropping the guard removes it if a step fails.
        let namespace = Self {
            network: network.clone(),
        };
        for command in commands {
            run_ip(&command)?;
        }
        Ok(namespace)
    }

    /// The plan this namespace carries out.
    pub fn network(&self) -> &PrivateNetwork {
        &self.network
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = run_ip(&self.network.teardown_command());
    }
}

/// The capabilities of [`NEEDED_CAPABILITIES`] absent from the `CapEff` line of a
/// `/proc/<pid>/status` text (all of them when the line is missing or unreadable).
pub fn missing_capabilities(status: &str) -> Vec<&'static str> {
    let effective = status
        .lines()
        .find_map(|line| line.strip_prefix("CapEff:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .unwrap_or(0);
    NEEDED_CAPABILITIES
        .iter()
        .filter(|(bit, _)| effective & (1 << bit) == 0)
        .map(|(_, name)| *name)
        .collect()
}

/// Deletes `sauce-<pid>-<n>` namespaces whose process no longer exists (it was killed before
/// it could clean up). Namespaces of running processes are never touched.
fn remove_leftovers() {
    let Ok(entries) = std::fs::read_dir(NAMESPACE_FOLDER) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(owner) = namespace_owner(&name) else {
            continue;
        };
        if !Path::new("/proc").join(owner.to_string()).exists() {
            let _ = run_ip(&PrivateNetwork::new(name).teardown_command());
        }
    }
}

/// Runs `ip ARGUMENTS`; its stderr becomes the error.
fn run_ip(arguments: &[String]) -> Result<(), FirecrackerError> {
    let command_line = format!("{IP} {}", arguments.join(" "));
    let output = Command::new(IP)
        .args(arguments)
        .stdin(Stdio::null())
        .output()
        .map_err(|source| FirecrackerError::Network {
            command: command_line.clone(),
            detail: source.to_string(),
            hint: Some(
                "install iproute2 (`sudo apt-get install iproute2` on Debian/Ubuntu)".to_owned(),
            ),
        })?;
    if output.status.success() {
        return Ok(());
    }
    let detail = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    let hint = hint_for(&detail);
    Err(FirecrackerError::Network {
        command: command_line,
        detail,
        hint,
    })
}

fn hint_for(stderr: &str) -> Option<String> {
    let hint = if stderr.contains("/dev/net/tun") {
        "the TUN/TAP driver is missing: load it with `sudo modprobe tun`"
    } else if stderr.contains("Operation not permitted") || stderr.contains("Permission denied") {
        "run `sauce` as root (CAP_SYS_ADMIN and CAP_NET_ADMIN), or pass --tap NAME"
    } else {
        return None;
    };
    Some(hint.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(capabilities: &str) -> String {
        format!("Name:\tsauce\nCapInh:\t0000000000000000\nCapEff:\t{capabilities}\nCapBnd:\t000001ffffffffff\n")
    }

    #[test]
    fn root_has_everything() {
        assert!(missing_capabilities(&status("000001ffffffffff")).is_empty());
    }

    #[test]
    fn each_missing_capability_is_named() {
        assert_eq!(
            missing_capabilities(&status("0000000000000000")),
            ["CAP_SYS_ADMIN", "CAP_NET_ADMIN"]
        );
        assert_eq!(
            missing_capabilities(&status("0000000000200000")),
            ["CAP_NET_ADMIN"]
        );
        assert_eq!(
            missing_capabilities(&status("0000000000001000")),
            ["CAP_SYS_ADMIN"]
        );
        assert_eq!(
            missing_capabilities("garbage"),
            ["CAP_SYS_ADMIN", "CAP_NET_ADMIN"]
        );
    }

    #[test]
    fn failures_of_ip_suggest_a_fix() {
        assert!(hint_for("open: /dev/net/tun: No such file")
            .unwrap()
            .contains("modprobe tun"));
        assert!(hint_for("RTNETLINK answers: Operation not permitted")
            .unwrap()
            .contains("--tap"));
        assert_eq!(hint_for("Cannot find device"), None);
    }
}
