//! Rule 2 of the crate, at the edge: when the heap has no room for a connection's next buffer,
//! the connection answers with the pre-formatted 503 and closes: no panic, no abort. Uses a
//! global allocator that fails on demand, so it lives in its own test binary.
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use sauce_http_server::{Configuration, Connection, Methods, Response, Route, Router, Server};

thread_local! {
    static FAILING: Cell<bool> = const { Cell::new(false) };
}

struct FailingAllocator;

// SAFETY: allocation either forwards to `System` with the caller's arguments unchanged, or
// returns null, which `GlobalAlloc` allows to signal failure; `dealloc` always forwards, so
// every pointer handed out is freed by the allocator that made it.
unsafe impl GlobalAlloc for FailingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if FAILING.with(Cell::get) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller upholds `alloc`'s contract (non-zero size), which we pass on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from `System.alloc`/`realloc` with this `layout`.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if FAILING.with(Cell::get) {
            return std::ptr::null_mut();
        }
        // SAFETY: `pointer` came from this allocator with `layout`; the caller upholds the
        // size rules, which we pass on.
        unsafe { System.realloc(pointer, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: FailingAllocator = FailingAllocator;

static ROUTES: [Route; 1] = [Route::response(
    "/",
    Methods::GET,
    Response::new(200, "text/plain", b"hello\n"),
)];

fn connection() -> Connection {
    Server::new(Router::new(&ROUTES), Configuration::DEFAULT).connection(0)
}

fn drain(connection: &mut Connection) -> String {
    let mut sent = Vec::new();
    loop {
        let pending = connection.transmit();
        if pending.is_empty() {
            return String::from_utf8(sent).unwrap();
        }
        let count = pending.len();
        sent.extend_from_slice(pending);
        connection.consumed(count);
    }
}

fn failing<T>(work: impl FnOnce() -> T) -> T {
    FAILING.with(|failing| failing.set(true));
    let result = work();
    FAILING.with(|failing| failing.set(false));
    result
}

#[test]
fn a_split_head_without_memory_for_its_buffer_gets_503_and_closes() {
    let mut connection = connection();
    let taken = failing(|| connection.receive(b"GET / HTTP/1.1\r\nHost: x\r\n", 0));
    assert_eq!(taken, 25);
    let sent = drain(&mut connection);
    assert!(
        sent.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{sent}"
    );
    assert!(sent.contains("Connection: close\r\n"));
    assert!(connection.wants_close());
}

#[test]
fn a_response_without_memory_gets_503_and_closes() {
    let mut connection = connection();
    failing(|| connection.receive(b"GET / HTTP/1.1\r\n\r\n", 0));
    let sent = drain(&mut connection);
    assert!(
        sent.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{sent}"
    );
    assert!(connection.wants_close());
}

#[test]
fn after_memory_returns_the_next_connection_is_served() {
    let mut starved = connection();
    failing(|| starved.receive(b"GET / HTTP/1.1\r\n\r\n", 0));
    drop(starved);
    let mut connection = connection();
    connection.receive(b"GET / HTTP/1.1\r\n\r\n", 0);
    assert!(drain(&mut connection).starts_with("HTTP/1.1 200 OK\r\n"));
    assert!(!connection.wants_close());
}

#[test]
fn a_warm_connection_whose_memory_runs_out_keeps_serving_from_its_buffers() {
    let mut connection = connection();
    connection.receive(b"GET / HTTP/1.1\r\n\r\n", 0);
    drain(&mut connection);
    // The buffers grown by the first request are reused: no allocation is needed.
    let mut socket = [0u8; 512];
    let written = failing(|| {
        connection.receive(b"GET / HTTP/1.1\r\n\r\n", 1);
        connection.write_to(&mut socket)
    });
    let sent = String::from_utf8_lossy(&socket[..written]);
    assert!(sent.starts_with("HTTP/1.1 200 OK\r\n"), "{sent}");
}
