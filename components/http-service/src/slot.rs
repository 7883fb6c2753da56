//! One socket of the pool: listening, carrying one HTTP connection, or closing.
use sauce_http_server::{Connection, Server, Timeout};
use smoltcp::iface::SocketHandle;
use smoltcp::socket::tcp::{Socket, State};
use smoltcp::wire::IpAddress;

use crate::limits::Limits;
use crate::peers::PeerCounts;
use crate::service::Statistics;

/// How long an aborted socket may wait for its RST to leave (the stack sends it at the next
/// poll unless the peer's Ethernet address is unknown) before it listens again regardless.
const RESET_GRACE_MS: u64 = 100;
/// How long a socket that answered 503 waits for its peer to take the answer and close before
/// it is reset: under a flood these sockets are what keeps new clients answered. Once the
/// peer acknowledged the answer and the FIN (FIN-WAIT-2) a quarter of it is enough.
const REJECTED_PATIENCE_MS: u64 = 1_000;
/// How long a socket whose FIN the peer acknowledged (FIN-WAIT-2: every response byte
/// arrived) waits for the peer's own FIN before it is reset and listens again.
const FIN_WAIT_GRACE_MS: u64 = 1_000;

/// What a slot is doing with its socket.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "slots live in one vector allocated at start-up; boxing the connection would allocate per connection"
)]
enum Phase {
    /// The socket listens; `handshake_since_ms` is when it was first seen in SYN-RECEIVED.
    Listening { handshake_since_ms: Option<u64> },
    /// The socket carries `connection`; `peer_closed` once the peer's FIN was passed on.
    Serving {
        connection: Connection,
        peer_closed: bool,
        /// When the connection was accepted, and whether the peer has sent a byte since:
        /// under a flood of silent connections, those are the ones given up first.
        opened_ms: u64,
        heard_from: bool,
        /// The peer's address, counted against the per-peer cap.
        peer: Option<IpAddress>,
        /// Unique within the service: a response of the app finds its connection by it.
        serial: u64,
    },
    /// The socket was closed (or aborted) at `since_ms`; it listens again once it is done,
    /// or is reset after `patience_ms`.
    Closing { since_ms: u64, patience_ms: u64 },
}

/// What one [`Slot::serve`] call did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct SlotActivity {
    /// Bytes moved or the slot changed phase: the stack has something new to send.
    pub progressed: bool,
    /// When this slot must be served again at the latest.
    pub deadline_ms: Option<u64>,
}

/// The service-wide state a slot reads and updates.
#[derive(Debug)]
pub(crate) struct Shared<'service> {
    pub server: &'service Server,
    pub port: u16,
    pub now_ms: u64,
    /// How long a handshake, or a closing socket, may take before the socket is aborted.
    pub patience_ms: u64,
    pub limits: Limits,
    pub open_connections: &'service mut usize,
    /// Connections per peer address, while a per-peer cap is set.
    pub peers: &'service mut Option<PeerCounts>,
    pub statistics: &'service mut Statistics,
    /// The app's dispatcher, when the image has app code.
    pub app: Option<&'service mut (dyn crate::app::AppDispatch + 'static)>,
    /// The index of the slot being served (for the app's tickets).
    pub slot_index: usize,
    /// The serial the next accepted connection gets.
    pub next_serial: &'service mut u64,
}

impl Shared<'_> {
    /// A connection ended: it no longer counts against the limits.
    fn connection_ended(&mut self, peer: Option<IpAddress>) {
        *self.open_connections -= 1;
        if let (Some(peers), Some(peer)) = (self.peers.as_mut(), peer) {
            peers.remove(peer);
        }
    }

    /// Counts a timeout the connection reported.
    fn count_timeout(&mut self, timeout: Timeout) {
        let timeouts = &mut self.statistics.timeouts;
        match timeout {
            Timeout::Head => timeouts.head += 1,
            Timeout::Body => timeouts.body += 1,
            Timeout::Idle => timeouts.idle += 1,
            Timeout::Send => timeouts.send += 1,
        }
    }
}

