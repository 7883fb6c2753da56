//! Host tests: a client stack running the service and a server stack played by the test,
//! joined by an in-memory cable, on a simulated clock. Futures are polled only when their
//! waker was woken, so a missing wake-up fails the test (it runs out of time).
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use sauce_tcp_ip::smoltcp;
use sauce_tcp_ip::{
    Addressing, MemoryLink, NetworkConfiguration, NetworkEvent, NetworkService, NetworkStack,
};
use smoltcp::iface::SocketHandle;
use smoltcp::socket::tcp;
use smoltcp::wire::{Ipv4Address, Ipv4Cidr};

use crate::{DnsSettings, Limits, OutboundService, TcpConnector};

mod connections;
mod dns;
mod dns_server;
mod lease_dns;

pub const SERVER: Ipv4Address = Ipv4Address::new(10, 0, 0, 1);
pub const CLIENT: Ipv4Address = Ipv4Address::new(10, 0, 0, 2);
/// An address nobody answers for.
pub const NOBODY: Ipv4Address = Ipv4Address::new(10, 0, 0, 9);

pub const LIMITS: Limits = Limits {
    max_connections: 3,
    receive_buffer: 2048,
    send_buffer: 2048,
    connect_timeout_ms: 400,
    resolve_timeout_ms: 300,
    close_timeout_ms: 200,
};

fn stack(
    link: MemoryLink,
    address: Ipv4Address,
    last: u8,
    sockets: usize,
) -> NetworkStack<MemoryLink> {
    let configuration = NetworkConfiguration {
        address: Addressing::Static(Ipv4Cidr::new(address, 24)),
        gateway: None,
        mac: [0x02, 0, 0, 0, 0, last],
        socket_capacity: sockets,
    };
    NetworkStack::new(link, configuration, 0, u64::from(last)).unwrap()
}

/// Records that the task was woken.
struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// The two stacks, the service under test and the clock.
pub struct Network {
    pub client: NetworkStack<MemoryLink>,
    pub service: OutboundService,
    pub connector: TcpConnector,
    pub server: NetworkStack<MemoryLink>,
    pub now_ms: u64,
}

impl Network {
    /// Stacks joined, the service started with `limits` and `dns_servers`.
    pub fn new(limits: Limits, dns_servers: &[Ipv4Address]) -> Network {
        Network::with_dns(limits, DnsSettings::fixed(dns_servers))
    }

    /// Stacks joined, the service started with `limits` and `dns`.
    pub fn with_dns(limits: Limits, dns: DnsSettings) -> Network {
        let (server_link, client_link) = MemoryLink::pair();
        let (mut service, connector) = OutboundService::new(limits, dns, 7);
        let mut client = stack(client_link, CLIENT, 2, service.sockets());
        service.start(&mut client.sockets());
        Network {
            client,
            service,
            connector,
            server: stack(server_link, SERVER, 1, 16),
            now_ms: 0,
        }
    }

    /// One turn of both stacks; `server` plays the server's side; the clock moves 1 ms.
    pub fn turn(&mut self, server: &mut dyn FnMut(&mut NetworkStack<MemoryLink>)) {
        self.client.step(&mut self.service, self.now_ms);
        self.server.poll(self.now_ms);
        server(&mut self.server);
        self.server.poll(self.now_ms);
        self.client.step(&mut self.service, self.now_ms);
        self.now_ms += 1;
    }

    /// Runs `future` to completion, polling it when woken, with `server` playing the server;
    /// panics after `limit_ms` simulated milliseconds.
    pub fn run<F: Future>(
        &mut self,
        limit_ms: u64,
        server: &mut dyn FnMut(&mut NetworkStack<MemoryLink>),
        future: F,
    ) -> F::Output {
        let mut future = pin!(future);
        let flag = Arc::new(Flag(AtomicBool::new(true)));
        let waker = Waker::from(flag.clone());
        let mut context = Context::from_waker(&waker);
        let end = self.now_ms + limit_ms;
        while self.now_ms < end {
            if flag.0.swap(false, Ordering::SeqCst) {
                if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
                    return output;
                }
            }
            self.turn(server);
        }
        panic!("the future did not complete within {limit_ms} ms (or was never woken)");
    }

    /// Hands `event` to the service as the network loop does; the lines it logged.
    pub fn network_changed(&mut self, event: NetworkEvent) -> Vec<String> {
        let mut notes = Vec::new();
        self.service
            .network_changed(&event, &mut self.client.sockets(), &mut |line| {
                notes.push(line.to_string())
            });
        notes
    }

    /// Turns for `milliseconds` with `server` playing the server.
    pub fn idle(
        &mut self,
        milliseconds: u64,
        server: &mut dyn FnMut(&mut NetworkStack<MemoryLink>),
    ) {
        for _ in 0..milliseconds {
            self.turn(server);
        }
    }
}

/// A listening server socket on `port` of `stack`.
pub fn listen(stack: &mut NetworkStack<MemoryLink>, port: u16) -> SocketHandle {
    let mut socket = tcp::Socket::new(
        tcp::SocketBuffer::new(vec![0; 4096]),
        tcp::SocketBuffer::new(vec![0; 4096]),
    );
    socket.listen(port).unwrap();
    stack.add_socket(socket)
}

/// Echoes what `handle` received, as far as its send buffer takes it.
pub fn echo(stack: &mut NetworkStack<MemoryLink>, handle: SocketHandle) {
    let socket = stack.socket_mut::<tcp::Socket>(handle);
    while socket.can_recv() && socket.can_send() {
        let mut buffer = [0u8; 512];
        let room = socket.send_capacity() - socket.send_queue();
        let length = buffer.len().min(room);
        let Ok(count) = socket.recv_slice(&mut buffer[..length]) else {
            break;
        };
        if count == 0 {
            break;
        }
        socket.send_slice(&buffer[..count]).unwrap();
    }
}

/// Polls `future` once, with a waker that does nothing.
pub fn poll_once<F: Future + ?Sized>(future: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(Waker::noop()))
}

/// Nothing on the server's side beyond what its stack does by itself.
pub fn quiet(_: &mut NetworkStack<MemoryLink>) {}
