//! [`Limits`]: how many connections the pool serves, derived from the memory it is given.
//!
//! Every socket of the pool can cost at most [`Limits::socket_bytes`] of heap: its receive and
//! send buffers, its connection's buffers at their limits
//! ([`Configuration::connection_bytes`]), and the bookkeeping of the pool, the stack and the
//! allocator. [`Limits::for_memory`] fits as many sockets as that worst case allows into the
//! bytes the board hands it, so a client can fill every buffer of every socket and the heap
//! still holds (the memory model, docs/design/0012).
use sauce_http_server::{Configuration, Server};
use smoltcp::iface::SocketStorage;

use crate::slot::Slot;

/// Allocator bookkeeping per heap block (talc keeps a tag per block and rounds sizes up).
const ALLOCATION_OVERHEAD: usize = 32;
/// Heap blocks one socket and its connection hold at most: two socket buffers, the head
/// buffer, the output buffer, its segment queue and the cached head.
const BLOCKS_PER_SOCKET: usize = 6;

/// The pool's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Sockets at most: the connections served plus those kept to answer 503 when full.
    pub sockets: usize,
    /// Connections served at once; a connection beyond them is answered 503.
    pub connections: usize,
    /// Connections one peer address may hold at once; one more is answered 503. Equal to
    /// `connections` when there is no separate cap (behind NAT or QEMU's user networking every
    /// client shares one address).
    pub connections_per_peer: usize,
}

impl Limits {
    /// Sockets kept to answer 503 for `connections` served ones: one, and one more per 32
    /// (a rejected socket is busy until its peer has read the 503, at most a second).
    pub const fn rejecting_sockets(connections: usize) -> usize {
        1 + connections / 32
    }

    /// The limits of a pool serving `connections` (the configuration's `max_connections`),
    /// without regard to memory.
    pub const fn for_connections(connections: usize) -> Limits {
        Limits {
            sockets: connections + Limits::rejecting_sockets(connections),
            connections,
            connections_per_peer: connections,
        }
    }

    /// The limits of a pool of `sockets` sockets, keeping enough of them to answer 503.
    pub const fn for_sockets(sockets: usize) -> Limits {
        let sockets = if sockets < 2 { 2 } else { sockets };
        let rejecting = 1 + sockets / 33;
        Limits {
            sockets,
            connections: sockets - rejecting,
            connections_per_peer: sockets - rejecting,
        }
    }

    /// The most heap bytes one socket of the pool can hold, with its connection's buffers full.
    pub const fn socket_bytes(
        configuration: &Configuration,
        receive_buffer: usize,
        send_buffer: usize,
    ) -> usize {
        receive_buffer
            + send_buffer
            + configuration.connection_bytes()
            + core::mem::size_of::<Slot>()
            + core::mem::size_of::<SocketStorage<'static>>()
            + BLOCKS_PER_SOCKET * ALLOCATION_OVERHEAD
    }

    /// [`socket_bytes`](Self::socket_bytes) for `server`: when it has an app, each connection
    /// may also hold a request for it (a head copy and a body at the server's limits).
    pub fn socket_bytes_of(server: &Server, receive_buffer: usize, send_buffer: usize) -> usize {
        let configuration = server.configuration();
        let app_request = if server.router().app().is_some() {
            configuration.header_limit
                + usize::try_from(configuration.body_limit).unwrap_or(usize::MAX / 4)
        } else {
            0
        };
        Limits::socket_bytes(configuration, receive_buffer, send_buffer).saturating_add(app_request)
    }

    /// [`for_memory`](Self::for_memory) for `server`, with [`socket_bytes_of`](Self::socket_bytes_of).
    pub fn for_memory_of(
        server: &Server,
        receive_buffer: usize,
        send_buffer: usize,
        budget_bytes: usize,
    ) -> Limits {
        let wanted = Limits::for_connections(server.configuration().max_connections);
        let per_socket = Limits::socket_bytes_of(server, receive_buffer, send_buffer);
        let fitting = budget_bytes / per_socket.max(1);
        if fitting >= wanted.sockets {
            wanted
        } else {
            Limits::for_sockets(fitting)
        }
    }

    /// The limits of `configuration` (its `max_connections`) fitted into `budget_bytes` of
    /// heap: fewer connections when their worst case does not fit.
    pub fn for_memory(
        configuration: &Configuration,
        receive_buffer: usize,
        send_buffer: usize,
        budget_bytes: usize,
    ) -> Limits {
        let wanted = Limits::for_connections(configuration.max_connections);
        let per_socket = Limits::socket_bytes(configuration, receive_buffer, send_buffer);
        let fitting = budget_bytes / per_socket.max(1);
        if fitting >= wanted.sockets {
            wanted
        } else {
            Limits::for_sockets(fitting)
        }
    }

    /// The same limits with at most `cap` connections per peer address (0: no separate cap).
    pub const fn with_connections_per_peer(self, cap: usize) -> Limits {
        let connections_per_peer = if cap == 0 || cap > self.connections {
            self.connections
        } else {
            cap
        };
        Limits {
            connections_per_peer,
            ..self
        }
    }

    /// Whether connections from one address are capped below the total.
    pub const fn caps_peers(&self) -> bool {
        self.connections_per_peer < self.connections
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enough_memory_gives_the_configured_connections_and_spares_to_reject() {
        let configuration = Configuration::DEFAULT;
        let limits = Limits::for_memory(&configuration, 2048, 4096, 1 << 30);
        assert_eq!(limits.connections, 128);
        assert_eq!(limits.sockets, 128 + 1 + 4);
        assert!(!limits.caps_peers());
    }

    #[test]
    fn too_little_memory_serves_fewer_connections_within_it() {
        let configuration = Configuration {
            max_connections: 10_000,
            ..Configuration::DEFAULT
        };
        let per_socket = Limits::socket_bytes(&configuration, 2048, 4096);
        let budget = 3 << 20;
        let limits = Limits::for_memory(&configuration, 2048, 4096, budget);
        assert!(limits.sockets * per_socket <= budget);
        assert!((limits.sockets + 1) * per_socket > budget);
        assert!(limits.connections < limits.sockets);
        assert!(limits.connections >= limits.sockets * 30 / 33);
    }

    #[test]
    fn even_no_memory_leaves_one_connection_and_one_to_reject() {
        let limits = Limits::for_memory(&Configuration::DEFAULT, 2048, 4096, 0);
        assert_eq!((limits.sockets, limits.connections), (2, 1));
    }

    #[test]
    fn the_per_peer_cap_never_exceeds_the_total() {
        let limits = Limits::for_connections(64);
        assert_eq!(limits.with_connections_per_peer(0).connections_per_peer, 64);
        assert_eq!(
            limits.with_connections_per_peer(1000).connections_per_peer,
            64
        );
        let capped = limits.with_connections_per_peer(8);
        assert_eq!(capped.connections_per_peer, 8);
        assert!(capped.caps_peers());
    }

    #[test]
    fn a_socket_costs_its_buffers_and_its_connections_limits() {
        let bytes = Limits::socket_bytes(&Configuration::DEFAULT, 2048, 4096);
        assert!(bytes > 2048 + 4096 + 8 * 1024 + 4 * 1024, "{bytes}");
        assert!(bytes < 32 * 1024, "{bytes}");
    }
}
