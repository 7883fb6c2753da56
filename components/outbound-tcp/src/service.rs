//! [`OutboundService`]: the sockets' side of outbound connections, served by the network loop.
//!
//! Each turn it walks the connection slots (open what was asked, follow each socket's state,
//! move bytes between socket and slot buffers, close what was let go) and the lookups (start
//! DNS queries, take their answers), under one short lock of the shared state.
use alloc::vec::Vec;
use core::fmt;

use sauce_tcp_ip::{Activity, NetworkEvent, NetworkService, Sockets};
use smoltcp::iface::SocketHandle;
use smoltcp::socket::dns;

use crate::connector::TcpConnector;
use crate::dns_servers::{DnsServerList, DnsSettings};
use crate::ports::EphemeralPorts;
use crate::shared::{Limits, Phase, Shared, SharedState};

mod connection;
mod lookup;

/// What the service keeps per connection slot, beside the shared slot.
#[derive(Debug, Default)]
struct SocketSide {
    /// The slot's socket, made on its first use and kept for the next connection.
    socket: Option<SocketHandle>,
    /// The local port of the connection in progress (0 when none).
    port: u16,
    /// When connecting or closing gives up.
    deadline_ms: Option<u64>,
    /// The server's FIN was seen (CLOSE-WAIT and after).
    fin_received: bool,
}

/// Opens and serves outbound connections and lookups asked for through its
/// [`TcpConnector`]s.
pub struct OutboundService {
    shared: SharedState,
    limits: Limits,
    sides: Vec<SocketSide>,
    lookup_deadlines: Vec<Option<u64>>,
    servers: DnsServerList,
    dns: Option<SocketHandle>,
    ports: EphemeralPorts,
}

impl fmt::Debug for OutboundService {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("OutboundService")
            .field("limits", &self.limits)
            .field("servers", &self.servers)
            .finish_non_exhaustive()
    }
}

impl OutboundService {
    /// A service keeping `limits`, resolving names through the servers `dns` names (at most
    /// four are used; none, now and from any lease: names fail with `NoDnsServer`), with
    /// ephemeral ports starting at a place chosen by `seed`; and the handle tasks reach it
    /// through.
    pub fn new(limits: Limits, dns: DnsSettings, seed: u64) -> (OutboundService, TcpConnector) {
        let servers = DnsServerList::new(dns);
        let shared = Shared::new(limits, !servers.servers().is_empty());
        let service = OutboundService {
            shared: shared.clone(),
            limits,
            sides: (0..limits.max_connections)
                .map(|_| SocketSide::default())
                .collect(),
            lookup_deadlines: alloc::vec![None; limits.max_lookups()],
            servers,
            dns: None,
            ports: EphemeralPorts::new(seed),
        };
        (service, TcpConnector { shared })
    }

    /// The bounds and timeouts it keeps.
    pub fn limits(&self) -> Limits {
        self.limits
    }
}

impl NetworkService for OutboundService {
    fn sockets(&self) -> usize {
        self.limits.max_connections + usize::from(self.servers.may_have_servers())
    }

    fn start(&mut self, sockets: &mut Sockets<'_>) {
        if self.servers.may_have_servers() {
            let queries: Vec<Option<dns::DnsQuery>> =
                (0..self.limits.max_lookups()).map(|_| None).collect();
            self.dns = Some(sockets.add(dns::Socket::new(self.servers.servers(), queries)));
        }
        let mut shared = self.shared.lock();
        shared.wake = sockets.wake_signal();
        shared.running = true;
    }

    fn serve(&mut self, sockets: &mut Sockets<'_>, now_ms: u64) -> Activity {
        let mut activity = Activity::default();
        let mut shared = self.shared.lock();
        let Shared { slots, lookups, .. } = &mut *shared;
        for (index, slot) in slots.iter_mut().enumerate() {
            // A connection about to be opened takes a port no other slot holds.
            if matches!(slot.phase, Phase::Requested { .. }) && self.sides[index].port == 0 {
                let sides = &self.sides;
                let port = self
                    .ports
                    .take(|port| sides.iter().any(|side| side.port == port));
                self.sides[index].port = port.unwrap_or(0);
            }
            let served = connection::serve(
                connection::Context {
                    limits: &self.limits,
                    sockets,
                    now_ms,
                },
                slot,
                &mut self.sides[index],
            );
            activity.progressed |= served.progressed;
            activity.deadline_ms = Activity::earliest(activity.deadline_ms, served.deadline_ms);
        }
        for (lookup, deadline) in lookups.iter_mut().zip(&mut self.lookup_deadlines) {
            let served = lookup::serve(
                lookup,
                deadline,
                lookup::Resolver {
                    socket: self.dns,
                    has_servers: !self.servers.servers().is_empty(),
                },
                sockets,
                now_ms,
                self.limits.resolve_timeout_ms,
            );
            activity.progressed |= served.progressed;
            activity.deadline_ms = Activity::earliest(activity.deadline_ms, served.deadline_ms);
        }
        activity
    }

    fn network_changed(
        &mut self,
        event: &NetworkEvent,
        sockets: &mut Sockets<'_>,
        note: &mut dyn FnMut(fmt::Arguments<'_>),
    ) {
        if !self.servers.follow(event) {
            return;
        }
        // Queries under way go on with the new list (the socket bounds its server index by
        // the list it has at each retry).
        if let Some(handle) = self.dns {
            sockets
                .get_mut::<dns::Socket>(handle)
                .update_servers(self.servers.servers());
        }
        self.shared.lock().has_dns_server = !self.servers.servers().is_empty();
        note(format_args!("outbound: {}", self.servers));
    }

    fn summary(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "outbound: {} connections at most, {}",
            self.limits.max_connections, self.servers
        )
    }
}
