//! [`EchoService`]: a pool of TCP sockets on one port, each sending back what it receives.
use alloc::vec::Vec;

use sauce_tcp_ip::smoltcp;
use sauce_tcp_ip::{Activity, NetworkService, Sockets};
use smoltcp::iface::{SocketHandle, SocketStorage};
use smoltcp::socket::tcp::{Socket, SocketBuffer, State};

/// Bytes copied from the receive buffer to the send buffer at a time (on the stack).
const CHUNK: usize = 1024;
/// The allocator's overhead for the socket's two buffers, at most.
const ALLOCATION_OVERHEAD: usize = 64;

/// `[config.*]` of component.toml: the generated board fills every field from the manifest's
/// defaults or the intent's `[tcp]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Configuration {
    /// The TCP port served (`[tcp] port`).
    pub port: u16,
    /// Connections served at once (`[tcp] max_connections`), fewer when the heap is short.
    pub max_connections: usize,
    /// Each socket's receive buffer.
    pub receive_buffer: usize,
    /// Each socket's send buffer.
    pub send_buffer: usize,
    /// A connection that moves no byte for this long is reset.
    pub idle_timeout_ms: u64,
}

impl Configuration {
    /// component.toml's defaults.
    pub const DEFAULT: Configuration = Configuration {
        port: 7,
        max_connections: 64,
        receive_buffer: 4 * 1024,
        send_buffer: 4 * 1024,
        idle_timeout_ms: 30_000,
    };
}

/// The heap one socket of the pool holds: its buffers, its slot and its place in the stack.
pub const fn socket_bytes(configuration: &Configuration) -> usize {
    configuration.receive_buffer
        + configuration.send_buffer
        + core::mem::size_of::<Slot>()
        + core::mem::size_of::<SocketStorage<'static>>()
        + ALLOCATION_OVERHEAD
}

/// What the service has done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Statistics {
    /// Connections accepted.
    pub accepted: u64,
    /// Connections that ended (closed by the client, or reset).
    pub ended: u64,
    /// Connections reset because they moved no byte for the idle timeout.
    pub idle_resets: u64,
    /// Bytes sent back.
    pub echoed_bytes: u64,
}

/// One socket of the pool.
#[derive(Clone, Copy, Debug)]
struct Slot {
    handle: SocketHandle,
    /// Carrying a connection (counted as accepted, not yet ended).
    open: bool,
    /// When it last moved a byte or changed state.
    active_ms: u64,
}

/// The echo service.
#[derive(Debug)]
pub struct EchoService {
    configuration: Configuration,
    /// Sockets the pool has (all added at start).
    planned: usize,
    slots: Vec<Slot>,
    statistics: Statistics,
}

impl EchoService {
    /// A service within `configuration`, with as many sockets (up to `max_connections`, at
    /// least one) as fit in `budget_bytes` of heap with every buffer full.
    ///
    /// # Panics
    /// If the port is 0, which cannot be listened on.
    pub fn new(configuration: Configuration, budget_bytes: usize) -> EchoService {
        assert!(
            configuration.port != 0,
            "the echo service cannot listen on port 0"
        );
        let fitting = budget_bytes / socket_bytes(&configuration);
        let planned = configuration.max_connections.min(fitting).max(1);
        EchoService {
            configuration,
            planned,
            slots: Vec::with_capacity(planned),
            statistics: Statistics::default(),
        }
    }

    /// Connections served at once.
    pub fn connections(&self) -> usize {
        self.planned
    }

    /// What the service has done.
    pub fn statistics(&self) -> Statistics {
        self.statistics
    }

    /// Serves one slot; whether it progressed, and when it must be served again.
    fn serve_slot(&mut self, index: usize, sockets: &mut Sockets<'_>, now_ms: u64) -> Activity {
        let Configuration {
            port,
            idle_timeout_ms,
            ..
        } = self.configuration;
        let slot = &mut self.slots[index];
        let statistics = &mut self.statistics;
        let socket = sockets.get_mut::<Socket>(slot.handle);
        let mut progressed = false;
        match socket.state() {
            State::Listen | State::SynReceived => return Activity::default(),
            State::Closed | State::TimeWait => {
                if slot.open {
                    slot.open = false;
                    statistics.ended += 1;
                }
                socket.abort();
                // Cannot fail: the socket is closed and the port is not 0.
                let _ = socket.listen(port);
                return Activity {
                    progressed: true,
                    deadline_ms: None,
                };
            }
            _ => {}
        }
        if !slot.open {
            slot.open = true;
            slot.active_ms = now_ms;
            statistics.accepted += 1;
            progressed = true;
        }
        let mut chunk = [0u8; CHUNK];
        while socket.may_send() && socket.can_recv() {
            let room = socket.send_capacity() - socket.send_queue();
            if room == 0 {
                break;
            }
            let wanted = room.min(CHUNK);
            let received = socket.recv_slice(&mut chunk[..wanted]).unwrap_or(0);
            if received == 0 {
                break;
            }
            // Cannot fall short: `room` bytes are free in the send buffer.
            let sent = socket.send_slice(&chunk[..received]).unwrap_or(0);
            statistics.echoed_bytes += sent as u64;
            slot.active_ms = now_ms;
            progressed = true;
        }
        // The client closed and every byte went back: close our side too.
        if socket.state() == State::CloseWait
            && socket.recv_queue() == 0
            && socket.send_queue() == 0
        {
            socket.close();
            slot.active_ms = now_ms;
            progressed = true;
        }
        let idle_until = slot.active_ms.saturating_add(idle_timeout_ms);
        if now_ms >= idle_until {
            socket.abort();
            statistics.idle_resets += 1;
            return Activity {
                progressed: true,
                deadline_ms: None,
            };
        }
        Activity {
            progressed,
            deadline_ms: Some(idle_until),
        }
    }
}

impl NetworkService for EchoService {
    fn sockets(&self) -> usize {
        self.planned
    }

    fn start(&mut self, sockets: &mut Sockets<'_>) {
        let Configuration {
            port,
            receive_buffer,
            send_buffer,
            ..
        } = self.configuration;
        while self.slots.len() < self.planned {
            let mut socket = Socket::new(
                SocketBuffer::new(alloc::vec![0; receive_buffer]),
                SocketBuffer::new(alloc::vec![0; send_buffer]),
            );
            // Cannot fail: the socket is new and the port is not 0.
            let _ = socket.listen(port);
            let handle = sockets.add(socket);
            self.slots.push(Slot {
                handle,
                open: false,
                active_ms: 0,
            });
        }
        sockets.hold_syns(port, self.planned);
    }

    fn serve(&mut self, sockets: &mut Sockets<'_>, now_ms: u64) -> Activity {
        let mut activity = Activity::default();
        for index in 0..self.slots.len() {
            let served = self.serve_slot(index, sockets, now_ms);
            activity.progressed |= served.progressed;
            activity.deadline_ms = Activity::earliest(activity.deadline_ms, served.deadline_ms);
        }
        let listening = self
            .slots
            .iter()
            .filter(|slot| sockets.get::<Socket>(slot.handle).state() == State::Listen)
            .count();
        sockets.hold_syns(self.configuration.port, listening);
        activity
    }

    fn summary(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            formatter,
            "echo: port {}, {} connections at most ({} configured), {} KiB each",
            self.configuration.port,
            self.planned,
            self.configuration.max_connections,
            socket_bytes(&self.configuration) / 1024
        )
    }
}
