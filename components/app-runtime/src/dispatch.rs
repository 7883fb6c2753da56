//! [`Dispatcher`]: requests for the app in, one task per request on the executor, responses
//! out in a queue the HTTP service drains.
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::future::Future;
use core::net::{Ipv4Addr, SocketAddrV4};

use sauce_app::{Body, BoxFuture, Call, Error, Request, Response, Router};
use sauce_core::signal::InterruptSignal;
use sauce_http_server::{AppBody, AppRequest, AppResponse};
use sauce_http_service::app::{AppDispatch, Ticket};
use smoltcp::wire::{IpAddress, IpEndpoint};

/// Starts a task; gives it back when the executor has no room for one now.
pub type Spawn = Box<dyn Fn(BoxFuture<()>) -> Result<(), BoxFuture<()>>>;

/// Whether the executor has room for one more task now.
pub type HasRoom = Box<dyn Fn() -> bool>;

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

/// A call that waits for a task slot: its ticket, since when, and its task.
struct Queued {
    ticket: Ticket,
    since_ms: u64,
    task: BoxFuture<()>,
}

/// Runs each request's handler as a task of its own.
///
/// When every task slot of the executor is taken, a request's call queues unstarted (in
/// arrival order) until a task ends, for at most `queue_timeout_ms`; then it is answered 503
/// with `Retry-After` (its handler never runs). Unstarted: a call run once and left waiting
/// could hold what the running tasks wait for (a pooled database connection), and they would
/// all wait until the queue's timeout. The queue is bounded by the connections the HTTP
/// service holds, since each has at most one request with the app.
pub struct Dispatcher<S: 'static> {
    router: &'static Router<S>,
    state: &'static S,
    spawn: Spawn,
    has_room: HasRoom,
    run_now: RunNow,
    finished: Finished,
    /// Calls that waited when no task slot was free, oldest first.
    queued: VecDeque<Queued>,
    queue_timeout_ms: u64,
    wake: Option<&'static InterruptSignal>,
    next_request_id: u64,
}

impl<S: 'static> Dispatcher<S> {
    /// A dispatcher answering with `router` over `state`: while the executor has room
    /// (`has_room`), each request's call first runs once through `run_now` and goes to `spawn`
    /// as a task only if it waits; without room it queues unstarted for at most
    /// `queue_timeout_ms`.
    pub fn new(
        router: &'static Router<S>,
        state: &'static S,
        run_now: RunNow,
        (spawn, has_room): (Spawn, HasRoom),
        queue_timeout_ms: u64,
    ) -> Dispatcher<S> {
        Dispatcher {
            router,
            state,
            spawn,
            has_room,
            run_now,
            finished: Rc::default(),
            queued: VecDeque::new(),
            queue_timeout_ms,
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
        now_ms: u64,
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
        let startable = self.queued.is_empty() && (self.has_room)();
        if startable {
            if let Some(response) = (self.run_now)(&mut call) {
                return Some(response_of(response));
            }
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
        let queued = Queued {
            ticket,
            since_ms: now_ms,
            task,
        };
        if startable {
            // Run once already: it goes first (the handler itself may have taken the room).
            self.queued.push_front(queued);
        } else {
            self.queued.push_back(queued);
        }
        self.start_queued(now_ms);
        None
    }

    fn completed(&mut self, now_ms: u64) -> Option<(Ticket, AppResponse)> {
        // A task that finished freed its slot (and woke the service, which calls this).
        if !self.queued.is_empty() {
            self.start_queued(now_ms);
        }
        self.finished.borrow_mut().pop_front()
    }

    fn deadline_ms(&self) -> Option<u64> {
        self.queued
            .front()
            .map(|queued| queued.since_ms.saturating_add(self.queue_timeout_ms))
    }
}

impl<S: 'static> Dispatcher<S> {
    /// Starts queued calls, oldest first, while the executor has room; answers those that
    /// waited `queue_timeout_ms` with 503 (the client may retry in a second).
    fn start_queued(&mut self, now_ms: u64) {
        while let Some(queued) = self.queued.pop_front() {
            if now_ms >= queued.since_ms.saturating_add(self.queue_timeout_ms) {
                let busy = Error::unavailable(1).into_response();
                self.finished
                    .borrow_mut()
                    .push_back((queued.ticket, response_of(busy)));
                continue;
            }
            if let Err(task) = (self.spawn)(queued.task) {
                self.queued.push_front(Queued { task, ..queued });
                return;
            }
        }
    }

    /// Calls waiting for a task slot.
    pub fn queued(&self) -> usize {
        self.queued.len()
    }
}

/// The app API's request for a head the server checked, its body, an id and the peer: the
/// head's buffer becomes the request's own (no copy); its method and target are where the
/// server found them.
pub fn request_of(
    request: AppRequest,
    id: u64,
    peer: Option<IpEndpoint>,
) -> Result<Request, Error> {
    let AppRequest {
        head,
        body,
        method,
        target,
        ..
    } = request;
    let peer = match peer {
        Some(IpEndpoint {
            addr: IpAddress::Ipv4(address),
            port,
        }) => SocketAddrV4::new(Ipv4Addr::from(address.octets()), port),
        _ => SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0),
    };
    Request::from_checked_head(
        crate::routes::method_of(method),
        head,
        target,
        body,
        id,
        peer,
    )
}

