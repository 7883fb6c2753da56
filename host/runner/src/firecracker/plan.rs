//! One launch, decided before anything starts: the files in its private folder, its network,
//! what Firecracker is told, and the command that starts Firecracker.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::configuration::Definition;
use super::namespace::IP;
use super::network::PrivateNetwork;
use super::{FirecrackerConfig, Network};

/// The API socket's file name in the launch folder.
pub const SOCKET_NAME: &str = "api.sock";
/// The log file's name in the launch folder.
pub const LOG_NAME: &str = "firecracker.log";
/// Firecracker's log level: Info carries the boot-timer report.
pub const LOG_LEVEL: &str = "Info";

/// One launch's decisions.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Firecracker's API socket.
    pub socket: PathBuf,
    /// Firecracker's log (`--log-path`).
    pub log: PathBuf,
    /// The private network, when there is one.
    pub private: Option<PrivateNetwork>,
    /// What Firecracker is told over the API.
    pub definition: Definition,
    /// The program started: Firecracker, or `ip` (`ip netns exec NAME firecracker …`).
    pub program: PathBuf,
    /// Its arguments.
    pub arguments: Vec<OsString>,
}

impl Plan {
    /// The plan for `config`, with files in `folder` and, for [`Network::Private`], the
    /// network `private` (which the caller names).
    pub fn new(config: &FirecrackerConfig, folder: &Path, private: Option<PrivateNetwork>) -> Self {
        let socket = folder.join(SOCKET_NAME);
        let log = folder.join(LOG_NAME);
        let private = match config.network {
            Network::Private { .. } => private,
            Network::None | Network::Tap { .. } => None,
        };
        let tap = match &config.network {
            Network::None => None,
            Network::Private { .. } => private.as_ref().map(|private| private.tap.as_str()),
            Network::Tap { name } => Some(name.as_str()),
        };
        let definition = Definition::new(config, tap, private.as_ref());
        let mut firecracker: Vec<OsString> = vec![
            "--api-sock".into(),
            socket.clone().into(),
            "--log-path".into(),
            log.clone().into(),
            "--level".into(),
            LOG_LEVEL.into(),
        ];
        if config.boot_timer {
            firecracker.push("--boot-timer".into());
        }
        let (program, arguments) = match &private {
            Some(private) => {
                let mut arguments: Vec<OsString> = private
                    .exec_prefix()
                    .into_iter()
                    .map(OsString::from)
                    .collect();
                arguments.push(config.binary.clone().into());
                arguments.extend(firecracker);
                (PathBuf::from(IP), arguments)
            }
            None => (config.binary.clone(), firecracker),
        };
        Self {
            socket,
            log,
            private,
            definition,
            program,
            arguments,
        }
    }

    /// The whole command line, words joined by spaces (for messages and tests).
    pub fn command_line(&self) -> String {
        std::iter::once(self.program.as_os_str())
            .chain(self.arguments.iter().map(OsString::as_os_str))
            .map(|word| word.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::launcher::PortForward;

    #[test]
    fn a_plain_launch_starts_firecracker_itself() {
        let config = FirecrackerConfig::new("/opt/firecracker", "/i.elf");
        let plan = Plan::new(&config, Path::new("/tmp/run"), None);
        assert_eq!(
            plan.command_line(),
            "/opt/firecracker --api-sock /tmp/run/api.sock --log-path /tmp/run/firecracker.log --level Info --boot-timer"
        );
        assert_eq!(plan.definition.network_interface, None);
    }

    #[test]
    fn a_private_network_runs_firecracker_inside_the_namespace() {
        let mut config = FirecrackerConfig::new("/opt/firecracker", "/i.elf");
        config.network = Network::Private {
            port_forwards: vec![PortForward {
                host: 8080,
                guest: 80,
            }],
        };
        config.boot_timer = false;
        let private = PrivateNetwork::new("sauce-9-0".to_owned());
        let plan = Plan::new(&config, Path::new("/tmp/run"), Some(private.clone()));
        assert_eq!(
            plan.command_line(),
            "ip netns exec sauce-9-0 /opt/firecracker --api-sock /tmp/run/api.sock --log-path /tmp/run/firecracker.log --level Info"
        );
        assert_eq!(plan.private, Some(private));
        assert_eq!(
            plan.definition.network_interface.as_ref().unwrap()["host_dev_name"],
            "tap0"
        );
        assert!(plan.definition.boot_source["boot_args"]
            .as_str()
            .unwrap()
            .ends_with("ip=172.16.0.2/30 gw=172.16.0.1"));
    }

    #[test]
    fn a_given_tap_needs_no_namespace() {
        let mut config = FirecrackerConfig::new("/opt/firecracker", "/i.elf");
        config.network = Network::Tap {
            name: "tap-user".to_owned(),
        };
        let plan = Plan::new(
            &config,
            Path::new("/tmp/run"),
            Some(PrivateNetwork::new("unused".to_owned())),
        );
        assert_eq!(plan.private, None);
        assert!(plan.command_line().starts_with("/opt/firecracker "));
        assert_eq!(
            plan.definition.network_interface.as_ref().unwrap()["host_dev_name"],
            "tap-user"
        );
        assert!(!plan.definition.boot_source["boot_args"]
            .as_str()
            .unwrap()
            .contains("ip="));
    }
}
