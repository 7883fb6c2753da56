//! [`NetworkStack`]: one Ethernet device, its `smoltcp` interface and the sockets on it.
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

use smoltcp::iface::{
    Config, Interface, PollIngressSingleResult, PollResult, SocketHandle, SocketSet,
};
use smoltcp::phy::Device;
use smoltcp::socket::AnySocket;
use smoltcp::time::Instant;
use smoltcp::wire::{EthernetAddress, HardwareAddress, IpAddress, IpCidr, Ipv4Address, Ipv4Cidr};

use crate::address_client::{AddressClient, NetworkEvent};
use crate::configuration::{Addressing, ConfigurationError, NetworkConfiguration};
use crate::gateway_warm_up::ArpRequest;
use crate::service::{Activity, NetworkService, Sockets};
use crate::syn_gate::{GatedDevice, SynGates};

/// Rounds of serve-then-poll in one [`NetworkStack::step`] before it gives the caller a turn.
const ROUNDS_PER_STEP: usize = 4;

#[cfg(test)]
mod tests;

/// What one [`NetworkStack::poll_limited`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Polled {
    /// Some socket may have changed: serve the sockets, then poll again before sleeping.
    pub activity: bool,
    /// The frame limit was reached: more frames may be waiting in the device.
    pub more_frames: bool,
    /// Frames received.
    pub frames: usize,
}

/// A TCP/IPv4 stack on one Ethernet device, sans-IO: time comes in as milliseconds.
///
/// The caller polls it whenever the device interrupts or [`poll_delay`](Self::poll_delay)
/// elapses, and moves data through its sockets between polls.
pub struct NetworkStack<D: Device> {
    device: D,
    interface: Interface,
    sockets: SocketSet<'static>,
    mac: EthernetAddress,
    /// The client leasing the address, with [`Addressing::Dhcp`].
    address_client: Option<Box<dyn AddressClient>>,
    /// A gateway whose ARP request is still to be sent (see `gateway_warm_up`).
    unresolved_gateway: Option<Ipv4Address>,
    /// The latest event not yet taken.
    event: Option<NetworkEvent>,
    /// SYNs to a served port beyond its listening sockets are held, not reset.
    syn_gate: SynGates,
    /// What wakes the loop that polls this stack ([`Sockets::wake_signal`]).
    wake: Option<&'static sauce_core::signal::InterruptSignal>,
}

impl<D: Device> fmt::Debug for NetworkStack<D> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("NetworkStack")
            .field("mac", &self.mac)
            .field("address", &self.address())
            .field(
                "address_client",
                &self.address_client.as_ref().map(|client| client.name()),
            )
            .field("unresolved_gateway", &self.unresolved_gateway)
            .finish_non_exhaustive()
    }
}

/// `smoltcp`'s time from the caller's milliseconds.
fn instant(now_ms: u64) -> Instant {
    Instant::from_millis(i64::try_from(now_ms).unwrap_or(i64::MAX))
}

