//! Rule 2 of the crate: once its buffers have grown, a connection serving a steady stream of
//! requests allocates nothing. Counted with a global allocator, so it lives in its own test
//! binary (the library forbids `unsafe`; a `GlobalAlloc` needs it).
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use sauce_http_server::{Configuration, Connection, Methods, Response, Route, Router, StaticFile};
use sauce_static_files::FileTable;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static FREES: Cell<u64> = const { Cell::new(0) };
}

struct CountingAllocator;

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so this
// allocator upholds `GlobalAlloc`'s contract exactly as `System` does; counting touches only a
// const-initialised thread-local `Cell`, which neither allocates nor unwinds.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: the caller upholds `alloc`'s contract (non-zero size), which we pass on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        FREES.with(|count| count.set(count.get() + 1));
        // SAFETY: `pointer` came from `System.alloc`/`realloc` with this `layout`.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: `pointer` came from this allocator with `layout`; the caller upholds the
        // size rules, which we pass on.
        unsafe { System.realloc(pointer, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

static BIG: [u8; 4000] = [b'x'; 4000];
static FILES: [StaticFile; 1] = [StaticFile {
    path: "a.css",
    content_type: "text/css",
    body: b"a{}",
    etag: Some("\"1\""),
    last_modified: None,
    gzip: None,
}];
static FILE_TABLE: FileTable = FileTable::new(&FILES);
static ROUTES: [Route; 4] = [
    Route::response(
        "/",
        Methods::GET,
        Response::new(200, "text/plain", b"hello\n"),
    ),
    Route::response(
        "/form",
        Methods::POST,
        Response::new(201, "text/plain", b"ok\n"),
    ),
    Route::response("/big", Methods::GET, Response::new(200, "text/plain", &BIG)),
    Route::files("/static/*", Methods::GET, &FILE_TABLE),
];

const PIPELINE: &[u8] =
    b"GET / HTTP/1.1\r\n\r\nHEAD /big HTTP/1.1\r\n\r\nGET /big HTTP/1.1\r\n\r\n\
POST /form HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello\
GET /static/a.css HTTP/1.1\r\nIf-None-Match: \"1\"\r\n\r\nGET /nope HTTP/1.1\r\n\r\n\
BREW / HTTP/1.1\r\n\r\nGET /static/a.css HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";

/// One round: the pipeline in 7-byte pieces, drained through a 512-byte "socket".
fn round(connection: &mut Connection, now_ms: u64, socket: &mut [u8]) -> usize {
    let mut sent = 0;
    for piece in PIPELINE.chunks(7) {
        let mut rest = piece;
        while !rest.is_empty() {
            rest = &rest[connection.receive(rest, now_ms)..];
            loop {
                let written = connection.write_to(socket);
                sent += written;
                if written == 0 {
                    break;
                }
            }
        }
    }
    connection.poll(now_ms);
    sent
}

#[test]
fn a_warm_connection_allocates_nothing() {
    let router = Router::new(&ROUTES);
    let mut connection = Connection::new(router, Configuration::DEFAULT, 0);
    let mut socket = vec![0u8; 512];
    let cold = ALLOCATIONS.with(Cell::get);
    let first = round(&mut connection, 1, &mut socket);
    assert!(
        ALLOCATIONS.with(Cell::get) > cold,
        "buffers grow in the first round"
    );
    for now in 2..10 {
        assert_eq!(round(&mut connection, now, &mut socket), first);
    }
    let before = ALLOCATIONS.with(Cell::get);
    for now in 10..1010 {
        assert_eq!(round(&mut connection, now, &mut socket), first);
    }
    assert_eq!(
        ALLOCATIONS.with(Cell::get) - before,
        0,
        "allocations in the steady state"
    );
    assert!(!connection.wants_close());
}

/// Why `component.toml` says `allocation = "steady"`: each new connection allocates its
/// buffers when it first answers and frees them when it is dropped, so a server that sees
/// connections come and go frees memory while serving (a bump heap would leak it).
#[test]
fn each_connection_allocates_its_buffers_and_frees_them_when_dropped() {
    let router = Router::new(&ROUTES);
    let mut socket = vec![0u8; 512];
    for now in 0..100 {
        let (allocations, frees) = (ALLOCATIONS.with(Cell::get), FREES.with(Cell::get));
        let mut connection = Connection::new(router, Configuration::DEFAULT, now);
        round(&mut connection, now, &mut socket);
        drop(connection);
        let allocated = ALLOCATIONS.with(Cell::get) - allocations;
        let freed = FREES.with(Cell::get) - frees;
        assert!(allocated > 0, "a connection's buffers are allocated");
        assert!(freed > 0, "and freed when it goes");
    }
}
