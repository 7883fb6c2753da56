//! [`HttpService`]: a pool of listening TCP sockets, each carrying one HTTP connection.
//!
//! The pool grows as connections arrive, up to its size: [`SPARE_LISTENERS`] sockets listen
//! ahead of demand (twice as many as the last round's new connections during a burst), and the
//! stack is polled for at most as many frames as sockets listen, so a burst of SYNs never finds
//! the pool short while it could still grow. Every step visits every
//! socket (smoltcp's egress and the service's slots), so a pool sized for the most connections
//! but holding only those in use costs each request less (record 0011).
use alloc::vec;
use alloc::vec::Vec;

use sauce_http_server::Server;
use sauce_tcp_ip::NetworkStack;
use smoltcp::phy::Device;
use smoltcp::socket::tcp::{Socket, SocketBuffer, State};

use crate::slot::{Shared, Slot};

/// Receive buffer of each socket unless [`HttpService::with_buffer_sizes`] says otherwise:
/// requests are small, and a full buffer only closes the window until the server reads.
pub const DEFAULT_RECEIVE_BUFFER: usize = 4 * 1024;
/// Send buffer of each socket unless [`HttpService::with_buffer_sizes`] says otherwise: the
/// most response bytes in flight per connection.
pub const DEFAULT_SEND_BUFFER: usize = 8 * 1024;
/// The smallest buffer accepted: the canned 503 must fit in an empty send buffer.
pub const MINIMUM_BUFFER: usize = 1024;
/// Rounds of serve-then-poll in one [`HttpService::step`] before it gives the caller a turn.
const ROUNDS_PER_STEP: usize = 4;
/// Sockets kept listening beyond those carrying connections, while the pool may grow.
pub const SPARE_LISTENERS: usize = 4;

/// Counters since start-up, for logs and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Statistics {
    /// Connections handed to the HTTP server.
    pub accepted: u64,
    /// Connections answered 503 because [`Configuration::max_connections`] were open.
    ///
    /// [`Configuration::max_connections`]: sauce_http_server::Configuration::max_connections
    pub rejected: u64,
    /// Sockets given up on because a handshake (dropped) or a close (reset) took longer than
    /// the request timeout.
    pub aborted: u64,
}

/// What one [`HttpService::serve`] round did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceActivity {
    /// Bytes moved or sockets changed state: poll the stack before sleeping.
    pub progressed: bool,
    /// When to run again at the latest (the earliest connection, socket or stack deadline);
    /// `None`: only a packet can bring work.
    pub deadline_ms: Option<u64>,
}

/// Serves a [`Server`] on one TCP port of a [`NetworkStack`].
#[derive(Debug)]
pub struct HttpService {
    server: Server,
    port: u16,
    listeners: usize,
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
}

