//! [`AppDispatch`]: how the service hands requests to the image's app and gets responses back
//! (the `app-runtime` component implements it, running handlers on the executor).
use sauce_core::signal::InterruptSignal;
use sauce_http_server::{AppRequest, AppResponse};
use smoltcp::wire::IpEndpoint;

/// Which connection a response belongs to: the slot and the connection's serial there, so a
/// response for a connection that ended meanwhile is dropped, never sent to the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticket {
    /// The slot's index in the pool.
    pub slot: usize,
    /// The connection's serial (unique within the service).
    pub serial: u64,
}

/// Runs the app's handlers.
pub trait AppDispatch {
    /// Called once when the service starts: raise `wake` when a response is ready, so the
    /// network loop delivers it.
    fn start(&mut self, wake: Option<&'static InterruptSignal>);

    /// Starts answering `request` (from `peer`) at `now_ms`: returns the response when the
    /// handler answered at once (it waited for nothing), else it comes back later from
    /// [`completed`](Self::completed) with `ticket`.
    fn dispatch(
        &mut self,
        ticket: Ticket,
        request: AppRequest,
        peer: Option<IpEndpoint>,
        now_ms: u64,
    ) -> Option<AppResponse>;

    /// A finished response at `now_ms`, if any (a request that waited too long to be started
    /// gets its answer here too).
    fn completed(&mut self, now_ms: u64) -> Option<(Ticket, AppResponse)>;

    /// When [`completed`](Self::completed) must be called again at the latest (a waiting
    /// request's time runs out), if ever.
    fn deadline_ms(&self) -> Option<u64> {
        None
    }
}

impl core::fmt::Debug for dyn AppDispatch {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.write_str("AppDispatch")
    }
}