/// One listening socket and the connection it carries.
#[derive(Debug)]
pub(crate) struct Slot {
    handle: SocketHandle,
    phase: Phase,
}

impl Slot {
    /// A slot for `socket`, which starts listening on `port`.
    pub fn new(handle: SocketHandle, socket: &mut Socket, port: u16) -> Slot {
        // Cannot fail: a new socket is closed and `port` is not 0 (checked by the service).
        let _ = socket.listen(port);
        Slot {
            handle,
            phase: Phase::Listening {
                handshake_since_ms: None,
            },
        }
    }

    pub fn handle(&self) -> SocketHandle {
        self.handle
    }

    /// Makes room for a waiting client by ending this connection, if it has been quiet for
    /// `quiet_ms`: one that never sent a byte since it was accepted is reset; one idle between
    /// requests is closed (an HTTP client retries on a new connection). Whether it did.
    pub fn evict_if_quiet(
        &mut self,
        socket: &mut Socket,
        shared: &mut Shared<'_>,
        quiet_ms: u64,
    ) -> bool {
        let Phase::Serving {
            opened_ms,
            heard_from,
            peer,
            ref connection,
            ..
        } = self.phase
        else {
            return false;
        };
        let now = shared.now_ms;
        let silent = !heard_from && now.saturating_sub(opened_ms) >= quiet_ms;
        let idle = heard_from
            && connection
                .idle_since()
                .is_some_and(|since| now.saturating_sub(since) >= quiet_ms);
        if silent {
            socket.abort();
            self.phase = Phase::Closing {
                since_ms: now,
                patience_ms: RESET_GRACE_MS,
            };
        } else if idle {
            socket.close();
            self.phase = Phase::Closing {
                since_ms: now,
                patience_ms: shared.patience_ms,
            };
        } else {
            return false;
        }
        shared.connection_ended(peer);
        shared.statistics.evicted += 1;
        true
    }

    /// Hands the app's response to this slot's connection, if it is still the one with
    /// `serial`; whether it was.
    pub fn deliver(&mut self, serial: u64, response: sauce_http_server::AppResponse) -> bool {
        match &mut self.phase {
            Phase::Serving {
                connection,
                serial: current,
                ..
            } if *current == serial && connection.awaiting_app() => {
                connection.respond(response);
                true
            }
            _ => false,
        }
    }

    /// Heap bytes the slot's connection holds (its socket's buffers are counted by the pool).
    pub fn connection_heap_bytes(&self) -> usize {
        match &self.phase {
            Phase::Serving { connection, .. } => connection.heap_bytes(),
            _ => 0,
        }
    }

    /// Whether the socket waits for a new connection (or is in its handshake).
    pub fn is_listening(&self) -> bool {
        matches!(self.phase, Phase::Listening { .. })
    }

    /// One round for this slot: accept, move bytes, close, or listen again, as due.
    pub fn serve(&mut self, socket: &mut Socket, shared: &mut Shared<'_>) -> SlotActivity {
        let mut activity = SlotActivity::default();
        if matches!(self.phase, Phase::Listening { .. }) {
            self.watch_listening(socket, shared, &mut activity);
        }
        if matches!(self.phase, Phase::Serving { .. }) {
            self.exchange(socket, shared, &mut activity);
        }
        if matches!(self.phase, Phase::Closing { .. }) {
            self.finish_closing(socket, shared, &mut activity);
        }
        activity
    }

