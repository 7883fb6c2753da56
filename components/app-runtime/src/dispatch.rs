//! [`Dispatcher`]: requests for the app in, one task per request on the executor, responses
//! out in a queue the HTTP service drains.
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::future::Future;
use core::net::{Ipv4Addr, SocketAddrV4};

use sauce_app::{Body, BoxFuture, Call, Error, Method, Request, Response, Router};
use sauce_core::signal::InterruptSignal;
use sauce_http_server::{AppBody, AppRequest, AppResponse};
use sauce_http_service::app::{AppDispatch, Ticket};
use smoltcp::wire::{IpAddress, IpEndpoint};

/// Starts a task; `false` when the executor has no room for one.
pub type Spawn = Box<dyn Fn(BoxFuture<()>) -> bool>;

/// Polls a request's call once, now; its response if it has one.
pub type RunNow = Box<dyn Fn(&mut Call) -> Option<Response>>;

/// [`RunNow`] with a waker that does nothing: a call that waits is handed to the executor,
/// whose first poll registers its own waker.
pub fn run_once(call: &mut Call) -> Option<Response> {
    let mut context = core::task::Context::from_waker(core::task::Waker::noop());
    match core::pin::Pin::new(call).poll(&mut context) {
        core::task::Poll::Ready(response) => Some(response),
        core::task::Poll::Pending => None,
    }
}

/// Responses handlers finished, waiting for the HTTP service.
type Finished = Rc<RefCell<VecDeque<(Ticket, AppResponse)>>>;

/// Runs each request's handler as a task of its own.
pub struct Dispatcher<S: 'static> {
    router: &'static Router<S>,
    state: &'static S,
    spawn: Spawn,
    run_now: RunNow,
    finished: Finished,
    wake: Option<&'static InterruptSignal>,
    next_request_id: u64,
}

impl<S: 'static> Dispatcher<S> {
    /// A dispatcher answering with `router` over `state`: each request's call first runs once
    /// through `run_now`, and goes to `spawn` as a task only if it waits.
    pub fn new(
        router: &'static Router<S>,
        state: &'static S,
        run_now: RunNow,
        spawn: Spawn,
    ) -> Dispatcher<S> {
        Dispatcher {
            router,
            state,
            spawn,
            run_now,
            finished: Rc::default(),
            wake: None,
            next_request_id: 1,
        }
    }
}

impl<S: 'static> AppDispatch for Dispatcher<S> {
    fn start(&mut self, wake: Option<&'static InterruptSignal>) {
        self.wake = wake;
    }

    fn dispatch(
        &mut self,
        ticket: Ticket,
        request: AppRequest,
        peer: Option<IpEndpoint>,
    ) -> Option<AppResponse> {
        let id = self.next_request_id;
        self.next_request_id += 1;
        let route = request.route;
        let request = match request_of(request, id, peer) {
            Ok(request) => request,
            Err(error) => return Some(response_of(error.into_response())),
        };
        // Most handlers answer without waiting for anything: the call runs once here, and
        // only a handler that waits becomes a task of the executor (the call is `Unpin`: its
        // handler's future is boxed, so moving the call into a task is sound after a poll).
        let mut call = self.router.call(Some(route), request, self.state);
        if let Some(response) = (self.run_now)(&mut call) {
            return Some(response_of(response));
        }
        let (finished, wake) = (self.finished.clone(), self.wake);
        let task: BoxFuture<()> = Box::pin(async move {
            let response = call.await;
            finished
                .borrow_mut()
                .push_back((ticket, response_of(response)));
            if let Some(wake) = wake {
                wake.notify();
            }
        });
        if !(self.spawn)(task) {
            return Some(response_of(Error::unavailable(1).into_response()));
        }
        None
    }

    fn completed(&mut self) -> Option<(Ticket, AppResponse)> {
        self.finished.borrow_mut().pop_front()
    }
}

/// The app API's request for a head the server checked, its body, an id and the peer: the
/// head's buffer becomes the request's own (no copy).
pub fn request_of(
    request: AppRequest,
    id: u64,
    peer: Option<IpEndpoint>,
) -> Result<Request, Error> {
    let AppRequest { head, body, .. } = request;
    let token = head.split(|byte| *byte == b' ').next().unwrap_or_default();
    let method = Method::from_token(token)
        .ok_or_else(|| Error::bad_request("the request line has no method"))?;
    let peer = match peer {
        Some(IpEndpoint {
            addr: IpAddress::Ipv4(address),
            port,
        }) => SocketAddrV4::new(Ipv4Addr::from(address.octets()), port),
        _ => SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0),
    };
    Request::from_head(method, head, body, id, peer)
}

/// The server's framing of the app API's response.
pub fn response_of(response: Response) -> AppResponse {
    let status = response.status();
    let content_length = response.content_length().map(|length| length as u64);
    let length = response
        .headers()
        .map(|(name, value)| name.len() + value.len() + 4)
        .sum();
    let mut fields = Vec::with_capacity(length);
    for (name, value) in response.headers() {
        fields.extend_from_slice(name.as_bytes());
        fields.extend_from_slice(b": ");
        fields.extend_from_slice(value.as_bytes());
        fields.extend_from_slice(b"\r\n");
    }
    let body = match response.into_body() {
        Body::Empty => AppBody::Static(&[]),
        Body::Static(bytes) => AppBody::Static(bytes),
        Body::Owned(bytes) => AppBody::Owned(bytes),
    };
    AppResponse {
        status,
        fields,
        content_length,
        body,
    }
}
