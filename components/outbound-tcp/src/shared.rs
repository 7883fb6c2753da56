//! The state the handles and the service share: one slot per connection, one per lookup.
//!
//! A handle claims a free slot and asks; the service does the asking on the sockets and
//! answers in the slot. Only the service gives a connection slot back (once its socket is
//! closed), so a handle's index stays valid for as long as the handle lives; a lookup slot is
//! given back by its handle when it takes the answer (the DNS query is over by then).
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::task::Waker;

use sauce_core::signal::InterruptSignal;
use smoltcp::socket::dns::QueryHandle;
use smoltcp::wire::{IpEndpoint, Ipv4Address};

use crate::error::ConnectError;

/// The bounds and timeouts the service keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Connections open (or closing) at once.
    pub max_connections: usize,
    /// Bytes of each socket's receive buffer, and of the buffer the task reads from.
    pub receive_buffer: usize,
    /// Bytes of each socket's send buffer, and of the buffer the task writes to.
    pub send_buffer: usize,
    /// How long opening a connection may take.
    pub connect_timeout_ms: u64,
    /// How long resolving a name may take.
    pub resolve_timeout_ms: u64,
    /// How long a dropped connection may take to close before it is reset.
    pub close_timeout_ms: u64,
}

impl Limits {
    /// Lookups at once: one per connection, at most eight (each holds a DNS query slot).
    pub const fn max_lookups(&self) -> usize {
        if self.max_connections < 8 {
            self.max_connections
        } else {
            8
        }
    }
}

/// Where a connection slot is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Nobody's.
    Free,
    /// A handle asked to connect to `remote`; the service has not opened the socket yet.
    Requested { remote: IpEndpoint },
    /// SYN sent.
    Connecting,
    /// Established (or closing after it was).
    Open,
    /// Connecting failed; the handle takes the error and lets go.
    Failed(ConnectError),
    /// The handle let go: close (`graceful`) or reset the socket, then free the slot.
    Abandoned { graceful: bool },
}

/// Whether the task's side has shut the connection down for writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shutdown {
    /// No.
    Open,
    /// Asked: FIN once the outgoing buffer is empty.
    Requested,
    /// FIN queued on the socket.
    Sent,
}

/// One connection.
#[derive(Debug)]
pub(crate) struct Slot {
    pub phase: Phase,
    /// Bytes the service took from the socket, for the task to read.
    pub incoming: VecDeque<u8>,
    /// Bytes the task wrote, for the service to hand to the socket.
    pub outgoing: VecDeque<u8>,
    /// The peer sent FIN and every byte before it is in `incoming` (or was read).
    pub peer_closed: bool,
    /// The connection was reset; bytes already in `incoming` are still read first.
    pub reset: bool,
    pub shutdown: Shutdown,
    /// The task waiting on this slot.
    pub waker: Option<Waker>,
}

impl Slot {
    fn new() -> Slot {
        Slot {
            phase: Phase::Free,
            incoming: VecDeque::new(),
            outgoing: VecDeque::new(),
            peer_closed: false,
            reset: false,
            shutdown: Shutdown::Open,
            waker: None,
        }
    }

    /// Claims the slot for a connection to `remote`: buffers reserved (kept from an earlier
    /// connection when they are), flags cleared.
    pub fn claim(&mut self, remote: IpEndpoint, limits: &Limits) -> Result<(), ConnectError> {
        let reserve = |buffer: &mut VecDeque<u8>, bytes: usize| {
            buffer.clear();
            buffer
                .try_reserve_exact(bytes)
                .map_err(|_| ConnectError::OutOfMemory)
        };
        reserve(&mut self.incoming, limits.receive_buffer)?;
        reserve(&mut self.outgoing, limits.send_buffer)?;
        self.phase = Phase::Requested { remote };
        self.peer_closed = false;
        self.reset = false;
        self.shutdown = Shutdown::Open;
        self.waker = None;
        Ok(())
    }

    /// Wakes the task waiting on the slot, if any.
    pub fn wake(&mut self) {
        if let Some(waker) = self.waker.take() {
            waker.wake();
        }
    }
}

/// Where a lookup is.
pub(crate) enum LookupPhase {
    Free,
    /// A handle asked for `name`'s address.
    Requested {
        name: String,
    },
    /// The DNS socket's query is under way.
    Started(QueryHandle),
    /// The answer, for the handle to take.
    Done(Result<Ipv4Address, ConnectError>),
    /// The handle let go; the service cancels the query (if started) and frees the slot.
    Abandoned(Option<QueryHandle>),
}

impl core::fmt::Debug for LookupPhase {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Free => formatter.write_str("Free"),
            Self::Requested { name } => write!(formatter, "Requested({name})"),
            Self::Started(_) => formatter.write_str("Started"),
            Self::Done(answer) => write!(formatter, "Done({answer:?})"),
            Self::Abandoned(_) => formatter.write_str("Abandoned"),
        }
    }
}

/// One name being resolved.
#[derive(Debug)]
pub(crate) struct Lookup {
    pub phase: LookupPhase,
    pub waker: Option<Waker>,
}

/// Everything the handles and the service share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub limits: Limits,
    pub slots: Vec<Slot>,
    pub lookups: Vec<Lookup>,
    /// Whether a DNS server is configured.
    pub has_dns_server: bool,
    /// Set when the stack started the service.
    pub running: bool,
    /// Wakes the network loop (set when the stack starts the service, if it has a signal).
    pub wake: Option<&'static InterruptSignal>,
}

/// The shared state as the handles and the service hold it.
pub(crate) type SharedState = Arc<spin::Mutex<Shared>>;

impl Shared {
    pub fn new(limits: Limits, has_dns_server: bool) -> SharedState {
        let slots = (0..limits.max_connections).map(|_| Slot::new()).collect();
        let lookups = (0..limits.max_lookups())
            .map(|_| Lookup {
                phase: LookupPhase::Free,
                waker: None,
            })
            .collect();
        Arc::new(spin::Mutex::new(Shared {
            limits,
            slots,
            lookups,
            has_dns_server,
            running: false,
            wake: None,
        }))
    }

    /// Raises the network loop's signal: work for the service.
    pub fn wake_loop(&self) {
        if let Some(signal) = self.wake {
            signal.notify();
        }
    }
}