    /// Listening: notices a new connection (accepting or refusing it) and stuck handshakes.
    fn watch_listening(
        &mut self,
        socket: &mut Socket,
        shared: &mut Shared<'_>,
        activity: &mut SlotActivity,
    ) {
        let Phase::Listening { handshake_since_ms } = &mut self.phase else {
            return;
        };
        let now = shared.now_ms;
        match socket.state() {
            State::Listen => *handshake_since_ms = None,
            State::SynReceived => {
                let since = *handshake_since_ms.get_or_insert(now);
                let deadline = since.saturating_add(shared.patience_ms);
                if now >= deadline {
                    // The client never completed the handshake: free the socket for others at
                    // once (listening again drops the connection without an RST; the client
                    // has nothing to lose).
                    socket.abort();
                    let _ = socket.listen(shared.port);
                    shared.statistics.aborted += 1;
                    *handshake_since_ms = None;
                    activity.progressed = true;
                } else {
                    activity.deadline_ms = Some(deadline);
                }
            }
            // Reset during the handshake: the closing phase listens again.
            State::Closed | State::TimeWait => {
                self.phase = Phase::Closing {
                    since_ms: now,
                    patience_ms: shared.patience_ms,
                }
            }
            // Established (or already further): a connection to serve or to refuse.
            _ => {
                activity.progressed = true;
                let peer = socket.remote_endpoint().map(|endpoint| endpoint.addr);
                let peer_count = match (shared.peers.as_ref(), peer) {
                    (Some(peers), Some(peer)) => peers.count(peer),
                    _ => 0,
                };
                let full = *shared.open_connections >= shared.limits.connections;
                let peer_full = peer_count >= shared.limits.connections_per_peer;
                if !full && !peer_full {
                    *shared.open_connections += 1;
                    if let (Some(peers), Some(peer)) = (shared.peers.as_mut(), peer) {
                        peers.add(peer);
                    }
                    shared.statistics.accepted += 1;
                    let open = *shared.open_connections;
                    let peak = &mut shared.statistics.peak_connections;
                    *peak = (*peak).max(open);
                    let serial = *shared.next_serial;
                    *shared.next_serial += 1;
                    self.phase = Phase::Serving {
                        connection: shared.server.connection(now),
                        peer_closed: false,
                        opened_ms: now,
                        heard_from: false,
                        peer,
                        serial,
                    };
                } else {
                    // Fits: the send buffer is at least `MINIMUM_BUFFER` bytes and empty.
                    let _ = socket.send_slice(Server::reject_overloaded());
                    socket.close();
                    if full {
                        shared.statistics.rejected += 1;
                    } else {
                        shared.statistics.rejected_per_peer += 1;
                    }
                    self.phase = Phase::Closing {
                        since_ms: now,
                        patience_ms: REJECTED_PATIENCE_MS,
                    };
                }
            }
        }
    }

    /// Serving: moves bytes both ways, passes on the peer's FIN, runs the connection's
    /// timeouts, and closes the socket once the connection is done.
    fn exchange(
        &mut self,
        socket: &mut Socket,
        shared: &mut Shared<'_>,
        activity: &mut SlotActivity,
    ) {
        let Phase::Serving {
            connection,
            peer_closed,
            heard_from,
            peer,
            serial,
            ..
        } = &mut self.phase
        else {
            return;
        };
        let peer = *peer;
        let serial = *serial;
        *heard_from |= socket.recv_queue() > 0;
        let now = shared.now_ms;
        if !socket.is_active() {
            // Reset by the peer (or by smoltcp): the connection is gone.
            shared.connection_ended(peer);
            self.phase = Phase::Closing {
                since_ms: now,
                patience_ms: shared.patience_ms,
            };
            activity.progressed = true;
            return;
        }
        activity.progressed |= move_bytes(socket, connection, now);
        if !*peer_closed && !socket.may_recv() {
            connection.peer_closed();
            *peer_closed = true;
            activity.progressed = true;
        }
        let mut events = connection.poll(now);
        if let Some(timeout) = events.timeout {
            shared.count_timeout(timeout);
            if timeout == Timeout::Send {
                // The peer reads nothing: a FIN would wait behind the unsent bytes for as
                // long again. Reset now and give the socket to someone else.
                socket.abort();
                shared.connection_ended(peer);
                self.phase = Phase::Closing {
                    since_ms: now,
                    patience_ms: RESET_GRACE_MS,
                };
                activity.progressed = true;
                return;
            }
            // A 408 may have been queued.
            activity.progressed |= move_bytes(socket, connection, now);
            events = connection.poll(now);
        }
        if events.out_of_memory {
            shared.statistics.out_of_memory += 1;
        }
        if events.app_request {
            if let (Some(app), Some(request)) = (shared.app.as_mut(), connection.take_app_request())
            {
                let ticket = crate::app::Ticket {
                    slot: shared.slot_index,
                    serial,
                };
                activity.progressed = true;
                if let Some(response) = app.dispatch(ticket, request, socket.remote_endpoint(), now)
                {
                    // Answered at once: it leaves with this round's bytes.
                    connection.respond(response);
                    move_bytes(socket, connection, now);
                    events = connection.poll(now);
                }
            }
        }
        if connection.wants_close() {
            // The FIN follows the bytes already in the send buffer.
            socket.close();
            shared.connection_ended(peer);
            self.phase = Phase::Closing {
                since_ms: now,
                patience_ms: shared.patience_ms,
            };
            activity.progressed = true;
        } else {
            activity.deadline_ms = events.deadline_ms;
        }
    }

