//! The tcp-ip component's contract with the board: takes `net-device`, an `address-client`
//! when one is selected, and every `network-service`; provides `tcp-ip`, the network loop the
//! executor runs.
//!
//! Address, gateway, DHCP and the loop belong here, not to any protocol: an image that serves
//! HTTP, one that echoes TCP and one that only talks to a database all run this loop.
use sauce_core::memory::HeapMonitor;
use smoltcp::wire::{Ipv4Address, Ipv4Cidr};

use crate::Addressing;

/// `[config.*]` of component.toml: the generated board fills every field from the
/// manifest's defaults or the intent's `[network]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Configuration {
    /// The interface's address (`[network] ip`); the command line's `ip=` wins.
    pub address: Addressing,
    /// The default gateway (`[network] gateway`); the command line's `gw=` wins.
    pub gateway: Option<Ipv4Address>,
}

impl Configuration {
    /// component.toml's defaults: QEMU user networking's guest address and gateway.
    pub const DEFAULT: Configuration = Configuration {
        address: Addressing::Static(Ipv4Cidr::new(Ipv4Address::new(10, 0, 2, 15), 24)),
        gateway: Some(Ipv4Address::new(10, 0, 2, 2)),
    };
}

/// The heap the board leaves to everything but the network services' connections: an eighth
/// of what is free once the drivers are up, at least this much (docs/design/0012).
pub const HEAP_SLACK_BYTES: usize = 128 * 1024;

/// The heap one of `services` network services may fill with every buffer of every socket it
/// plans for: what is free now, less the slack, shared equally.
pub fn heap_share(heap: &dyn HeapMonitor, services: usize) -> usize {
    let free = heap.free_bytes();
    free.saturating_sub((free / 8).max(HEAP_SLACK_BYTES)) / services.max(1)
}

/// The socket slots the stack reserves: every socket each service may add, and the address
/// client's.
pub fn socket_capacity(services: &impl crate::NetworkService, address_client: bool) -> usize {
    services.sockets() + usize::from(address_client)
}

#[cfg(target_os = "none")]
pub use kernel::{init, Network};

#[cfg(target_os = "none")]
mod kernel {
    use alloc::boxed::Box;
    use core::fmt;

    use sauce_core::command_line::CommandLine;
    use sauce_core::net::NetworkDevice;
    use sauce_core::signal::InterruptSignal;
    use sauce_executor::{Instant, WaitUntil};
    use smoltcp::phy::Device;

    use super::{socket_capacity, Configuration};
    use crate::{AddressClient, NetworkConfiguration, NetworkService, NetworkStack};

    /// How long a polled device waits between looks.
    const POLL_INTERVAL_MS: u64 = 1;

    fn milliseconds() -> u64 {
        sauce_runtime::clock::now_nanoseconds() / 1_000_000
    }

    /// The stack, its services (one, or a tuple) and its device's signal: what the network
    /// task runs.
    pub struct Network<D: Device, S: NetworkService> {
        stack: NetworkStack<D>,
        services: S,
        interrupt: &'static InterruptSignal,
        interrupt_driven: bool,
    }

