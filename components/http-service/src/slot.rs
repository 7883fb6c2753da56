//! One socket of the pool: listening, carrying one HTTP connection, or closing.
use sauce_http_server::{Connection, Server};
use smoltcp::iface::SocketHandle;
use smoltcp::socket::tcp::{Socket, State};

use crate::service::Statistics;

/// How long an aborted socket may wait for its RST to leave (the stack sends it at the next
/// poll unless the peer's Ethernet address is unknown) before it listens again regardless.
const RESET_GRACE_MS: u64 = 100;

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
    },
    /// The socket was closed (or aborted) at `since_ms`; it listens again once it is done.
    Closing { since_ms: u64 },
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
    pub open_connections: &'service mut usize,
    pub statistics: &'service mut Statistics,
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

    /// Gives up a connection that has sent nothing for `quiet_ms` since it was accepted
    /// (resetting it), to make room when every socket is taken; whether it did.
    pub fn evict_if_silent(&mut self, socket: &mut Socket, shared: &mut Shared<'_>, quiet_ms: u64) -> bool {
        let Phase::Serving { opened_ms, heard_from: false, .. } = self.phase else { return false };
        if shared.now_ms.saturating_sub(opened_ms) < quiet_ms {
            return false;
        }
        socket.abort();
        *shared.open_connections -= 1;
        shared.statistics.aborted += 1;
        self.phase = Phase::Closing { since_ms: shared.now_ms };
        true
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
            State::Closed | State::TimeWait => self.phase = Phase::Closing { since_ms: now },
            // Established (or already further): a connection to serve or to refuse.
            _ => {
                activity.progressed = true;
                if shared.server.accepts(*shared.open_connections) {
                    *shared.open_connections += 1;
                    shared.statistics.accepted += 1;
                    self.phase = Phase::Serving {
                        connection: shared.server.connection(now),
                        peer_closed: false,
                        opened_ms: now,
                        heard_from: false,
                    };
                } else {
                    // Fits: the send buffer is at least `MINIMUM_BUFFER` bytes and empty.
                    let _ = socket.send_slice(Server::reject_overloaded());
                    socket.close();
                    shared.statistics.rejected += 1;
                    self.phase = Phase::Closing { since_ms: now };
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
            ..
        } = &mut self.phase
        else {
            return;
        };
        *heard_from |= socket.recv_queue() > 0;
        let now = shared.now_ms;
        if !socket.is_active() {
            // Reset by the peer (or by smoltcp): the connection is gone.
            *shared.open_connections -= 1;
            self.phase = Phase::Closing { since_ms: now };
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
        if events.timed_out {
            // A 408 may have been queued.
            activity.progressed |= move_bytes(socket, connection, now);
            events = connection.poll(now);
        }
        if connection.wants_close() {
            // The FIN follows the bytes already in the send buffer.
            socket.close();
            *shared.open_connections -= 1;
            self.phase = Phase::Closing { since_ms: now };
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
        let Phase::Closing { since_ms } = self.phase else {
            return;
        };
        let now = shared.now_ms;
        let deadline = since_ms.saturating_add(shared.patience_ms);
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
            self.phase = Phase::Closing { since_ms: now };
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
