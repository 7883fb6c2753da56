//! A network namespace holding a TAP device, created for one benchmark and deleted when
//! dropped (and on Ctrl-C, through [`crate::cleanup`]). Traffic stays inside it: the host side of
//! the TAP is [`HOST_ADDRESS`], the guest is [`GUEST_ADDRESS`].

use std::ffi::OsStr;
use std::process::Command;

/// The TAP device's name inside the namespace.
pub const TAP: &str = "tap0";
/// The namespace's own address on the TAP (where the native server listens).
pub const HOST_ADDRESS: &str = "172.16.0.1";
/// The guest's address (given on its command line as `ip=`).
pub const GUEST_ADDRESS: &str = "172.16.0.2";
/// The kernel command line that puts the guest on the TAP's subnet.
pub const GUEST_COMMAND_LINE: &str = "ip=172.16.0.2/24 gw=172.16.0.1";

/// A network namespace with [`TAP`] up at [`HOST_ADDRESS`]/24 and loopback up.
#[derive(Debug)]
pub struct Namespace {
    name: String,
}

fn ip(arguments: &[&str]) -> Result<(), String> {
    let output = Command::new("ip")
        .args(arguments)
        .output()
        .map_err(|error| {
            format!("cannot run `ip`: {error} (install iproute2: `apt-get install iproute2`)")
        })?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "`ip {}` failed: {} (network namespaces need root)",
        arguments.join(" "),
        String::from_utf8_lossy(&output.stderr).trim()
    ))
}

impl Namespace {
    /// Creates `sauce-<purpose>-<pid>` with its TAP device. On any failure, whatever was
    /// created is removed again.
    pub fn create(purpose: &str) -> Result<Namespace, String> {
        let name = format!("sauce-{purpose}-{}", std::process::id());
        ip(&["netns", "add", &name])?;
        crate::cleanup::register_namespace(&name);
        let namespace = Namespace { name };
        let address = format!("{HOST_ADDRESS}/24");
        let name = namespace.name.as_str();
        for arguments in [
            [
                "netns", "exec", name, "ip", "tuntap", "add", "dev", TAP, "mode", "tap",
            ]
            .as_slice(),
            &[
                "netns", "exec", name, "ip", "addr", "add", &address, "dev", TAP,
            ],
            &["netns", "exec", name, "ip", "link", "set", TAP, "up"],
            &["netns", "exec", name, "ip", "link", "set", "lo", "up"],
        ] {
            ip(arguments)?;
        }
        Ok(namespace)
    }

    /// The namespace's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A command that runs `program` inside the namespace (`ip netns exec` replaces itself with
    /// the program, so the child's id is the program's).
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new("ip");
        command.args(["netns", "exec", &self.name]).arg(program);
        command
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
        crate::cleanup::forget_namespace(&self.name);
    }
}
