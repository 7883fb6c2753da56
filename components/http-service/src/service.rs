//! [`HttpService`]: a pool of listening TCP sockets, each carrying one HTTP connection.
//!
//! The pool grows as connections arrive, up to its size: [`SPARE_LISTENERS`] sockets listen
//! ahead of demand (twice as many as the last round's new connections during a burst), and the
//! stack is polled for at most as many frames as sockets listen, so a burst of SYNs never finds
//! the pool short while it could still grow. Every step visits every
//! socket (smoltcp's egress and the service's slots), so a pool sized for the most connections
//! but holding only those in use costs each request less (record 0011).
use alloc::vec::Vec;

use sauce_http_server::Server;
use sauce_tcp_ip::{Activity, NetworkService, NetworkStack, Sockets};
use smoltcp::phy::Device;
use smoltcp::socket::tcp::{Socket, SocketBuffer, State};

use crate::limits::Limits;
use crate::peers::PeerCounts;
use crate::slot::{Shared, Slot};

/// Receive buffer of each socket unless [`HttpService::with_buffer_sizes`] says otherwise:
/// requests are small, and a full buffer only closes the window until the server reads.
pub const DEFAULT_RECEIVE_BUFFER: usize = 2 * 1024;
/// Send buffer of each socket unless [`HttpService::with_buffer_sizes`] says otherwise: the
/// most response bytes in flight per connection.
pub const DEFAULT_SEND_BUFFER: usize = 4 * 1024;
/// The smallest buffer accepted: the canned 503 must fit in an empty send buffer.
pub const MINIMUM_BUFFER: usize = 1024;
/// Sockets kept listening beyond those carrying connections, while the pool may grow.
pub const SPARE_LISTENERS: usize = 4;

/// Counters since start-up, for logs and tests: every limit that fires is counted here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Statistics {
    /// Connections handed to the HTTP server.
    pub accepted: u64,
    /// Connections answered 503 because [`Limits::connections`] were open.
    pub rejected: u64,
    /// Connections answered 503 because their peer held [`Limits::connections_per_peer`].
    pub rejected_per_peer: u64,
    /// Sockets given up on because a handshake (dropped) or a close (reset) took too long.
    pub aborted: u64,
    /// Connections that had sent nothing, reset to make room when every socket was taken.
    pub evicted: u64,
    /// Connections that could not get a buffer and were answered 503 (none while the memory
    /// model holds), and sockets the pool could not grow by.
    pub out_of_memory: u64,
    /// Timeouts that ended connections, by kind.
    pub timeouts: TimeoutCounts,
    /// The most connections open at once.
    pub peak_connections: usize,
}

/// Connections ended by each timeout of [`sauce_http_server::Timeout`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeoutCounts {
    /// Heads not complete in time (408).
    pub head: u64,
    /// Bodies not complete in time or at the minimum rate (408).
    pub body: u64,
    /// Idle keep-alive connections closed.
    pub idle: u64,
    /// Peers that accepted no response byte in time, dropped.
    pub send: u64,
}

/// Serves a [`Server`] on one TCP port of a [`NetworkStack`].
#[derive(Debug)]
pub struct HttpService {
    server: Server,
    port: u16,
    limits: Limits,
    /// Connections per peer address, while [`Limits::caps_peers`].
    peers: Option<PeerCounts>,
    receive_buffer: usize,
    send_buffer: usize,
    /// Grows from empty to `listeners`, [`SPARE_LISTENERS`] ahead of the connections.
    slots: Vec<Slot>,
    /// Sockets in smoltcp's LISTEN state when the slots were last served and topped up, less
    /// the frames received since (each may have taken one).
    listening_sockets: usize,
    /// Sockets listening right after the last top-up.
    listening_after_top_up: usize,
    open_connections: usize,
    statistics: Statistics,
    /// `statistics.rejected` at the last round: new rejections mean clients are waiting.
    rejected_before: u64,
    /// Logs the counters once a second when they changed, if the board asked.
    report: Option<crate::report::Report>,
    /// Clients seen waiting (SYNs held, 503s sent) that no eviction has made room for yet,
    /// remembered until `waiting_until_ms`.
    waiting: usize,
    waiting_until_ms: u64,
    /// The app's dispatcher, when the image has app code.
    app: Option<alloc::boxed::Box<dyn crate::app::AppDispatch>>,
    /// The serial the next accepted connection gets.
    next_serial: u64,
}

