//! [`DhcpClient`]: `smoltcp`'s DHCP socket as the stack's address client.
use smoltcp::iface::{SocketHandle, SocketSet};
use smoltcp::socket::dhcpv4;

use sauce_tcp_ip::{AddressClient, DnsServers, NetworkEvent};

/// A DHCPv4 client: one `smoltcp` DHCP socket in the stack's socket set.
#[derive(Debug, Default)]
pub struct DhcpClient {
    /// The socket, once [`start`](AddressClient::start)ed.
    socket: Option<SocketHandle>,
    /// Whether a lease is held (to tell a lost lease from the start-up `Deconfigured`).
    leased: bool,
}

impl DhcpClient {
    /// A client not started yet; give it to `NetworkStack::with_address_client`.
    pub const fn new() -> DhcpClient {
        DhcpClient {
            socket: None,
            leased: false,
        }
    }
}

impl AddressClient for DhcpClient {
    fn name(&self) -> &'static str {
        "dhcp"
    }

    fn start(&mut self, sockets: &mut SocketSet<'static>) {
        if self.socket.is_none() {
            self.socket = Some(sockets.add(dhcpv4::Socket::new()));
        }
    }

    fn poll(&mut self, sockets: &mut SocketSet<'static>) -> Option<NetworkEvent> {
        let handle = self.socket?;
        let event = match sockets.get_mut::<dhcpv4::Socket>(handle).poll()? {
            dhcpv4::Event::Configured(lease) => NetworkEvent::Leased {
                address: lease.address,
                gateway: lease.router,
                dns_servers: DnsServers::new(&lease.dns_servers),
            },
            // The socket also reports this once at start, before any lease: nothing to undo.
            dhcpv4::Event::Deconfigured if !self.leased => return None,
            dhcpv4::Event::Deconfigured => NetworkEvent::LeaseLost,
        };
        self.leased = matches!(event, NetworkEvent::Leased { .. });
        Some(event)
    }
}

#[cfg(test)]
mod tests;