/// The `Content-Type` lines of the types handlers answer with most, kept in the image.
const CONTENT_TYPE_LINES: [(&str, &[u8]); 3] = [
    ("application/json", b"Content-Type: application/json\r\n"),
    (
        "text/plain; charset=utf-8",
        b"Content-Type: text/plain; charset=utf-8\r\n",
    ),
    (
        "text/html; charset=utf-8",
        b"Content-Type: text/html; charset=utf-8\r\n",
    ),
];

/// The server's framing of the app API's response: a common `Content-Type` as a line of the
/// image, the other headers written into `fields` (not allocated when there are none).
pub fn response_of(response: Response) -> AppResponse {
    let status = response.status();
    let content_length = response.content_length().map(|length| length as u64);
    let content_type_line = response.content_type().and_then(|content_type| {
        CONTENT_TYPE_LINES
            .iter()
            .find(|(value, _)| *value == content_type)
            .map(|(_, line)| *line)
    });
    let unlisted_type = content_type_line.is_none() && response.content_type().is_some();
    if !unlisted_type && response.other_headers().next().is_none() {
        // The common answer: a listed type (or none) and no other header; nothing to write.
        return AppResponse {
            status,
            content_type_line: content_type_line.unwrap_or_default(),
            fields: Vec::new(),
            content_length,
            body: app_body(response.into_body()),
        };
    }
    let other_fields = || {
        let content_type = response
            .content_type()
            .filter(|_| content_type_line.is_none())
            .map(|value| ("Content-Type", value));
        content_type.into_iter().chain(response.other_headers())
    };
    let length = other_fields()
        .map(|(name, value)| name.len() + value.len() + 4)
        .sum();
    let mut fields = Vec::with_capacity(length);
    for (name, value) in other_fields() {
        fields.extend_from_slice(name.as_bytes());
        fields.extend_from_slice(b": ");
        fields.extend_from_slice(value.as_bytes());
        fields.extend_from_slice(b"\r\n");
    }
    AppResponse {
        status,
        content_type_line: content_type_line.unwrap_or_default(),
        fields,
        content_length,
        body: app_body(response.into_body()),
    }
}