    impl<D: Device, S: NetworkService> fmt::Debug for Network<D, S> {
        fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter
                .debug_struct("Network")
                .field("stack", &self.stack)
                .field("sockets", &self.services.sockets())
                .field("interrupt_driven", &self.interrupt_driven)
                .finish()
        }
    }

    /// Brings the stack up on `net_device` with `configuration` (the command line's `ip=` and
    /// `gw=` win), leasing its address through `address_client` when the address is `dhcp`,
    /// with room for every socket of `services`; each service adds its listeners now, so a
    /// client that connects as soon as the image is ready is not refused. Stops the VM with
    /// the cause when the settings are wrong.
    pub fn init<D: Device, S: NetworkService>(
        net_device: NetworkDevice<D>,
        address_client: Option<Box<dyn AddressClient>>,
        mut services: S,
        configuration: Configuration,
        command_line: &CommandLine<'_>,
    ) -> Network<D, S> {
        let defaults = NetworkConfiguration {
            address: configuration.address,
            gateway: configuration.gateway,
            mac: net_device.mac,
            socket_capacity: socket_capacity(&services, address_client.is_some()),
        };
        let configuration =
            NetworkConfiguration::from_command_line(defaults, |key| command_line.get(key))
                .unwrap_or_else(|error| panic!("network configuration: {error}"));
        let seed = sauce_runtime::arch::cpu::read_time_stamp_counter();
        let started = match address_client {
            Some(client) => NetworkStack::with_address_client(
                net_device.device,
                configuration,
                milliseconds(),
                seed,
                client,
            ),
            None => NetworkStack::new(net_device.device, configuration, milliseconds(), seed),
        };
        let mut stack = started.unwrap_or_else(|error| panic!("network: {error}"));
        stack.set_wake_signal(net_device.interrupt);
        services.start(&mut stack.sockets());
        Network {
            stack,
            services,
            interrupt: net_device.interrupt,
            interrupt_driven: net_device.interrupt_driven,
        }
    }

    impl<D: Device + 'static, S: NetworkService + 'static> Network<D, S> {
        /// Logs the address, how the device signals, and each service's plan (after the
        /// image is ready: formatting is costly the first time it runs under TCG).
        pub fn log_ready(&self) {
            let mode = if self.interrupt_driven {
                "interrupt-driven"
            } else {
                "polled"
            };
            match self.stack.address() {
                Some(address) => sauce_runtime::info!("network: {address}, {mode}"),
                None => sauce_runtime::info!("network: waiting for DHCP, {mode}"),
            }
            self.services
                .each_service(&mut |service| sauce_runtime::info!("{}", Summary(service)));
        }

        /// The network task: one step of the stack over every service, then sleep until the
        /// device interrupts or the earliest deadline.
        pub async fn serve(mut self) {
            loop {
                let now = milliseconds();
                let mut deadline = self.stack.step(&mut self.services, now);
                if let Some(event) = self.stack.take_event() {
                    sauce_runtime::info!("network: {event}");
                    self.services
                        .network_changed(&event, &mut self.stack.sockets(), &mut |line| {
                            sauce_runtime::info!("{line}")
                        });
                    // What the services changed (a DNS query now possible) runs at once.
                    deadline = Some(now);
                }
                if !self.interrupt_driven {
                    let next_look = now + POLL_INTERVAL_MS;
                    deadline = Some(deadline.map_or(next_look, |deadline| deadline.min(next_look)));
                }
                let wake =
                    deadline.map_or(u64::MAX / 2, |deadline| deadline.saturating_mul(1_000_000));
                self.interrupt
                    .wait_until(Instant::from_nanoseconds(wake))
                    .await;
            }
        }
    }

    /// A service's summary as a log line's text.
    struct Summary<'a>(&'a dyn NetworkService);

    impl fmt::Display for Summary<'_> {
        fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.summary(formatter)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sauce_core::memory::HeapStatistics;

    struct Free(usize);

    impl HeapMonitor for Free {
        fn statistics(&self) -> HeapStatistics {
            HeapStatistics {
                in_use: 0,
                high_water: 0,
                capacity: self.0,
            }
        }
    }

    #[test]
    fn services_share_the_heap_less_the_slack() {
        let mebibyte = 1024 * 1024;
        assert_eq!(heap_share(&Free(8 * mebibyte), 1), 7 * mebibyte);
        assert_eq!(heap_share(&Free(8 * mebibyte), 2), 7 * mebibyte / 2);
        assert_eq!(heap_share(&Free(512 * 1024), 1), 384 * 1024);
        assert_eq!(heap_share(&Free(64 * 1024), 1), 0);
        assert_eq!(heap_share(&Free(8 * mebibyte), 0), 7 * mebibyte);
    }

    #[test]
    fn the_defaults_are_the_manifests() {
        let manifest: toml::Table =
            toml::from_str(include_str!("../component.toml")).expect("component.toml parses");
        let default = |key: &str| {
            manifest["config"][key]["default"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(
            Configuration::DEFAULT.address,
            Addressing::parse(&default("address")).unwrap()
        );
        assert_eq!(
            Configuration::DEFAULT.gateway,
            crate::parse_gateway(&default("gateway")).unwrap()
        );
    }
}
