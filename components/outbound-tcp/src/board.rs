//! The outbound-tcp component's contract with the board: takes `heap` (and runs on the
//! `executor`), provides a `network-service` for the `tcp-ip` component to run and the
//! `tcp-connector` the image's clients open connections with.
use crate::Limits;

pub use crate::dns_servers::{DnsListError, DnsSettings};

/// `[config.*]` of component.toml: the generated board fills every field from the manifest's
/// defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Configuration {
    /// Connections open at once.
    pub max_connections: usize,
    /// Each connection's receive buffer (socket and task side each).
    pub receive_buffer: usize,
    /// Each connection's send buffer (socket and task side each).
    pub send_buffer: usize,
    /// How long opening a connection may take.
    pub connect_timeout_ms: u64,
    /// How long resolving a name may take.
    pub resolve_timeout_ms: u64,
    /// How long a dropped connection may take to close gracefully.
    pub close_timeout_ms: u64,
    /// DNS servers, IPv4 addresses separated by commas, after `lease or ` when a DHCP
    /// lease's servers replace them ([`DnsSettings::parse`]); the command line's `dns=` wins.
    pub dns: &'static str,
}

impl Configuration {
    /// component.toml's defaults: a DHCP lease's DNS servers, else QEMU user networking's.
    pub const DEFAULT: Configuration = Configuration {
        max_connections: 16,
        receive_buffer: 4 * 1024,
        send_buffer: 4 * 1024,
        connect_timeout_ms: 10_000,
        resolve_timeout_ms: 5_000,
        close_timeout_ms: 5_000,
        dns: "lease or 10.0.2.3",
    };

    /// The limits the service keeps, with at most `max_connections` connections.
    pub fn limits(&self, max_connections: usize) -> Limits {
        Limits {
            max_connections: self.max_connections.min(max_connections),
            receive_buffer: self.receive_buffer,
            send_buffer: self.send_buffer,
            connect_timeout_ms: self.connect_timeout_ms,
            resolve_timeout_ms: self.resolve_timeout_ms,
            close_timeout_ms: self.close_timeout_ms,
        }
    }

    /// The heap one connection holds at worst: four buffers and about a kibibyte of
    /// bookkeeping (component.toml's `[memory]`).
    pub const fn connection_bytes(&self) -> usize {
        2 * (self.receive_buffer + self.send_buffer) + 1024
    }
}

#[cfg(target_os = "none")]
pub use kernel::init;

#[cfg(target_os = "none")]
mod kernel {
    use sauce_core::command_line::CommandLine;
    use sauce_core::memory::HeapMonitor;

    use super::*;
    use crate::{OutboundService, TcpConnector};

    /// The service and its handle: at most as many connections as fit in half the heap free
    /// now (at least one), DNS servers from the command line's `dns=` or the configuration
    /// (and a DHCP lease, where it says `lease or …`).
    /// Stops the VM with the cause when the server list is wrong.
    pub fn init(
        heap: &'static dyn HeapMonitor,
        configuration: Configuration,
        command_line: &CommandLine<'_>,
    ) -> (OutboundService, TcpConnector) {
        let servers = command_line.get("dns").unwrap_or(configuration.dns);
        let servers =
            DnsSettings::parse(servers).unwrap_or_else(|error| panic!("outbound-tcp: {error}"));
        let fitting = (heap.free_bytes() / 2 / configuration.connection_bytes()).max(1);
        let seed = sauce_runtime::arch::cpu::read_time_stamp_counter();
        OutboundService::new(configuration.limits(fitting), servers, seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest default as a number: sizes (`"4KiB"`) in bytes, durations (`"10s"`) in
    /// milliseconds.
    fn number(value: &toml::Value) -> u64 {
        if let Some(integer) = value.as_integer() {
            return integer as u64;
        }
        let text = value.as_str().unwrap();
        let split = text.find(|c: char| !c.is_ascii_digit()).unwrap();
        let (digits, unit) = text.split_at(split);
        let scale = match unit {
            "KiB" => 1024,
            "s" => 1000,
            "ms" => 1,
            other => panic!("unit {other}"),
        };
        digits.parse::<u64>().unwrap() * scale
    }

    #[test]
    fn the_defaults_are_the_manifests() {
        let manifest: toml::Table =
            toml::from_str(include_str!("../component.toml")).expect("component.toml parses");
        let default = |key: &str| &manifest["config"][key]["default"];
        let ours = Configuration::DEFAULT;
        assert_eq!(default("dns").as_str(), Some(ours.dns));
        for (key, value) in [
            ("max_connections", ours.max_connections as u64),
            ("receive_buffer", ours.receive_buffer as u64),
            ("send_buffer", ours.send_buffer as u64),
            ("connect_timeout_ms", ours.connect_timeout_ms),
            ("resolve_timeout_ms", ours.resolve_timeout_ms),
            ("close_timeout_ms", ours.close_timeout_ms),
        ] {
            assert_eq!(number(default(key)), value, "{key}");
        }
        assert_eq!(manifest["config"].as_table().unwrap().len(), 7);
    }

    #[test]
    fn the_default_leaves_dns_to_a_lease_and_the_heap_caps_connections() {
        let settings = DnsSettings::parse(Configuration::DEFAULT.dns).unwrap();
        assert!(settings.from_lease);
        assert_eq!(
            settings.servers,
            [smoltcp::wire::Ipv4Address::new(10, 0, 2, 3)]
        );
        assert_eq!(
            Configuration::DEFAULT.limits(4).max_connections,
            4,
            "the heap caps the configured connections"
        );
    }
}
