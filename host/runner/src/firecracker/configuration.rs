//! The VM's settings in Firecracker's words: the API request bodies, the same settings as a
//! `--config-file` document, and the kernel command line.

use serde_json::{json, Value};

use super::network::PrivateNetwork;
use super::FirecrackerConfig;

/// Where Firecracker's `--boot-timer` device listens (its first MMIO window, 3 GiB).
pub const BOOT_TIMER_ADDRESS: u64 = 0xC000_0000;
/// The kernel argument that tells the guest to write 123 to the boot-timer device when ready.
/// Only Firecracker launches add it: nothing else answers at that address.
pub const BOOT_TIMER_ARGUMENT: &str = "sauce.boot_timer=0xc0000000";
/// The guest network interface's name in Firecracker's API.
pub const INTERFACE_ID: &str = "eth0";
/// The guest's MAC address: locally administered, unicast.
pub const GUEST_MAC: &str = "06:00:ac:10:00:02";

/// Everything Firecracker is told about one VM.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    /// `PUT /boot-source`.
    pub boot_source: Value,
    /// `PUT /machine-config`.
    pub machine_config: Value,
    /// `PUT /network-interfaces/eth0`, when the guest has a network device.
    pub network_interface: Option<Value>,
}

impl Definition {
    /// The definition for `config`, whose TAP device is `tap` (if any) and whose private
    /// network (if any) gives the guest its address.
    pub fn new(
        config: &FirecrackerConfig,
        tap: Option<&str>,
        private: Option<&PrivateNetwork>,
    ) -> Self {
        // Absolute: Firecracker resolves a relative path against its own working directory.
        let image = std::path::absolute(&config.image).unwrap_or_else(|_| config.image.clone());
        Self {
            boot_source: json!({
                "kernel_image_path": image.to_string_lossy(),
                "boot_args": kernel_command_line(config, private),
            }),
            machine_config: json!({
                "vcpu_count": config.vcpus,
                "mem_size_mib": config.memory.mebibytes_rounded_up(),
            }),
            network_interface: tap.map(|tap| {
                json!({ "iface_id": INTERFACE_ID, "guest_mac": GUEST_MAC, "host_dev_name": tap })
            }),
        }
    }

    /// The configuration requests in the order they are sent, before `InstanceStart`.
    pub fn requests(&self) -> Vec<(String, &Value)> {
        let mut requests = vec![
            ("/boot-source".to_owned(), &self.boot_source),
            ("/machine-config".to_owned(), &self.machine_config),
        ];
        if let Some(interface) = &self.network_interface {
            requests.push((format!("/network-interfaces/{INTERFACE_ID}"), interface));
        }
        requests
    }

    /// The same settings as a document for `firecracker --config-file` (which wants `drives`,
    /// even empty).
    pub fn config_file(&self) -> Value {
        json!({
            "boot-source": self.boot_source,
            "drives": [],
            "machine-config": self.machine_config,
            "network-interfaces": self.network_interface.iter().collect::<Vec<_>>(),
        })
    }
}

/// `PUT /actions` starting the guest.
pub fn instance_start() -> Value {
    json!({ "action_type": "InstanceStart" })
}

/// `PUT /actions` pressing Ctrl-Alt-Del on the guest's i8042 keyboard controller.
pub fn send_ctrl_alt_del() -> Value {
    json!({ "action_type": "SendCtrlAltDel" })
}

/// The guest's command line: the user's (or the default), then the boot-timer argument, then
/// the private network's address (last, so it wins: the relay depends on it).
pub fn kernel_command_line(config: &FirecrackerConfig, private: Option<&PrivateNetwork>) -> String {
    let mut line = if config.append.trim().is_empty() {
        crate::qemu::DEFAULT_APPEND.to_owned()
    } else {
        config.append.trim().to_owned()
    };
    if config.boot_timer {
        line.push(' ');
        line.push_str(BOOT_TIMER_ARGUMENT);
    }
    if config.boot_facts {
        line.push_str(&crate::boot_facts::arguments());
    }
    if let Some(private) = private {
        line.push(' ');
        line.push_str(&private.kernel_arguments());
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::firecracker::Network;
    use sauce_intent::MemorySize;

    fn config() -> FirecrackerConfig {
        FirecrackerConfig::new("/fc", "/images/hello.elf")
    }

    #[test]
    fn the_command_line_gets_the_boot_timer_and_the_address() {
        let mut config = config();
        assert_eq!(
            kernel_command_line(&config, None),
            "sauce sauce.boot_timer=0xc0000000"
        );
        config.append = " loglevel=debug ip=10.0.0.9/8 ".to_owned();
        config.boot_timer = false;
        let private = PrivateNetwork::new("sauce-1-0".to_owned());
        assert_eq!(
            kernel_command_line(&config, Some(&private)),
            "loglevel=debug ip=10.0.0.9/8 ip=172.16.0.2/30 gw=172.16.0.1"
        );
    }

    #[test]
    fn requests_follow_the_api_order() {
        let mut config = config();
        config.memory = MemorySize::from_bytes(33 * 1024 * 1024 - 1);
        config.network = Network::Tap {
            name: "tap7".to_owned(),
        };
        let definition = Definition::new(&config, Some("tap7"), None);
        let requests = definition.requests();
        let paths: Vec<&str> = requests.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/boot-source",
                "/machine-config",
                "/network-interfaces/eth0"
            ]
        );
        assert_eq!(*requests[1].1, json!({"vcpu_count": 1, "mem_size_mib": 33}));
        assert_eq!(
            *requests[2].1,
            json!({"iface_id": "eth0", "guest_mac": "06:00:ac:10:00:02", "host_dev_name": "tap7"})
        );
        assert_eq!(requests[0].1["kernel_image_path"], "/images/hello.elf");
        config.image = "relative/hello.elf".into();
        let definition = Definition::new(&config, None, None);
        let path = definition.boot_source["kernel_image_path"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            path.starts_with('/') && path.ends_with("/relative/hello.elf"),
            "{path}"
        );
    }

    #[test]
    fn the_config_file_has_every_section() {
        let definition = Definition::new(&config(), None, None);
        assert_eq!(definition.requests().len(), 2);
        let file = definition.config_file();
        assert_eq!(
            file,
            json!({
                "boot-source": {"kernel_image_path": "/images/hello.elf", "boot_args": "sauce sauce.boot_timer=0xc0000000"},
                "drives": [],
                "machine-config": {"vcpu_count": 1, "mem_size_mib": 32},
                "network-interfaces": [],
            })
        );
    }

    #[test]
    fn actions_name_themselves() {
        assert_eq!(instance_start()["action_type"], "InstanceStart");
        assert_eq!(send_ctrl_alt_del()["action_type"], "SendCtrlAltDel");
    }
}
