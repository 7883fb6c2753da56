//! Rule 2 of the crate, end to end: once the sockets exist, a steady stream of keep-alive
//! requests through both stacks, the service and the HTTP server allocates nothing. Counted
//! with a global allocator, so it lives in its own test binary (the library forbids `unsafe`;
//! a `GlobalAlloc` needs it).
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use sauce_http_server::{Configuration, Methods, Response, Route, Router, Server};
use sauce_http_service::HttpService;
use sauce_tcp_ip::smoltcp::socket::tcp::{Socket, SocketBuffer};
use sauce_tcp_ip::smoltcp::wire::{Ipv4Address, Ipv4Cidr};
use sauce_tcp_ip::{Addressing, MemoryLink, NetworkConfiguration, NetworkStack};

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
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

static ROUTES: [Route; 1] = [Route::response(
    "/",
    Methods::GET,
    Response::new(200, "text/plain", b"hello\n"),
)];
const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: sauce\r\n\r\n";
const SERVER_IP: Ipv4Address = Ipv4Address::new(10, 0, 0, 1);

fn stack(link: MemoryLink, last_byte: u8) -> NetworkStack<MemoryLink> {
    let configuration = NetworkConfiguration {
        address: Addressing::Static(Ipv4Cidr::new(Ipv4Address::new(10, 0, 0, last_byte), 24)),
        gateway: None,
        mac: [2, 0, 0, 0, 0, last_byte],
        socket_capacity: 8,
    };
    NetworkStack::new(link, configuration, 0, u64::from(last_byte)).unwrap()
}

#[test]
fn keep_alive_requests_allocate_nothing_once_warm() {
    let (server_link, client_link) = MemoryLink::pair();
    let mut server_stack = stack(server_link, 1);
    let mut client_stack = stack(client_link, 2);
    let server = Server::new(Router::new(&ROUTES), Configuration::DEFAULT);
    let mut service = HttpService::new(server, 80, 4);
    let buffer = || SocketBuffer::new(vec![0; 4096]);
    let client = client_stack.add_socket(Socket::new(buffer(), buffer()));
    let (interface, sockets) = client_stack.interface_and_sockets();
    let socket = sockets.get_mut::<Socket>(client);
    socket
        .connect(interface.context(), (SERVER_IP, 80), 10_000)
        .unwrap();

    let mut now_ms = 0;
    let mut response = [0u8; 512];
    let mut exchange = |count: usize| {
        for _ in 0..count {
            let mut sent = false;
            let mut received = 0;
            while received == 0 || response[..received].last() != Some(&b'\n') {
                service.step(&mut server_stack, now_ms);
                client_stack.poll(now_ms);
                let socket = client_stack.socket_mut::<Socket>(client);
                if !sent && socket.can_send() {
                    sent = socket.send_slice(REQUEST).unwrap() == REQUEST.len();
                }
                if socket.can_recv() {
                    received += socket.recv_slice(&mut response[received..]).unwrap();
                }
                client_stack.poll(now_ms);
                now_ms += 1;
                assert!(now_ms < 1_000_000, "no answer");
            }
            assert!(response[..received].ends_with(b"\r\n\r\nhello\n"));
        }
    };
    // Warm-up: long enough for a request to straddle the end of the server's receive ring
    // (4 KiB / 31 bytes): the connection then allocates its head buffer, once.
    exchange(200);
    let before = ALLOCATIONS.with(Cell::get);
    exchange(500);
    let allocations = ALLOCATIONS.with(Cell::get) - before;
    assert_eq!(allocations, 0, "allocations during 500 keep-alive requests");
}
