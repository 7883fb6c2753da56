//! Counts heap allocations on the request path: building a `GET /todos/1` request from server
//! parts, dispatching it through a router to a JSON handler, and the response.
//!
//! A counting global allocator (this test binary only) wraps the system allocator and counts
//! the allocations made on this thread while counting is on. The test prints the figures
//! (`cargo test --features std --test allocations -- --nocapture`) and fails if a change makes
//! the path allocate more than it does today.
//!
//! The only `unsafe` of the crate's tests is here: `GlobalAlloc` is an unsafe trait.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use sauce_app::{handler, Error, Method, Request, RequestParts, Response, Result, Router, Shared};

std::thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

/// The system allocator, counting this thread's allocations while `COUNTING` is on.
struct CountingAllocator;

fn record(size: usize) {
    let _ = COUNTING.try_with(|counting| {
        if counting.get() {
            let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
            let _ = BYTES.try_with(|bytes| bytes.set(bytes.get() + size as u64));
        }
    });
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// `GlobalAlloc` contract holds as it does for `System`; counting touches only const-initialised
// thread-local cells, which neither allocate nor unwind.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: the caller upholds `alloc`'s contract, which `System.alloc` shares.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from this allocator, that is from `System`, with `layout`.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        // SAFETY: `pointer` came from `System` with `layout`; the caller upholds the rest.
        unsafe { System.realloc(pointer, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Allocations and bytes made by `work` on this thread.
fn count<T>(work: impl FnOnce() -> T) -> (T, u64, u64) {
    ALLOCATIONS.set(0);
    BYTES.set(0);
    COUNTING.set(true);
    let output = work();
    COUNTING.set(false);
    (output, ALLOCATIONS.get(), BYTES.get())
}

#[derive(serde::Serialize)]
struct Todo {
    id: u64,
    title: String,
    done: bool,
}

struct App {
    todos: Shared<BTreeMap<u64, Todo>>,
}

async fn item(request: Request, app: &'static App) -> Result {
    let id: u64 = request
        .param("id")
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| Error::not_found("no such todo"))?;
    app.todos.with(|todos| match todos.get(&id) {
        Some(todo) => Ok(Response::json(todo)),
        None => Err(Error::not_found("no such todo")),
    })
}

async fn collection(_request: Request, app: &'static App) -> Result {
    Ok(app
        .todos
        .with(|todos| Response::json(&todos.values().collect::<Vec<_>>())))
}

/// Polls a future that never waits (the handlers here do not) to completion.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// The head a typical client sends.
const HEADERS: [(&[u8], &[u8]); 4] = [
    (b"Host", b"127.0.0.1:8080"),
    (b"User-Agent", b"curl/8.5.0"),
    (b"Accept", b"*/*"),
    (b"Connection", b"keep-alive"),
];

fn parts(id: u64) -> RequestParts<'static, [(&'static [u8], &'static [u8]); 4]> {
    RequestParts {
        method: Method::Get,
        target: b"/todos/1",
        headers: HEADERS,
        body: Vec::new(),
        id,
        peer: SocketAddrV4::new(Ipv4Addr::new(10, 0, 2, 2), 50_000),
    }
}

#[test]
fn get_todos_1_allocates_a_fixed_small_number_of_times() {
    let app: &'static App = Box::leak(Box::new(App {
        todos: Shared::new(BTreeMap::from([(
            1,
            Todo {
                id: 1,
                title: "buy milk".into(),
                done: false,
            },
        )])),
    }));
    let router: Router<App> = Router::new()
        .route("/todos", &[Method::Get, Method::Post], handler!(collection))
        .route(
            "/todos/{id}",
            &[Method::Get, Method::Put, Method::Patch, Method::Delete],
            handler!(item),
        );
    // Warm up (thread-locals, lazy statics) before counting.
    let warm = run(router.dispatch(Request::from_parts(parts(0)).unwrap(), app));
    assert_eq!(warm.body(), br#"{"id":1,"title":"buy milk","done":false}"#);

    const ROUNDS: u64 = 1_000;
    let (_, request_allocations, request_bytes) = count(|| {
        for id in 0..ROUNDS {
            drop(Request::from_parts(parts(id)).unwrap());
        }
    });
    let requests: Vec<Request> = (0..ROUNDS)
        .map(|id| Request::from_parts(parts(id)).unwrap())
        .collect();
    let mut responses: Vec<Response> = Vec::with_capacity(requests.len());
    let ((), dispatch_allocations, dispatch_bytes) = count(|| {
        for request in requests {
            responses.push(run(router.dispatch(request, app)));
        }
    });
    assert!(responses.iter().all(|response| response.status() == 200));
    let per_request = request_allocations as f64 / ROUNDS as f64;
    let per_dispatch = dispatch_allocations as f64 / ROUNDS as f64;
    println!(
        "GET /todos/1: building the request {per_request} allocations ({} bytes), \
         dispatch + handler + response {per_dispatch} allocations ({} bytes), total {}",
        request_bytes / ROUNDS,
        dispatch_bytes / ROUNDS,
        per_request + per_dispatch,
    );
    assert_eq!(per_request, 1.0, "one buffer for the head");
    assert!(
        per_dispatch <= 2.0,
        "the boxed handler future and the JSON body"
    );
}

#[test]
fn error_answers_stay_small_too() {
    let app: &'static App = Box::leak(Box::new(App {
        todos: Shared::new(BTreeMap::new()),
    }));
    let router: Router<App> = Router::new().route("/todos/{id}", &[Method::Get], handler!(item));
    let _ = run(router.dispatch(Request::from_parts(parts(0)).unwrap(), app));
    let request = Request::from_parts(parts(1)).unwrap();
    let (response, allocations, _) = count(|| run(router.dispatch(request, app)));
    assert_eq!(response.status(), 404);
    println!("GET /todos/1 answered 404: {allocations} allocations");
    assert!(
        allocations <= 2,
        "the boxed future and the JSON error body: {allocations}"
    );
}