impl HttpService {
    /// A service answering with `server` on `port` with `listeners` sockets, serving one
    /// fewer connections than that (or the server's `max_connections`, if fewer): the spare
    /// socket answers 503 rather than letting the stack refuse the connection.
    /// [`with_limits`](Self::with_limits) sets the limits from memory instead.
    ///
    /// # Panics
    /// If `port` is 0, which cannot be listened on.
    pub fn new(server: Server, port: u16, listeners: usize) -> HttpService {
        let connections = listeners
            .saturating_sub(1)
            .max(1)
            .min(server.configuration().max_connections);
        let limits = Limits {
            sockets: listeners.max(1),
            connections,
            connections_per_peer: connections,
        };
        HttpService::with_limits(server, port, limits)
    }

    /// A service answering with `server` on `port` within `limits` (see
    /// [`Limits::for_memory`]). The pool's bookkeeping for every socket is reserved here, so
    /// growing the pool later allocates only the sockets' buffers, and fallibly.
    ///
    /// # Panics
    /// If `port` is 0, which cannot be listened on, or if the heap cannot hold the pool's
    /// bookkeeping (a board sizes `limits` from the free heap, so this is a boot-time error).
    pub fn with_limits(server: Server, port: u16, limits: Limits) -> HttpService {
        assert!(port != 0, "the HTTP service cannot listen on port 0");
        let mut slots = Vec::new();
        let reserved = slots.try_reserve_exact(limits.sockets).is_ok();
        let peers = if limits.caps_peers() {
            PeerCounts::with_room(limits.connections)
        } else {
            Some(PeerCounts::default())
        };
        let (true, Some(peers)) = (reserved, peers) else {
            panic!(
                "the heap cannot hold the bookkeeping of {} sockets",
                limits.sockets
            )
        };
        HttpService {
            server,
            port,
            limits,
            peers: limits.caps_peers().then_some(peers),
            receive_buffer: DEFAULT_RECEIVE_BUFFER,
            send_buffer: DEFAULT_SEND_BUFFER,
            slots,
            listening_sockets: 0,
            listening_after_top_up: 0,
            open_connections: 0,
            statistics: Statistics::default(),
            rejected_before: 0,
            report: None,
            waiting: 0,
            waiting_until_ms: 0,
            app: None,
            next_serial: 0,
        }
    }

    /// The same service with other socket buffer sizes (at least [`MINIMUM_BUFFER`] each).
    /// Memory: up to `listeners × (receive + send)`, allocated as the pool grows.
    pub fn with_buffer_sizes(mut self, receive: usize, send: usize) -> HttpService {
        self.receive_buffer = receive.max(MINIMUM_BUFFER);
        self.send_buffer = send.max(MINIMUM_BUFFER);
        self
    }

    /// Adds the first listening sockets to `stack` now, so a connection that arrives as soon as
    /// the image is ready finds them (the first [`step`](Self::step) would otherwise add them
    /// after polling the stack, and an early SYN would be answered with a reset). Idempotent.
    pub fn listen<D: Device>(&mut self, stack: &mut NetworkStack<D>) {
        self.start(&mut stack.sockets());
    }

    /// The same service logging its counters and the heap through `log` once a second when
    /// they changed (the board's statistics line, read by the hostile-client suite).
    pub fn with_report(
        mut self,
        log: crate::report::LogLine,
        heap: crate::report::HeapFigures,
    ) -> HttpService {
        self.report = Some(crate::report::Report::new(log, heap));
        self
    }

    /// The same service handing the app's requests to `app` (the server's router names the
    /// app's routes).
    pub fn with_app(mut self, app: alloc::boxed::Box<dyn crate::app::AppDispatch>) -> HttpService {
        self.app = Some(app);
        self
    }

    /// The port served.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The pool's limits.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Sockets in the pool: listening, carrying a connection, or closing.
    pub fn sockets(&self) -> usize {
        self.slots.len()
    }

    /// Connections being served now.
    pub fn open_connections(&self) -> usize {
        self.open_connections
    }

    /// Sockets waiting for a new connection (or in its handshake); when none are, the stack
    /// refuses new connections.
    pub fn listening(&self) -> usize {
        self.slots.iter().filter(|slot| slot.is_listening()).count()
    }

    /// Heap bytes the pool holds now: the slots' bookkeeping (reserved for the whole pool),
    /// the sockets' buffers and the connections' buffers. While the memory model holds this
    /// stays within `limits.sockets × Limits::socket_bytes`.
    pub fn heap_bytes(&self) -> usize {
        let bookkeeping = self.slots.capacity() * core::mem::size_of::<Slot>();
        let sockets = self.slots.len() * (self.receive_buffer + self.send_buffer);
        let connections: usize = self.slots.iter().map(Slot::connection_heap_bytes).sum();
        bookkeeping + sockets + connections
    }