impl HttpService {
    /// A service answering with `server` on `port` with `listeners` sockets: at most that
    /// many connections at once (with smoltcp one socket is one connection). Give it one more
    /// than `max_connections` so that the connection over the limit is answered 503 rather
    /// than refused. [`listen`](Self::listen) (or the first [`serve`](Self::serve)) adds the
    /// first [`SPARE_LISTENERS`] sockets to the stack; more are added as connections arrive.
    ///
    /// # Panics
    /// If `port` is 0, which cannot be listened on.
    pub fn new(server: Server, port: u16, listeners: usize) -> HttpService {
        assert!(port != 0, "the HTTP service cannot listen on port 0");
        HttpService {
            server,
            port,
            listeners,
            receive_buffer: DEFAULT_RECEIVE_BUFFER,
            send_buffer: DEFAULT_SEND_BUFFER,
            slots: Vec::new(),
            listening_sockets: 0,
            listening_after_top_up: 0,
            open_connections: 0,
            statistics: Statistics::default(),
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
        if self.slots.is_empty() {
            self.top_up(stack, 0);
        }
    }

    /// The port served.
    pub fn port(&self) -> u16 {
        self.port
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

    /// Counters since start-up.
    pub fn statistics(&self) -> Statistics {
        self.statistics
    }

    /// One round over every socket at `now_ms`: accept new connections (or refuse those over
    /// `max_connections` with 503), move bytes between the sockets and the connections, pass
    /// on peers' FINs, close sockets whose connection is done (once its output is in the send
    /// buffer), reset sockets stuck in a handshake or a close for longer than the request
    /// timeout, and listen again on every socket whose connection ended.
    pub fn serve<D: Device>(
        &mut self,
        stack: &mut NetworkStack<D>,
        now_ms: u64,
    ) -> ServiceActivity {
        let (progressed, slot_deadline) = self.serve_slots(stack, now_ms);
        ServiceActivity {
            progressed,
            deadline_ms: earliest(slot_deadline, stack.poll_at(now_ms)),
        }
    }

    /// One turn of the driving loop (see the crate documentation): polls the stack, serves,
    /// and polls again (repeating while either makes progress, a few times at most), then
    /// returns when to run again at the latest: after a device interrupt, or at this time.
    /// `Some(t)` with `t <= now_ms` means at once.
    pub fn step<D: Device>(&mut self, stack: &mut NetworkStack<D>, now_ms: u64) -> Option<u64> {
        // What arrived is served before anything is sent: acknowledgements leave with answers.
        let received = stack.receive(now_ms, self.frame_budget());
        self.count_received(received.frames);
        for _ in 0..ROUNDS_PER_STEP {
            let (progressed, slot_deadline) = self.serve_slots(stack, now_ms);
            let polled = stack.poll_limited(now_ms, self.frame_budget());
            self.count_received(polled.frames);
            if !progressed && !polled.activity && !polled.more_frames {
                return earliest(slot_deadline, stack.poll_at(now_ms));
            }
        }
        Some(now_ms)
    }

    /// Frames the stack may receive in one poll: one per listening socket while the pool can
    /// still grow (each frame may be a SYN), any number once it is whole. Zero until the next
    /// [`serve_slots`](Self::serve_slots) tops the listeners up, once frames took them all.
    fn frame_budget(&self) -> usize {
        if self.slots.len() < self.listeners {
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
    fn serve_slots<D: Device>(
        &mut self,
        stack: &mut NetworkStack<D>,
        now_ms: u64,
    ) -> (bool, Option<u64>) {
        let mut shared = Shared {
            server: &self.server,
            port: self.port,
            now_ms,
            patience_ms: self.server.configuration().request_timeout_ms,
            open_connections: &mut self.open_connections,
            statistics: &mut self.statistics,
        };
        let mut progressed = false;
        let mut deadline = None;
        let mut listening_sockets = 0;
        for slot in &mut self.slots {
            let socket = stack.socket_mut::<Socket>(slot.handle());
            let activity = slot.serve(socket, &mut shared);
            progressed |= activity.progressed;
            deadline = earliest(deadline, activity.deadline_ms);
            listening_sockets += usize::from(socket.state() == State::Listen);
        }
        // Every socket taken: connections that have said nothing for a while make room, so a
        // flood of silent connections cannot lock real clients out until their timeouts.
        let whole = self.slots.len() >= self.listeners;
        if whole && !self.slots.is_empty() && self.slots.iter().all(|slot| !slot.is_listening()) {
            for slot in &mut self.slots {
                let socket = stack.socket_mut::<Socket>(slot.handle());
                progressed |= slot.evict_if_silent(socket, &mut shared, SILENT_GRACE_MS);
            }
            deadline = earliest(deadline, Some(now_ms + SILENT_GRACE_MS));
        }
        self.top_up(stack, listening_sockets);
        (progressed, deadline)
    }

    /// Adds sockets until enough listen (`listening` do now), or the pool is whole; records how
    /// many listen. Enough is [`SPARE_LISTENERS`], or twice as many as connections took since
    /// the last top-up, so a burst of connections doubles the listeners round by round. The
    /// service allocates only here.
    fn top_up<D: Device>(&mut self, stack: &mut NetworkStack<D>, listening: usize) {
        let taken = self.listening_after_top_up.saturating_sub(listening);
        let enough = SPARE_LISTENERS.max(2 * taken);
        let wanted = enough.saturating_sub(listening).min(self.listeners - self.slots.len());
        self.slots.reserve_exact(wanted);
        for _ in 0..wanted {
            let mut socket = Socket::new(
                SocketBuffer::new(vec![0; self.receive_buffer]),
                SocketBuffer::new(vec![0; self.send_buffer]),
            );
            // Responses are written whole; Nagle would hold their last segment for an ACK
            // that a client with delayed ACKs sends late.
            socket.set_nagle_enabled(false);
            let handle = stack.add_socket(socket);
            let slot = Slot::new(handle, stack.socket_mut::<Socket>(handle), self.port);
            self.slots.push(slot);
        }
        self.listening_sockets = listening + wanted;
        self.listening_after_top_up = listening + wanted;
    }
}

/// How long a connection may stay silent before it can be evicted from a full pool.
pub const SILENT_GRACE_MS: u64 = 500;

/// The earlier of two optional times.
fn earliest(first: Option<u64>, second: Option<u64>) -> Option<u64> {
    match (first, second) {
        (Some(first), Some(second)) => Some(first.min(second)),
        (first, second) => first.or(second),
    }
}
