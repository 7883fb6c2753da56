//! The private network of one VM, as a plan: a network namespace named after this process, a
//! TAP device inside it with the host's address, and the guest's static address.
//!
//! Every VM gets its own namespace, so every VM can use the same small subnet: the host end
//! of the TAP is 172.16.0.1/30 and the guest 172.16.0.2. The namespace is named
//! `sauce-<pid>-<n>` so that leftovers of a process that died without cleaning up (SIGKILL)
//! can be recognised and removed by the next launch.

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

/// Where `ip netns add` binds namespaces.
pub const NAMESPACE_FOLDER: &str = "/run/netns";
/// The prefix of every namespace `sauce` creates.
pub const NAMESPACE_PREFIX: &str = "sauce-";
/// The TAP device's name inside the namespace.
pub const TAP_NAME: &str = "tap0";
/// The host end of the TAP.
pub const HOST_ADDRESS: Ipv4Addr = Ipv4Addr::new(172, 16, 0, 1);
/// The guest's address.
pub const GUEST_ADDRESS: Ipv4Addr = Ipv4Addr::new(172, 16, 0, 2);
/// The subnet's prefix length: two usable addresses, host and guest.
pub const PREFIX_LENGTH: u8 = 30;

static SEQUENCE: AtomicU32 = AtomicU32::new(0);

/// One VM's private network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivateNetwork {
    /// The network namespace's name.
    pub namespace: String,
    /// The TAP device inside it.
    pub tap: String,
    /// The host end of the TAP.
    pub host_address: Ipv4Addr,
    /// The guest's address.
    pub guest_address: Ipv4Addr,
    /// The subnet's prefix length.
    pub prefix_length: u8,
}

impl PrivateNetwork {
    /// The standard plan in namespace `namespace`.
    pub fn new(namespace: String) -> Self {
        Self {
            namespace,
            tap: TAP_NAME.to_owned(),
            host_address: HOST_ADDRESS,
            guest_address: GUEST_ADDRESS,
            prefix_length: PREFIX_LENGTH,
        }
    }

    /// A plan with a namespace name no other VM of this process has used.
    pub fn next_for_this_process() -> Self {
        Self::new(namespace_name(
            std::process::id(),
            SEQUENCE.fetch_add(1, Ordering::Relaxed),
        ))
    }

    /// The namespace's bind mount, which a thread opens to enter it.
    pub fn namespace_path(&self) -> PathBuf {
        PathBuf::from(NAMESPACE_FOLDER).join(&self.namespace)
    }

    /// The guest's side: its address and gateway on the kernel command line (components/tcp-ip).
    pub fn kernel_arguments(&self) -> String {
        format!(
            "ip={}/{} gw={}",
            self.guest_address, self.prefix_length, self.host_address
        )
    }

    /// The `ip` commands (arguments after `ip`) that build the network, in order.
    pub fn setup_commands(&self) -> Vec<Vec<String>> {
        let namespace = self.namespace.as_str();
        let address = format!("{}/{}", self.host_address, self.prefix_length);
        let tap = self.tap.as_str();
        [
            vec!["netns", "add", namespace],
            vec!["-n", namespace, "tuntap", "add", "dev", tap, "mode", "tap"],
            vec!["-n", namespace, "address", "add", &address, "dev", tap],
            vec!["-n", namespace, "link", "set", tap, "up"],
        ]
        .into_iter()
        .map(|words| words.into_iter().map(str::to_owned).collect())
        .collect()
    }

    /// The `ip` command that removes the namespace, and with it the TAP device.
    pub fn teardown_command(&self) -> Vec<String> {
        ["netns", "delete", &self.namespace]
            .map(str::to_owned)
            .to_vec()
    }

    /// The prefix that runs a program inside the namespace: `ip netns exec NAME`.
    pub fn exec_prefix(&self) -> Vec<String> {
        ["netns", "exec", &self.namespace]
            .map(str::to_owned)
            .to_vec()
    }
}

/// `sauce-<pid>-<sequence>`.
pub fn namespace_name(pid: u32, sequence: u32) -> String {
    format!("{NAMESPACE_PREFIX}{pid}-{sequence}")
}

/// The process id in a name made by [`namespace_name`]; `None` for any other name.
pub fn namespace_owner(name: &str) -> Option<u32> {
    let (pid, sequence) = name.strip_prefix(NAMESPACE_PREFIX)?.split_once('-')?;
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
    if !digits(pid) || !digits(sequence) {
        return None;
    }
    sequence.parse::<u32>().ok()?;
    pid.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_vm_and_recognisable() {
        let first = PrivateNetwork::next_for_this_process();
        let second = PrivateNetwork::next_for_this_process();
        assert_ne!(first.namespace, second.namespace);
        assert_eq!(namespace_owner(&first.namespace), Some(std::process::id()));
        assert_eq!(namespace_name(42, 7), "sauce-42-7");
        assert!(first.namespace_path().starts_with("/run/netns"));
    }

    #[test]
    fn only_our_names_have_owners() {
        for name in [
            "sauce-test-1",
            "sauce-12",
            "sauce--3",
            "sauce-1-2-3",
            "other-1-2",
            "sauce-1-x",
            "sauce-99999999999-1",
        ] {
            assert_eq!(namespace_owner(name), None, "{name}");
        }
        assert_eq!(namespace_owner("sauce-123-0"), Some(123));
    }

    #[test]
    fn commands_build_a_tap_with_the_host_address() {
        let network = PrivateNetwork::new("sauce-5-1".to_owned());
        let lines: Vec<String> = network
            .setup_commands()
            .iter()
            .map(|words| words.join(" "))
            .collect();
        assert_eq!(
            lines,
            [
                "netns add sauce-5-1",
                "-n sauce-5-1 tuntap add dev tap0 mode tap",
                "-n sauce-5-1 address add 172.16.0.1/30 dev tap0",
                "-n sauce-5-1 link set tap0 up",
            ]
        );
        assert_eq!(
            network.teardown_command().join(" "),
            "netns delete sauce-5-1"
        );
        assert_eq!(network.exec_prefix().join(" "), "netns exec sauce-5-1");
        assert_eq!(network.kernel_arguments(), "ip=172.16.0.2/30 gw=172.16.0.1");
    }
}