    /// The most heap bytes the pool can hold within its limits.
    pub fn heap_budget(&self) -> usize {
        self.limits.sockets
            * Limits::socket_bytes_of(&self.server, self.receive_buffer, self.send_buffer)
    }

    /// Counters since start-up.
    pub fn statistics(&self) -> Statistics {
        self.statistics
    }

    /// One turn of the driving loop for this service alone (see the crate documentation):
    /// [`NetworkStack::step`] with this service. Returns when to run again at the latest.
    pub fn step<D: Device>(&mut self, stack: &mut NetworkStack<D>, now_ms: u64) -> Option<u64> {
        stack.step(self, now_ms)
    }

    /// Frames the stack may receive in one poll: one per listening socket while the pool can
    /// still grow (each frame may be a SYN), any number once it is whole. Zero until the next
    /// [`serve_slots`](Self::serve_slots) tops the listeners up, once frames took them all.
    fn frame_budget(&self) -> usize {
        if self.slots.len() < self.limits.sockets {
            self.listening_sockets
        } else {
            usize::MAX
        }
    }

    /// Each received frame may have been a SYN that took a listening socket.
    fn count_received(&mut self, frames: usize) {
        self.listening_sockets = self.listening_sockets.saturating_sub(frames);
    }

    /// Serves every slot; whether any progressed, and the earliest slot deadline.
    fn serve_slots(&mut self, stack: &mut Sockets<'_>, now_ms: u64) -> (bool, Option<u64>) {
        let mut delivered = false;
        if let Some(app) = self.app.as_mut() {
            while let Some((ticket, response)) = app.completed(now_ms) {
                if let Some(slot) = self.slots.get_mut(ticket.slot) {
                    delivered |= slot.deliver(ticket.serial, response);
                }
            }
        }
        let mut shared = Shared {
            server: &self.server,
            port: self.port,
            now_ms,
            patience_ms: self.server.configuration().request_timeout_ms,
            limits: self.limits,
            open_connections: &mut self.open_connections,
            peers: &mut self.peers,
            statistics: &mut self.statistics,
            app: self.app.as_deref_mut(),
            slot_index: 0,
            next_serial: &mut self.next_serial,
        };
        let mut progressed = delivered;
        let mut deadline = None;
        let mut listening_sockets = 0;
        for (index, slot) in self.slots.iter_mut().enumerate() {
            shared.slot_index = index;
            let socket = stack.get_mut::<Socket>(slot.handle());
            let activity = slot.serve(socket, &mut shared);
            progressed |= activity.progressed;
            deadline = earliest(deadline, activity.deadline_ms);
            listening_sockets += usize::from(socket.state() == State::Listen);
        }
        // Every connection taken while clients wait (their SYNs held, or just answered 503, or
        // no socket listens at all): connections quiet for a while make room, as nginx drains
        // idle keep-alive connections when it runs short. A flood of silent connections, or of
        // clients that keep connections open and idle, cannot lock real clients out.
        let rejected = shared.statistics.rejected;
        let arrived = stack.take_held_syns(self.port) + (rejected - self.rejected_before) as usize;
        self.rejected_before = rejected;
        if arrived > 0 {
            // Clients retry a held SYN a second or more later: remember them until then.
            self.waiting = self
                .waiting
                .saturating_add(arrived)
                .min(self.limits.sockets);
            self.waiting_until_ms = now_ms + WAITING_MEMORY_MS;
        } else if now_ms >= self.waiting_until_ms {
            self.waiting = 0;
        }
        let full = *shared.open_connections >= self.limits.connections;
        let no_listener = self.slots.len() >= self.limits.sockets && listening_sockets == 0;
        if full && (self.waiting > 0 || no_listener) {
            let mut room = self.waiting.max(1);
            for slot in &mut self.slots {
                if room == 0 {
                    break;
                }
                let socket = stack.get_mut::<Socket>(slot.handle());
                if slot.evict_if_quiet(socket, &mut shared, QUIET_GRACE_MS) {
                    progressed = true;
                    room -= 1;
                    self.waiting = self.waiting.saturating_sub(1);
                }
            }
            deadline = earliest(deadline, Some(now_ms + QUIET_GRACE_MS));
        }
        if let Some(app) = self.app.as_deref() {
            // A request waiting to be started is answered when its time runs out.
            deadline = earliest(deadline, app.deadline_ms());
        }
        self.top_up(stack, listening_sockets);
        (progressed, deadline)
    }