/// The server's body for the app API's.
fn app_body(body: Body) -> AppBody {
    match body {
        Body::Empty => AppBody::Static(&[]),
        Body::Static(bytes) => AppBody::Static(bytes),
        Body::Owned(bytes) => AppBody::Owned(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sauce_app::{handler, Method};

    /// Waits once (so the call becomes a task), then answers with the path.
    async fn waits(request: Request) -> sauce_app::Result {
        sauce_app::testing::yield_now().await;
        Ok(Response::text(alloc::string::String::from(request.path())))
    }

    fn request(path: &str) -> AppRequest {
        AppRequest {
            head: alloc::format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").into_bytes(),
            body: Vec::new(),
            route: 0,
            method: sauce_http_server::Method::Get,
            target: 4..4 + path.len(),
        }
    }

    #[test]
    fn common_content_types_are_lines_of_the_image_and_others_are_fields() {
        let json = response_of(Response::json(&[1]));
        assert_eq!(
            json.content_type_line,
            b"Content-Type: application/json\r\n"
        );
        assert!(
            json.fields.is_empty() && json.fields.capacity() == 0,
            "nothing allocated"
        );
        let csv = response_of(
            Response::bytes("text/csv", &b"a,b"[..])
                .unwrap()
                .with_header("X-Count", "1")
                .unwrap(),
        );
        assert_eq!(csv.content_type_line, b"");
        assert_eq!(csv.fields, b"Content-Type: text/csv\r\nX-Count: 1\r\n");
        let text = response_of(Response::text("hi").with_header("X-A", "b").unwrap());
        assert_eq!(
            text.content_type_line,
            b"Content-Type: text/plain; charset=utf-8\r\n"
        );
        assert_eq!(text.fields, b"X-A: b\r\n");
        let empty = response_of(Response::no_content());
        assert_eq!((empty.content_type_line, empty.fields.len()), (&b""[..], 0));
    }

    /// The slot of an executor with one task slot, polled by the test.
    type OneSlot = Rc<RefCell<Option<BoxFuture<()>>>>;

    /// An executor with one task slot: its spawn and room closures, and the slot.
    fn one_slot() -> ((Spawn, HasRoom), OneSlot) {
        let slot: OneSlot = Rc::default();
        let (spawn_slot, room_slot) = (slot.clone(), slot.clone());
        let spawn: Spawn = Box::new(move |task| {
            let mut slot = spawn_slot.borrow_mut();
            if slot.is_some() {
                return Err(task);
            }
            *slot = Some(task);
            Ok(())
        });
        let has_room: HasRoom = Box::new(move || room_slot.borrow().is_none());
        ((spawn, has_room), slot)
    }

    /// Runs the task in `slot` to its end.
    fn run_slot(slot: &OneSlot) {
        let mut task = slot.borrow_mut().take().expect("a task holds the slot");
        let mut context = core::task::Context::from_waker(core::task::Waker::noop());
        while task.as_mut().poll(&mut context).is_pending() {}
    }

    fn waiting_router() -> &'static Router<()> {
        Box::leak(Box::new(Router::new().route(
            "/{name}",
            &[Method::Get],
            handler!(waits),
        )))
    }

    fn ticket(serial: usize) -> Ticket {
        Ticket {
            slot: serial,
            serial: serial as u64,
        }
    }

    #[test]
    fn calls_queue_for_a_task_slot_in_order_instead_of_failing() {
        let (closures, slot) = one_slot();
        let mut dispatcher =
            Dispatcher::new(waiting_router(), &(), Box::new(run_once), closures, 1_000);
        for (serial, path) in ["/first", "/second", "/third"].into_iter().enumerate() {
            assert_eq!(
                dispatcher.dispatch(ticket(serial), request(path), None, 0),
                None
            );
        }
        assert_eq!(
            dispatcher.queued(),
            2,
            "one task runs, two wait for its slot"
        );
        assert_eq!(dispatcher.deadline_ms(), Some(1_000));
        let mut answered = Vec::new();
        while answered.len() < 3 {
            run_slot(&slot);
            // The task ended: its slot is free, and the next call starts.
            let (ticket, response) = dispatcher.completed(10).expect("its response");
            assert_eq!(response.status, 200);
            answered.push((ticket.serial, response.body));
        }
        assert_eq!((dispatcher.queued(), dispatcher.deadline_ms()), (0, None));
        let bodies: Vec<_> = answered
            .iter()
            .map(|(serial, body)| match body {
                AppBody::Owned(bytes) => (*serial, bytes.clone()),
                AppBody::Static(bytes) => (*serial, bytes.to_vec()),
            })
            .collect();
        assert_eq!(
            bodies,
            [
                (0, b"/first".to_vec()),
                (1, b"/second".to_vec()),
                (2, b"/third".to_vec())
            ]
        );
    }

    #[test]
    fn a_call_that_waits_too_long_for_a_slot_is_answered_503_without_running() {
        let (closures, slot) = one_slot();
        let mut dispatcher =
            Dispatcher::new(waiting_router(), &(), Box::new(run_once), closures, 1_000);
        assert_eq!(
            dispatcher.dispatch(ticket(0), request("/busy"), None, 0),
            None
        );
        assert_eq!(
            dispatcher.dispatch(ticket(1), request("/late"), None, 500),
            None
        );
        assert_eq!(dispatcher.deadline_ms(), Some(1_500));
        assert!(
            dispatcher.completed(1_499).is_none(),
            "still within its time"
        );
        let (late, response) = dispatcher
            .completed(1_500)
            .expect("answered at its deadline");
        assert_eq!((late.serial, response.status), (1, 503));
        assert!(String::from_utf8_lossy(&response.fields).contains("Retry-After: 1"));
        assert_eq!((dispatcher.queued(), dispatcher.deadline_ms()), (0, None));
        // The first call still holds the slot and answers when it ends.
        run_slot(&slot);
        let (first, response) = dispatcher.completed(2_000).expect("its response");
        assert_eq!((first.serial, response.status), (0, 200));
    }

    /// Handlers started by [`counted`].
    static STARTED: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

    /// Counts its start, then waits once and answers.
    async fn counted(request: Request) -> sauce_app::Result {
        STARTED.fetch_add(1, core::sync::atomic::Ordering::SeqCst);
        waits(request).await
    }

    #[test]
    fn a_call_without_a_task_slot_waits_unstarted_so_it_holds_nothing() {
        let router: &'static Router<()> = Box::leak(Box::new(Router::new().route(
            "/{name}",
            &[Method::Get],
            handler!(counted),
        )));
        let started = || STARTED.load(core::sync::atomic::Ordering::SeqCst);
        let (closures, slot) = one_slot();
        let mut dispatcher = Dispatcher::new(router, &(), Box::new(run_once), closures, 1_000);
        assert_eq!(dispatcher.dispatch(ticket(0), request("/a"), None, 0), None);
        assert_eq!(started(), 1, "run once in place, then a task");
        assert_eq!(dispatcher.dispatch(ticket(1), request("/b"), None, 0), None);
        assert_eq!(started(), 1, "no room: queued without running");
        run_slot(&slot);
        assert_eq!(
            dispatcher.completed(5).map(|(ticket, _)| ticket.serial),
            Some(0)
        );
        assert_eq!(started(), 1, "spawned, first polled by the executor");
        run_slot(&slot);
        assert_eq!(started(), 2);
        assert_eq!(
            dispatcher.completed(6).map(|(ticket, _)| ticket.serial),
            Some(1)
        );
    }
}
