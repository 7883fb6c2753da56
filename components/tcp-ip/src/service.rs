//! [`NetworkService`]: a protocol over the stack's sockets (the HTTP service, the echo service,
//! later TLS and database clients), and [`Sockets`], the view of the stack it works through.
//!
//! The stack drives every service the same way ([`NetworkStack::step`]): receive what the
//! device holds (no more frames than any service can take), let each service serve its
//! sockets, then send what they queued, repeating while anything moves. A service never sees
//! the device type, so services are objects the board lists.
//!
//! [`NetworkStack::step`]: crate::NetworkStack::step
use core::fmt;

use smoltcp::iface::{Interface, SocketHandle, SocketSet};
use smoltcp::socket::AnySocket;

use crate::address_client::NetworkEvent;
use crate::syn_gate::SynGates;

/// What one [`NetworkService::serve`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Activity {
    /// Bytes moved or sockets changed state: the stack has something new to send.
    pub progressed: bool,
    /// When the service must be served again at the latest; `None`: only a frame can bring
    /// it work.
    pub deadline_ms: Option<u64>,
}

impl Activity {
    /// The earlier of two optional times.
    pub fn earliest(first: Option<u64>, second: Option<u64>) -> Option<u64> {
        match (first, second) {
            (Some(first), Some(second)) => Some(first.min(second)),
            (first, second) => first.or(second),
        }
    }
}

/// A protocol served (or spoken) over the stack's sockets.
pub trait NetworkService {
    /// The most sockets it adds to the stack (the stack reserves room for them at start-up, so
    /// adding one never allocates the socket set).
    fn sockets(&self) -> usize;

