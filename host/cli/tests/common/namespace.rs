//! Network namespaces with a TAP device, for tests whose traffic must stay inside a network
//! the test itself creates (and removes when it ends, also on failure).

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Why these tests cannot run here, if they cannot.
pub fn missing_prerequisite(programs: &[&str]) -> Option<String> {
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned());
    if uid.as_deref().ok() != Some("0") {
        return Some("network namespaces need root".to_owned());
    }
    if let Some(program) = programs.iter().find(|program| {
        Command::new(program)
            .arg("-V")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_err()
    }) {
        return Some(format!("`{program}` is not installed"));
    }
    // Root inside a container may still lack CAP_SYS_ADMIN/CAP_NET_ADMIN or /dev/net/tun.
    // Named per call: tests of one binary probe in parallel, and a shared name would make
    // one probe's `add` fail while another's namespace exists.
    static PROBES: AtomicUsize = AtomicUsize::new(0);
    let probe = format!(
        "sauce-probe-{}-{}",
        std::process::id(),
        PROBES.fetch_add(1, Ordering::Relaxed)
    );
    let quiet = |arguments: &[&str]| {
        Command::new("ip")
            .args(arguments)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    let created = quiet(&["netns", "add", &probe]);
    if created {
        let _ = quiet(&["netns", "delete", &probe]);
    }
    if !created {
        return Some("`ip netns add` fails here (no CAP_SYS_ADMIN or CAP_NET_ADMIN)".to_owned());
    }
    if !std::path::Path::new("/dev/net/tun").exists() {
        return Some("/dev/net/tun is missing: TAP devices cannot be created".to_owned());
    }
    None
}

/// The namespace's own address on `tap0`: the guest's gateway, and where a server of the
/// test listens for it.
pub const NAMESPACE_ADDRESS: &str = "172.16.0.1";

/// The address a guest on `tap0` is given (`ip=172.16.0.2/24 gw=172.16.0.1`).
pub const GUEST_ADDRESS: &str = "172.16.0.2";

/// A namespace with `tap0` at 172.16.0.1/24; deleted when dropped.
pub struct Namespace {
    /// Its name, as `ip netns` knows it.
    pub name: String,
}

impl Namespace {
    /// Creates it, with `tap0` up at 172.16.0.1/24 and `lo` up.
    pub fn create() -> Namespace {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "sauce-cli-tap-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let status = Command::new("ip")
            .args(["netns", "add", &name])
            .status()
            .unwrap();
        assert!(status.success(), "ip netns add {name} failed");
        let namespace = Namespace { name };
        for arguments in [
            &["ip", "tuntap", "add", "dev", "tap0", "mode", "tap"][..],
            &["ip", "addr", "add", "172.16.0.1/24", "dev", "tap0"],
            &["ip", "link", "set", "tap0", "up"],
            &["ip", "link", "set", "lo", "up"],
        ] {
            let status = namespace
                .command(arguments[0])
                .args(&arguments[1..])
                .status()
                .unwrap();
            assert!(
                status.success(),
                "{arguments:?} in {} failed",
                namespace.name
            );
        }
        namespace
    }

    /// `program`, to run inside the namespace.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new("ip");
        command.args(["netns", "exec", &self.name]).arg(program);
        command
    }

    /// `command` (its program, arguments, environment changes and folder) run inside the
    /// namespace instead.
    pub fn wrap(&self, command: &Command) -> Command {
        let mut inside = self.command(command.get_program());
        inside.args(command.get_args());
        for (key, value) in command.get_envs() {
            match value {
                Some(value) => inside.env(key, value),
                None => inside.env_remove(key),
            };
        }
        if let Some(folder) = command.get_current_dir() {
            inside.current_dir(folder);
        }
        inside
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}
