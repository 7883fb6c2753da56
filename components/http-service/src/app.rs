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

    /// Starts answering `request` (from `peer`): returns the response when the handler
    /// answered at once (it waited for nothing), else it comes back later from
    /// [`completed`](Self::completed) with `ticket`.
    fn dispatch(
        &mut self,
        ticket: Ticket,
        request: AppRequest,
        peer: Option<IpEndpoint>,
    ) -> Option<AppResponse>;

    /// A finished response, if any.
    fn completed(&mut self) -> Option<(Ticket, AppResponse)>;
}

impl core::fmt::Debug for dyn AppDispatch {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.write_str("AppDispatch")
    }
}
