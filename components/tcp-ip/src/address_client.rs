//! The hook for a component that sets the interface's address while the stack runs: the
//! `dhcp-client` component implements it. A static-address image has no such component, so
//! it carries no DHCP code (not even `smoltcp`'s: its DHCP features are enabled by the
//! `dhcp-client` crate, not by this one).
use core::fmt;

use smoltcp::iface::SocketSet;
use smoltcp::wire::{Ipv4Address, Ipv4Cidr};

/// A change of the interface's address that an [`AddressClient`] learned; the stack applies
/// it and keeps it for [`NetworkStack::take_event`](crate::NetworkStack::take_event).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkEvent {
    /// An address was leased (or the lease renewed with new settings).
    Leased {
        /// The leased address and prefix length.
        address: Ipv4Cidr,
        /// The lease's router, now the default gateway.
        gateway: Option<Ipv4Address>,
    },
    /// The lease ended (expired or refused): no address until the next one.
    LeaseLost,
}

impl fmt::Display for NetworkEvent {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Leased {
                address,
                gateway: Some(gateway),
            } => write!(formatter, "leased {address}, gateway {gateway}"),
            Self::Leased {
                address,
                gateway: None,
            } => write!(formatter, "leased {address}, no gateway"),
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
