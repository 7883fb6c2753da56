//! The hook for a component that sets the interface's address while the stack runs: the
//! `dhcp-client` component implements it. A static-address image has no such component, so
//! it carries no DHCP code (not even `smoltcp`'s: its DHCP features are enabled by the
//! `dhcp-client` crate, not by this one).
use core::fmt;

use smoltcp::iface::SocketSet;
use smoltcp::wire::{Ipv4Address, Ipv4Cidr};

/// The DNS servers a lease names, in the lease's order: at most
/// [`MAX`](DnsServers::MAX), kept in place so a [`NetworkEvent`] stays `Copy`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DnsServers {
    addresses: [Option<Ipv4Address>; DnsServers::MAX],
}

impl DnsServers {
    /// The most servers kept (DHCP leases name up to three in `smoltcp`; outbound
    /// connections ask up to four).
    pub const MAX: usize = 4;

    /// The first [`MAX`](Self::MAX) of `servers`.
    pub fn new(servers: &[Ipv4Address]) -> DnsServers {
        let mut addresses = [None; DnsServers::MAX];
        for (slot, server) in addresses.iter_mut().zip(servers) {
            *slot = Some(*server);
        }
        DnsServers { addresses }
    }

    /// The servers, in order.
    pub fn iter(&self) -> impl Iterator<Item = Ipv4Address> + '_ {
        self.addresses.iter().map_while(|server| *server)
    }

    /// Whether the lease names none.
    pub fn is_empty(&self) -> bool {
        self.addresses[0].is_none()
    }
}

impl fmt::Display for DnsServers {
    /// `10.0.2.3, 1.1.1.1`, or `none`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return formatter.write_str("none");
        }
        for (index, server) in self.iter().enumerate() {
            let separator = if index == 0 { "" } else { ", " };
            write!(formatter, "{separator}{server}")?;
        }
        Ok(())
    }
}

/// A change of the interface's address that an [`AddressClient`] learned; the stack applies
/// it and keeps it for [`NetworkStack::take_event`](crate::NetworkStack::take_event), and
/// the network loop hands it to every service
/// ([`NetworkService::network_changed`](crate::NetworkService::network_changed)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkEvent {
    /// An address was leased (or the lease renewed with new settings).
    Leased {
        /// The leased address and prefix length.
        address: Ipv4Cidr,
        /// The lease's router, now the default gateway.
        gateway: Option<Ipv4Address>,
        /// The lease's DNS servers (outbound connections resolve names with them unless
        /// the intent named its own).
        dns_servers: DnsServers,
    },
    /// The lease ended (expired or refused): no address until the next one.
    LeaseLost,
}

impl fmt::Display for NetworkEvent {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Leased {
                address,
                gateway,
                dns_servers,
            } => {
                write!(formatter, "leased {address}, ")?;
                match gateway {
                    Some(gateway) => write!(formatter, "gateway {gateway}")?,
                    None => formatter.write_str("no gateway")?,
                }
                write!(formatter, ", DNS {dns_servers}")
            }
            Self::LeaseLost => write!(formatter, "lease lost"),
        }
    }
}

/// Something that leases the interface's address over the network (DHCP).
///
/// The stack calls [`start`](Self::start) once, when it comes up with
/// [`Addressing::Dhcp`](crate::Addressing::Dhcp), and [`poll`](Self::poll) after every poll
/// of the interface. The client's sockets live in the stack's socket set, so the interface
/// polls them (and their timers count in `poll_delay`) like any other socket.
pub trait AddressClient {
    /// A short name for log lines (`dhcp`).
    fn name(&self) -> &'static str;

    /// Adds the client's sockets to `sockets`.
    fn start(&mut self, sockets: &mut SocketSet<'static>);

    /// What changed since the last call, if anything.
    fn poll(&mut self, sockets: &mut SocketSet<'static>) -> Option<NetworkEvent>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn dns_servers_keep_the_first_four_in_order() {
        let servers: [Ipv4Address; 5] =
            core::array::from_fn(|index| Ipv4Address::new(10, 0, 2, index as u8 + 1));
        let kept = DnsServers::new(&servers);
        assert_eq!(kept.iter().collect::<alloc::vec::Vec<_>>(), servers[..4]);
        assert_eq!(kept.to_string(), "10.0.2.1, 10.0.2.2, 10.0.2.3, 10.0.2.4");
        assert!(DnsServers::new(&[]).is_empty());
        assert_eq!(DnsServers::default().to_string(), "none");
    }

    #[test]
    fn events_read_as_log_lines() {
        let leased = NetworkEvent::Leased {
            address: Ipv4Cidr::new(Ipv4Address::new(10, 0, 2, 15), 24),
            gateway: Some(Ipv4Address::new(10, 0, 2, 2)),
            dns_servers: DnsServers::new(&[Ipv4Address::new(10, 0, 2, 3)]),
        };
        assert_eq!(
            leased.to_string(),
            "leased 10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.3"
        );
        let bare = NetworkEvent::Leased {
            address: Ipv4Cidr::new(Ipv4Address::new(10, 0, 2, 15), 24),
            gateway: None,
            dns_servers: DnsServers::default(),
        };
        assert_eq!(
            bare.to_string(),
            "leased 10.0.2.15/24, no gateway, DNS none"
        );
    }
}
