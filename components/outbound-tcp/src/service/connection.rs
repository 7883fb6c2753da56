//! One connection slot, one turn: open what was asked, follow the socket, move bytes, close.
use alloc::vec::Vec;

use sauce_tcp_ip::{Activity, Sockets};
use smoltcp::socket::tcp::{self, State};

use super::SocketSide;
use crate::error::ConnectError;
use crate::shared::{Limits, Phase, Shutdown, Slot};

/// What a turn works with besides the slot.
pub(super) struct Context<'a, 'b> {
    pub limits: &'a Limits,
    pub sockets: &'a mut Sockets<'b>,
    pub now_ms: u64,
}

/// Serves one slot.
pub(super) fn serve(context: Context<'_, '_>, slot: &mut Slot, side: &mut SocketSide) -> Activity {
    match slot.phase {
        Phase::Free | Phase::Failed(_) => Activity::default(),
        Phase::Requested { .. } => open(context, slot, side),
        Phase::Connecting => connecting(context, slot, side),
        Phase::Open => transfer(context, slot, side),
        Phase::Abandoned { graceful } => close(context, slot, side, graceful),
    }
}

/// Connecting failed: the socket (if it was opened) is reset, the handle told.
fn fail(
    context: Context<'_, '_>,
    slot: &mut Slot,
    side: &mut SocketSide,
    error: ConnectError,
) -> Activity {
    if let Some(handle) = side.socket {
        context.sockets.get_mut::<tcp::Socket>(handle).abort();
    }
    side.deadline_ms = None;
    slot.phase = Phase::Failed(error);
    slot.wake();
    progressed(None)
}

fn progressed(deadline_ms: Option<u64>) -> Activity {
    Activity {
        progressed: true,
        deadline_ms,
    }
}

fn waiting(deadline_ms: Option<u64>) -> Activity {
    Activity {
        progressed: false,
        deadline_ms,
    }
}

/// A socket with buffers of the configured sizes, reserved fallibly.
fn new_socket(limits: &Limits) -> Option<tcp::Socket<'static>> {
    let buffer = |bytes: usize| {
        let mut storage: Vec<u8> = Vec::new();
        storage.try_reserve_exact(bytes).ok()?;
        storage.resize(bytes, 0);
        Some(tcp::SocketBuffer::new(storage))
    };
    let mut socket = tcp::Socket::new(buffer(limits.receive_buffer)?, buffer(limits.send_buffer)?);
    // Clients write whole messages and flush: send each at once.
    socket.set_nagle_enabled(false);
    Some(socket)
}

fn open(context: Context<'_, '_>, slot: &mut Slot, side: &mut SocketSide) -> Activity {
    let Phase::Requested { remote } = slot.phase else {
        return Activity::default();
    };
    let deadline = *side.deadline_ms.get_or_insert(
        context
            .now_ms
            .saturating_add(context.limits.connect_timeout_ms),
    );
    if context.now_ms >= deadline {
        return fail(context, slot, side, ConnectError::TimedOut);
    }
    if side.port == 0 {
        return fail(context, slot, side, ConnectError::TooManyConnections);
    }
    let handle = match side.socket {
        Some(handle) => handle,
        None => match new_socket(context.limits) {
            Some(socket) => *side.socket.insert(context.sockets.add(socket)),
            None => return fail(context, slot, side, ConnectError::OutOfMemory),
        },
    };
    let (interface, set) = context.sockets.interface_and_set();
    if interface.ipv4_addr().is_none() {
        // DHCP has not leased an address yet: wait for it, within the connect timeout.
        return waiting(Some(deadline));
    }
    let socket = set.get_mut::<tcp::Socket>(handle);
    match socket.connect(interface.context(), remote, side.port) {
        Ok(()) => {
            side.fin_received = false;
            slot.phase = Phase::Connecting;
            progressed(Some(deadline))
        }
        Err(tcp::ConnectError::Unaddressable) => {
            fail(context, slot, side, ConnectError::Unaddressable)
        }
        Err(tcp::ConnectError::InvalidState) => {
            // Cannot happen (a slot is freed only once its socket is closed); reset it and
            // try again next turn rather than trust it.
            socket.abort();
            progressed(Some(deadline))
        }
    }
}