    /// Closing: waits for the socket to finish, aborting it if the peer takes too long, then
    /// listens again.
    fn finish_closing(
        &mut self,
        socket: &mut Socket,
        shared: &mut Shared<'_>,
        activity: &mut SlotActivity,
    ) {
        let Phase::Closing {
            since_ms,
            patience_ms,
        } = self.phase
        else {
            return;
        };
        let now = shared.now_ms;
        let deadline = match socket.state() {
            // Every response byte and the FIN arrived; only the peer's own FIN is missing.
            State::FinWait2 if patience_ms == REJECTED_PATIENCE_MS => {
                since_ms.saturating_add(REJECTED_PATIENCE_MS / 4)
            }
            State::FinWait2 => since_ms.saturating_add(patience_ms.min(FIN_WAIT_GRACE_MS)),
            _ => since_ms.saturating_add(patience_ms),
        };
        let reset_deadline = since_ms.saturating_add(RESET_GRACE_MS);
        // Nobody will read what the peer still sends; keep its window open.
        if socket.can_recv() {
            let _ = socket.recv(|buffer| (buffer.len(), ()));
        }
        let finished = match socket.state() {
            // The peer closed too: skip TIME-WAIT, a late segment only meets a listener's RST.
            State::TimeWait => true,
            // Closed; after an abort, once the RST left (or could not leave in time).
            State::Closed => socket.remote_endpoint().is_none() || now >= reset_deadline,
            _ => false,
        };
        if finished {
            // Cannot fail: the socket is closed and the port is not 0.
            let _ = socket.listen(shared.port);
            self.phase = Phase::Listening {
                handshake_since_ms: None,
            };
            activity.progressed = true;
        } else if now >= deadline {
            // The peer neither acknowledges nor closes: reset, then listen once the RST left.
            socket.abort();
            shared.statistics.aborted += 1;
            self.phase = Phase::Closing {
                since_ms: now,
                patience_ms: RESET_GRACE_MS,
            };
            activity.progressed = true;
            activity.deadline_ms = Some(now.saturating_add(RESET_GRACE_MS));
        } else if socket.state() == State::Closed {
            activity.deadline_ms = Some(reset_deadline);
        } else {
            activity.deadline_ms = Some(deadline);
        }
    }
}

/// Moves bytes between the socket and the connection until neither direction moves any;
/// whether any moved.
fn move_bytes(socket: &mut Socket, connection: &mut Connection, now_ms: u64) -> bool {
    let mut moved_any = false;
    loop {
        let mut moved = 0;
        if socket.can_recv() {
            let taken = socket.recv(|received| {
                let taken = connection.receive(received, now_ms);
                (taken, taken)
            });
            moved += taken.unwrap_or(0);
        }
        if socket.can_send() && !connection.transmit().is_empty() {
            let written = socket.send(|room| {
                let written = connection.write_to(room);
                (written, written)
            });
            moved += written.unwrap_or(0);
        }
        if moved == 0 {
            return moved_any;
        }
        moved_any = true;
    }
}