impl<D: Device> NetworkStack<D> {
    /// Brings the interface up at `now_ms` with a static address: it is usable at once, and
    /// the first [`poll`](Self::poll) sends one ARP request for the gateway. `random_seed`
    /// seeds TCP sequence numbers and ephemeral ports: give each boot a different one.
    ///
    /// With [`Addressing::Dhcp`] this fails with [`ConfigurationError::NoAddressClient`]: an
    /// image that may lease its address brings the stack up with
    /// [`with_address_client`](Self::with_address_client) instead.
    pub fn new(
        device: D,
        configuration: NetworkConfiguration,
        now_ms: u64,
        random_seed: u64,
    ) -> Result<NetworkStack<D>, ConfigurationError<'static>> {
        if configuration.address == Addressing::Dhcp {
            return Err(ConfigurationError::NoAddressClient);
        }
        NetworkStack::start(device, configuration, now_ms, random_seed, None)
    }

    /// Brings the interface up like [`new`](Self::new), but with [`Addressing::Dhcp`] it
    /// starts `client` (the `dhcp-client` component), which leases the address; until then
    /// the interface has none. With a static address the client is dropped unused (the
    /// command line's `ip=` chose a static address over the board's `dhcp`).
    pub fn with_address_client(
        device: D,
        configuration: NetworkConfiguration,
        now_ms: u64,
        random_seed: u64,
        client: Box<dyn AddressClient>,
    ) -> Result<NetworkStack<D>, ConfigurationError<'static>> {
        NetworkStack::start(device, configuration, now_ms, random_seed, Some(client))
    }

    fn start(
        mut device: D,
        configuration: NetworkConfiguration,
        now_ms: u64,
        random_seed: u64,
        client: Option<Box<dyn AddressClient>>,
    ) -> Result<NetworkStack<D>, ConfigurationError<'static>> {
        configuration.check()?;
        let mac = EthernetAddress(configuration.mac);
        let mut interface_configuration = Config::new(HardwareAddress::Ethernet(mac));
        interface_configuration.random_seed = random_seed;
        let interface = Interface::new(interface_configuration, &mut device, instant(now_ms));
        let mut stack = NetworkStack {
            device,
            interface,
            sockets: SocketSet::new(Vec::with_capacity(configuration.socket_capacity)),
            mac,
            address_client: None,
            unresolved_gateway: None,
            event: None,
            syn_gate: SynGates::default(),
            wake: None,
        };
        match (configuration.address, client) {
            (Addressing::Static(address), _) => {
                stack.set_address(Some(address), configuration.gateway);
            }
            (Addressing::Dhcp, Some(mut client)) => {
                client.start(&mut stack.sockets);
                stack.address_client = Some(client);
            }
            (Addressing::Dhcp, None) => return Err(ConfigurationError::NoAddressClient),
        }
        Ok(stack)
    }

    /// Receives what the device holds, runs the timers, transmits what the sockets queued and
    /// applies what the address client (DHCP) learned. Returns whether any socket may have
    /// changed (then serve the sockets and poll again before sleeping).
    pub fn poll(&mut self, now_ms: u64) -> bool {
        self.poll_limited(now_ms, usize::MAX).activity
    }

    /// [`poll`](Self::poll), receiving at most `frames` frames: a caller that must prepare for
    /// what frames bring (a listening socket for each SYN) polls again when
    /// [`Polled::more_frames`] says some may be waiting.
    pub fn poll_limited(&mut self, now_ms: u64, frames: usize) -> Polled {
        let mut polled = self.receive(now_ms, frames);
        let timestamp = instant(now_ms);
        while self
            .interface
            .poll_egress(timestamp, &mut self.device, &mut self.sockets)
            == PollResult::SocketStateChanged
        {
            polled.activity = true;
        }
        if self.apply_address_client() {
            self.warm_up_gateway(timestamp);
            polled.activity = true;
        }
        polled
    }

    /// The receiving half of [`poll_limited`](Self::poll_limited): at most `frames` frames in,
    /// nothing queued in the sockets sent (answers the device's receive path makes itself, such
    /// as ARP replies and resets, still leave). A caller that is about to write to the sockets
    /// receives, serves, then polls, and sends acknowledgements with its data.
    pub fn receive(&mut self, now_ms: u64, frames: usize) -> Polled {
        let timestamp = instant(now_ms);
        let mut polled = Polled {
            activity: self.warm_up_gateway(timestamp),
            ..Polled::default()
        };
        self.interface.poll_maintenance(timestamp);
        loop {
            if polled.frames == frames {
                polled.more_frames = true;
                break;
            }
            let mut device = GatedDevice {
                device: &mut self.device,
                gate: &mut self.syn_gate,
            };
            match self
                .interface
                .poll_ingress_single(timestamp, &mut device, &mut self.sockets)
            {
                PollIngressSingleResult::None => break,
                PollIngressSingleResult::PacketProcessed => {}
                PollIngressSingleResult::SocketStateChanged => polled.activity = true,
            }
            polled.frames += 1;
        }
        polled
    }

    /// The sockets as a [`NetworkService`] sees them.
    pub fn sockets(&mut self) -> Sockets<'_> {
        Sockets {
            set: &mut self.sockets,
            interface: &mut self.interface,
            gate: &mut self.syn_gate,
            wake: self.wake,
        }
    }

    /// Names the signal that wakes the loop polling this stack, for services whose work
    /// finishes elsewhere ([`Sockets::wake_signal`]).
    pub fn set_wake_signal(&mut self, wake: &'static sauce_core::signal::InterruptSignal) {
        self.wake = Some(wake);
    }

    /// One turn of the network loop at `now_ms` for `services` (one service, or a tuple of
    /// them): receive what the device holds (no more frames than the most constrained service
    /// can take), let each service serve,
    /// send what they queued, and repeat while anything moves (a few rounds at most); then
    /// returns when to run again at the latest: after a device interrupt, or at this time.
    /// `Some(t)` with `t <= now_ms` means at once.
    pub fn step<S: NetworkService + ?Sized>(
        &mut self,
        services: &mut S,
        now_ms: u64,
    ) -> Option<u64> {
        // What arrived is served before anything is sent: acknowledgements leave with answers.
        let received = self.receive(now_ms, services.frame_budget());
        services.received(received.frames);
        for _ in 0..ROUNDS_PER_STEP {
            let activity = services.serve(&mut self.sockets(), now_ms);
            let polled = self.poll_limited(now_ms, services.frame_budget());
            services.received(polled.frames);
            if !activity.progressed && !polled.activity && !polled.more_frames {
                let deadline = Activity::earliest(activity.deadline_ms, services.tick(now_ms));
                return Activity::earliest(deadline, self.poll_at(now_ms));
            }
        }
        Some(now_ms)
    }

    /// How long the caller may sleep (absent device interrupts) before the next
    /// [`poll`](Self::poll): `Some(0)` means poll now, `None` means only a packet can wake it.
    pub fn poll_delay(&mut self, now_ms: u64) -> Option<u64> {
        if self.warm_up_pending() {
            return Some(0);
        }
        self.interface
            .poll_delay(instant(now_ms), &self.sockets)
            .map(|delay| delay.total_millis())
    }

    /// [`poll_delay`](Self::poll_delay) as a time: when to poll at the latest.
    pub fn poll_at(&mut self, now_ms: u64) -> Option<u64> {
        self.poll_delay(now_ms)
            .map(|delay| now_ms.saturating_add(delay))
    }

    /// The latest [`NetworkEvent`] not yet taken; an older one is replaced by a newer one.
    pub fn take_event(&mut self) -> Option<NetworkEvent> {
        self.event.take()
    }

    /// The interface's address and prefix length; none while DHCP has no lease.
    pub fn address(&self) -> Option<Ipv4Cidr> {
        let address = self.interface.ipv4_addr()?;
        self.interface
            .ip_addrs()
            .iter()
            .find(|cidr| cidr.address() == IpAddress::from(address))
            .map(|cidr| Ipv4Cidr::new(address, cidr.prefix_len()))
    }

    /// Adds a socket, in a reserved slot while fewer than
    /// [`NetworkConfiguration::socket_capacity`] are in use (allocating beyond that).
    pub fn add_socket<T: AnySocket<'static>>(&mut self, socket: T) -> SocketHandle {
        self.sockets.add(socket)
    }

    /// The socket behind `handle`; panics if `handle` is not a `T` of this stack.
    pub fn socket<T: AnySocket<'static>>(&self, handle: SocketHandle) -> &T {
        self.sockets.get(handle)
    }

    /// The socket behind `handle`, to change; panics if `handle` is not a `T` of this stack.
    pub fn socket_mut<T: AnySocket<'static>>(&mut self, handle: SocketHandle) -> &mut T {
        self.sockets.get_mut(handle)
    }

    /// The interface and the sockets together, for calls that need both (such as
    /// `tcp::Socket::connect`, which takes `interface.context()`).
    pub fn interface_and_sockets(&mut self) -> (&mut Interface, &mut SocketSet<'static>) {
        (&mut self.interface, &mut self.sockets)
    }

    /// The `smoltcp` interface.
    pub fn interface(&self) -> &Interface {
        &self.interface
    }

    /// The device.
    pub fn device(&self) -> &D {
        &self.device
    }

    /// The device, to change (for example to acknowledge its interrupt).
    pub fn device_mut(&mut self) -> &mut D {
        &mut self.device
    }

    fn set_address(&mut self, address: Option<Ipv4Cidr>, gateway: Option<Ipv4Address>) {
        self.interface.update_ip_addrs(|addresses| {
            addresses.clear();
            if let Some(address) = address {
                // Cannot fail: the list was just emptied and holds at least one address.
                let _ = addresses.push(IpCidr::Ipv4(address));
            }
        });
        let routes = self.interface.routes_mut();
        match gateway {
            Some(gateway) => {
                // Cannot fail: the default route replaces the previous one.
                let _ = routes.add_default_ipv4_route(gateway);
            }
            None => {
                routes.remove_default_ipv4_route();
            }
        }
        self.unresolved_gateway = gateway.filter(|_| address.is_some());
    }

    fn warm_up_pending(&self) -> bool {
        self.unresolved_gateway.is_some() && self.interface.ipv4_addr().is_some()
    }

    /// Sends the gateway's ARP request if one is due; whether a frame left.
    fn warm_up_gateway(&mut self, timestamp: Instant) -> bool {
        let (Some(target), Some(source)) = (self.unresolved_gateway, self.interface.ipv4_addr())
        else {
            return false;
        };
        let request = ArpRequest {
            mac: self.mac,
            source,
            target,
        };
        let sent = request.transmit(&mut self.device, timestamp);
        if sent {
            self.unresolved_gateway = None;
        }
        sent
    }

    /// Applies what the address client learned since the last poll; whether anything changed.
    fn apply_address_client(&mut self) -> bool {
        let Some(client) = self.address_client.as_mut() else {
            return false;
        };
        let Some(event) = client.poll(&mut self.sockets) else {
            return false;
        };
        match event {
            NetworkEvent::Leased {
                address, gateway, ..
            } => self.set_address(Some(address), gateway),
            NetworkEvent::LeaseLost => self.set_address(None, None),
        }
        self.event = Some(event);
        true
    }

    /// The address client's name (`dhcp`), if the stack runs one.
    pub fn address_client_name(&self) -> Option<&'static str> {
        self.address_client.as_ref().map(|client| client.name())
    }
}