fn connecting(context: Context<'_, '_>, slot: &mut Slot, side: &mut SocketSide) -> Activity {
    let Some(handle) = side.socket else {
        return fail(context, slot, side, ConnectError::Unaddressable);
    };
    let state = context.sockets.get::<tcp::Socket>(handle).state();
    match state {
        State::SynSent | State::SynReceived => {
            let deadline = side.deadline_ms.unwrap_or(context.now_ms);
            if context.now_ms >= deadline {
                fail(context, slot, side, ConnectError::TimedOut)
            } else {
                waiting(Some(deadline))
            }
        }
        State::Closed | State::Listen => fail(context, slot, side, ConnectError::Refused),
        _ => {
            side.deadline_ms = None;
            slot.phase = Phase::Open;
            slot.wake();
            let moved = transfer(context, slot, side);
            progressed(moved.deadline_ms)
        }
    }
}

/// Moves bytes both ways and follows the socket's state (FIN, reset, shutdown).
fn transfer(context: Context<'_, '_>, slot: &mut Slot, side: &mut SocketSide) -> Activity {
    let Some(handle) = side.socket else {
        return Activity::default();
    };
    let limits = context.limits;
    let socket = context.sockets.get_mut::<tcp::Socket>(handle);
    let mut moved = false;
    while socket.can_recv() && slot.incoming.len() < limits.receive_buffer {
        let room = limits.receive_buffer - slot.incoming.len();
        let taken = socket.recv(|data| {
            let count = data.len().min(room);
            slot.incoming.extend(&data[..count]);
            (count, count)
        });
        match taken {
            Ok(count) if count > 0 => moved = true,
            _ => break,
        }
    }
    while socket.can_send() && !slot.outgoing.is_empty() {
        let (front, _) = slot.outgoing.as_slices();
        match socket.send_slice(front) {
            Ok(count) if count > 0 => {
                slot.outgoing.drain(..count);
                moved = true;
            }
            _ => break,
        }
    }
    if slot.shutdown == Shutdown::Requested && slot.outgoing.is_empty() {
        socket.close();
        slot.shutdown = Shutdown::Sent;
        moved = true;
    }
    let state = socket.state();
    if matches!(
        state,
        State::CloseWait | State::LastAck | State::Closing | State::TimeWait
    ) {
        side.fin_received = true;
    }
    let ended_cleanly = side.fin_received && slot.shutdown == Shutdown::Sent;
    if state == State::Closed && !ended_cleanly && !slot.reset {
        slot.reset = true;
        moved = true;
    }
    if side.fin_received && !socket.can_recv() && !slot.peer_closed {
        slot.peer_closed = true;
        moved = true;
    }
    if moved {
        slot.wake();
    }
    Activity {
        progressed: moved,
        deadline_ms: None,
    }
}

/// The handle let go: flush and close (`graceful`, within the close timeout) or reset; once
/// the socket is closed the slot is free.
fn close(
    context: Context<'_, '_>,
    slot: &mut Slot,
    side: &mut SocketSide,
    graceful: bool,
) -> Activity {
    let Some(handle) = side.socket else {
        return release(slot, side);
    };
    let deadline = *side.deadline_ms.get_or_insert(
        context
            .now_ms
            .saturating_add(context.limits.close_timeout_ms),
    );
    let socket = context.sockets.get_mut::<tcp::Socket>(handle);
    if socket.state() == State::Closed {
        if socket.remote_endpoint().is_none() {
            return release(slot, side);
        }
        if context.now_ms >= deadline {
            // An aborted socket keeps its peer until the reset leaves, which it never does
            // when the peer's address does not resolve: the socket goes, the slot is free.
            context.sockets.interface_and_set().1.remove(handle);
            side.socket = None;
            return release(slot, side);
        }
        // Aborted: the reset leaves on the next poll.
        return progressed(Some(deadline));
    }
    if !graceful || context.now_ms >= deadline || socket.state() == State::TimeWait {
        // TIME-WAIT: both sides are done; the port is not reused for a long while (`ports`).
        socket.abort();
        return progressed(Some(context.now_ms));
    }
    // Nobody reads any more: drop what arrives, so the server's FIN gets through.
    while socket.can_recv() {
        if socket.recv(|data| (data.len(), ())).is_err() {
            break;
        }
    }
    while socket.can_send() && !slot.outgoing.is_empty() {
        let (front, _) = slot.outgoing.as_slices();
        match socket.send_slice(front) {
            Ok(count) if count > 0 => {
                slot.outgoing.drain(..count);
            }
            _ => break,
        }
    }
    if slot.outgoing.is_empty() && slot.shutdown != Shutdown::Sent {
        socket.close();
        slot.shutdown = Shutdown::Sent;
        return progressed(Some(deadline));
    }
    waiting(Some(deadline))
}

fn release(slot: &mut Slot, side: &mut SocketSide) -> Activity {
    slot.phase = Phase::Free;
    side.port = 0;
    side.deadline_ms = None;
    side.fin_received = false;
    progressed(None)
}