    /// Adds sockets until enough listen (`listening` do now), or the pool is whole; records how
    /// many listen. Enough is [`SPARE_LISTENERS`], or twice as many as connections took since
    /// the last top-up, so a burst of connections doubles the listeners round by round. The
    /// service allocates only here, and fallibly: a socket whose buffers cannot be had is not
    /// added (counted as out of memory), and the pool stops growing for this round.
    fn top_up(&mut self, stack: &mut Sockets<'_>, listening: usize) {
        let taken = self.listening_after_top_up.saturating_sub(listening);
        let enough = SPARE_LISTENERS.max(2 * taken);
        let room = self.limits.sockets.saturating_sub(self.slots.len());
        let wanted = enough.saturating_sub(listening).min(room);
        let mut added = 0;
        for _ in 0..wanted {
            let (Some(receive), Some(send)) =
                (zeroed(self.receive_buffer), zeroed(self.send_buffer))
            else {
                self.statistics.out_of_memory += 1;
                break;
            };
            let mut socket = Socket::new(SocketBuffer::new(receive), SocketBuffer::new(send));
            // Responses are written whole; Nagle would hold their last segment for an ACK
            // that a client with delayed ACKs sends late.
            socket.set_nagle_enabled(false);
            // Neither push allocates: the stack's socket set and `slots` have room for every
            // socket of the pool (reserved at start-up).
            let handle = stack.add(socket);
            let slot = Slot::new(handle, stack.get_mut::<Socket>(handle), self.port);
            self.slots.push(slot);
            added += 1;
        }
        self.listening_sockets = listening + added;
        self.listening_after_top_up = listening + added;
        // SYNs beyond the listeners wait for the client's retransmission instead of a reset.
        stack.hold_syns(self.port, listening + added);
    }
}

/// A zeroed buffer of `length` bytes, or `None` when the heap cannot hold it.
fn zeroed(length: usize) -> Option<Vec<u8>> {
    let mut buffer = Vec::new();
    buffer.try_reserve_exact(length).ok()?;
    buffer.resize(length, 0);
    Some(buffer)
}

/// How long a connection may stay quiet (silent since accepted, or idle between requests)
/// before it can be evicted from a full pool for a waiting client.
pub const QUIET_GRACE_MS: u64 = 500;
/// How long clients seen waiting are remembered: past a client's first SYN retransmission.
const WAITING_MEMORY_MS: u64 = 2_000;

fn earliest(first: Option<u64>, second: Option<u64>) -> Option<u64> {
    Activity::earliest(first, second)
}

impl NetworkService for HttpService {
    fn sockets(&self) -> usize {
        self.limits.sockets
    }

    fn start(&mut self, sockets: &mut Sockets<'_>) {
        if let Some(app) = self.app.as_mut() {
            app.start(sockets.wake_signal());
        }
        if self.slots.is_empty() {
            self.top_up(sockets, 0);
        }
    }

    fn frame_budget(&self) -> usize {
        HttpService::frame_budget(self)
    }

    fn received(&mut self, frames: usize) {
        self.count_received(frames);
    }

    /// One round over every socket at `now_ms`: accept new connections (or refuse those over
    /// the limits with 503), move bytes between the sockets and the connections, pass on
    /// peers' FINs, close sockets whose connection is done (once its output is in the send
    /// buffer), reset sockets stuck in a handshake or a close, drain quiet connections for
    /// waiting clients, and listen again on every socket whose connection ended.
    fn serve(&mut self, sockets: &mut Sockets<'_>, now_ms: u64) -> Activity {
        let (progressed, deadline_ms) = self.serve_slots(sockets, now_ms);
        Activity {
            progressed,
            deadline_ms,
        }
    }

    fn tick(&mut self, now_ms: u64) -> Option<u64> {
        let report = self.report.as_mut()?;
        report.tick(&self.statistics, self.open_connections, now_ms)
    }

    /// `http: port 80, 128 connections at most (128 configured), 133 sockets of 23 KiB each at
    /// worst; heap 7424 KiB, 412 KiB in use`: the plan the hostile-client suite reads.
    fn summary(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let configuration = self.server.configuration();
        let socket_bytes =
            Limits::socket_bytes_of(&self.server, self.receive_buffer, self.send_buffer);
        write!(
            formatter,
            "http: port {}, {} connections at most ({} configured), {} sockets of {} KiB each at worst",
            self.port,
            self.limits.connections,
            configuration.max_connections,
            self.limits.sockets,
            socket_bytes / 1024
        )?;
        if let Some(heap) = self
            .report
            .as_ref()
            .map(|report| report.heap().statistics())
        {
            write!(
                formatter,
                "; heap {} KiB, {} KiB in use",
                heap.capacity / 1024,
                heap.in_use / 1024
            )?;
        }
        Ok(())
    }
}