    /// Adds its first sockets (listeners) before the image is ready, so a client that connects
    /// at once is not refused.
    fn start(&mut self, sockets: &mut Sockets<'_>);

    /// Frames the stack may receive before this service serves again: a service whose
    /// listeners each take one SYN asks for no more frames than it has listeners while it can
    /// still add sockets. `usize::MAX` (the default) for no limit.
    fn frame_budget(&self) -> usize {
        usize::MAX
    }

    /// The stack received `frames` frames since the service last served.
    fn received(&mut self, _frames: usize) {}

    /// Serves its sockets at `now_ms`: moves bytes, accepts, closes, times out.
    fn serve(&mut self, sockets: &mut Sockets<'_>, now_ms: u64) -> Activity;

    /// Called once per step after serving, for periodic work such as logging counters; returns
    /// when it wants to run next, if it has something pending.
    fn tick(&mut self, _now_ms: u64) -> Option<u64> {
        None
    }

    /// The interface's address changed (a DHCP lease came, was renewed, or ended): adjust
    /// what depends on it (the outbound service takes the lease's DNS servers). `note` takes
    /// lines worth logging (`outbound: DNS 10.0.2.3 (from the DHCP lease)`). The network loop
    /// calls it after the step that applied the change, then steps again at once.
    fn network_changed(
        &mut self,
        _event: &NetworkEvent,
        _sockets: &mut Sockets<'_>,
        _note: &mut dyn FnMut(fmt::Arguments<'_>),
    ) {
    }

    /// One line saying what it serves and within which limits, logged when the image is ready
    /// (`http: 128 connections at most …`).
    fn summary(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result;

    /// Calls `each` with every service this value is made of: itself, or each member of a
    /// tuple of services.
    fn each_service(&self, each: &mut dyn FnMut(&dyn NetworkService))
    where
        Self: Sized,
    {
        each(self);
    }
}

/// The services of an image, as one: a tuple of services serves each in turn, so the stack's
/// loop is compiled for the image's exact services (no virtual calls on the request path).
macro_rules! tuple_of_services {
    ($($member:ident . $index:tt),+) => {
        impl<$($member: NetworkService),+> NetworkService for ($($member,)+) {
            fn sockets(&self) -> usize {
                0 $(+ self.$index.sockets())+
            }

            fn start(&mut self, sockets: &mut Sockets<'_>) {
                $(self.$index.start(sockets);)+
            }

            fn frame_budget(&self) -> usize {
                usize::MAX $(.min(self.$index.frame_budget()))+
            }

            fn received(&mut self, frames: usize) {
                $(self.$index.received(frames);)+
            }

            fn serve(&mut self, sockets: &mut Sockets<'_>, now_ms: u64) -> Activity {
                let mut activity = Activity::default();
                $(
                    let served = self.$index.serve(sockets, now_ms);
                    activity.progressed |= served.progressed;
                    activity.deadline_ms = Activity::earliest(activity.deadline_ms, served.deadline_ms);
                )+
                activity
            }

            fn tick(&mut self, now_ms: u64) -> Option<u64> {
                let mut next = None;
                $(next = Activity::earliest(next, self.$index.tick(now_ms));)+
                next
            }

            fn network_changed(
                &mut self,
                event: &NetworkEvent,
                sockets: &mut Sockets<'_>,
                note: &mut dyn FnMut(fmt::Arguments<'_>),
            ) {
                $(self.$index.network_changed(event, sockets, note);)+
            }

            fn summary(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                let mut first = true;
                $(
                    if !first {
                        formatter.write_str("; ")?;
                    }
                    first = false;
                    self.$index.summary(formatter)?;
                )+
                let _ = first;
                Ok(())
            }

            fn each_service(&self, each: &mut dyn FnMut(&dyn NetworkService)) {
                $(self.$index.each_service(each);)+
            }
        }
    };
}

tuple_of_services!(A.0);
tuple_of_services!(A.0, B.1);
tuple_of_services!(A.0, B.1, C.2);
tuple_of_services!(A.0, B.1, C.2, D.3);

/// The stack's sockets as a service sees them.
pub struct Sockets<'a> {
    pub(crate) set: &'a mut SocketSet<'static>,
    pub(crate) interface: &'a mut Interface,
    pub(crate) gate: &'a mut SynGates,
    pub(crate) wake: Option<&'static sauce_core::signal::InterruptSignal>,
}

impl core::fmt::Debug for Sockets<'_> {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.debug_struct("Sockets").finish_non_exhaustive()
    }
}

impl Sockets<'_> {
    /// Adds a socket, in a slot reserved at start-up while fewer than the services declared
    /// are in use.
    pub fn add<T: AnySocket<'static>>(&mut self, socket: T) -> SocketHandle {
        self.set.add(socket)
    }

    /// The socket behind `handle`; panics if `handle` is not a `T` of this stack.
    pub fn get<T: AnySocket<'static>>(&self, handle: SocketHandle) -> &T {
        self.set.get(handle)
    }

    /// The socket behind `handle`, to change; panics if `handle` is not a `T` of this stack.
    pub fn get_mut<T: AnySocket<'static>>(&mut self, handle: SocketHandle) -> &mut T {
        self.set.get_mut(handle)
    }

    /// The interface and the socket set together, for calls that need both (such as
    /// `tcp::Socket::connect`, which takes `interface.context()`).
    pub fn interface_and_set(&mut self) -> (&mut Interface, &mut SocketSet<'static>) {
        (self.interface, self.set)
    }

    /// Holds SYNs to `port` beyond the `listening` sockets now listening on it (until the next
    /// call): they are dropped and the client sends them again, rather than reset.
    pub fn hold_syns(&mut self, port: u16, listening: usize) {
        self.gate.set(port, listening);
    }

    /// The signal that wakes the network loop (the device's interrupt signal): raised by work
    /// that finishes outside the loop (an app's handler) so the loop delivers its result.
    pub fn wake_signal(&self) -> Option<&'static sauce_core::signal::InterruptSignal> {
        self.wake
    }

    /// SYNs to `port` held back since the last call: clients waiting for a socket.
    pub fn take_held_syns(&mut self, port: u16) -> usize {
        self.gate.take_held(port)
    }
}
