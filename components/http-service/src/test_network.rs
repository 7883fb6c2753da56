//! A simulated network for the tests: a client stack and the served stack joined by an
//! in-memory cable (so ARP happens), and a clock that jumps to the next deadline when idle.
use std::vec;
use std::vec::Vec;

use sauce_http_server::{Configuration, Methods, Response, Route, Router, Server};
use sauce_tcp_ip::{Addressing, MemoryLink, NetworkConfiguration, NetworkStack};
use smoltcp::iface::SocketHandle;
use smoltcp::socket::tcp::{Socket, SocketBuffer, State};
use smoltcp::wire::{IpAddress, IpCidr, Ipv4Address, Ipv4Cidr};

use crate::{HttpService, Limits};

pub const SERVER_IP: Ipv4Address = Ipv4Address::new(10, 0, 0, 1);
pub const SERVER_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 1];
pub const CLIENT_IP: Ipv4Address = Ipv4Address::new(10, 0, 0, 2);
pub const CLIENT_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 2];
/// The client stack's second address.
pub const SECOND_CLIENT_IP: Ipv4Address = Ipv4Address::new(10, 0, 0, 9);
pub const PORT: u16 = 80;
pub const HELLO: &[u8] = b"hello from sauce\n";
/// The body of `/large`: a response far bigger than any socket buffer.
pub static LARGE: [u8; 1 << 20] = [b'l'; 1 << 20];

pub static ROUTES: [Route; 5] = [
    Route::response("/", Methods::GET, Response::new(200, "text/plain", HELLO)),
    Route::response(
        "/large",
        Methods::GET,
        Response::new(200, "application/octet-stream", &LARGE),
    ),
    Route::response(
        "/upload",
        Methods::POST,
        Response::new(201, "text/plain", b"stored\n"),
    ),
    Route::response(
        "/a",
        Methods::GET,
        Response::new(200, "text/plain", b"alpha\n"),
    ),
    Route::response(
        "/b",
        Methods::GET,
        Response::new(200, "text/plain", b"beta\n"),
    ),
];

/// A request for `path` on a kept-alive connection.
pub fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: sauce\r\n\r\n").into_bytes()
}

fn stack(
    link: MemoryLink,
    address: Ipv4Address,
    mac: [u8; 6],
    sockets: usize,
) -> NetworkStack<MemoryLink> {
    let configuration = NetworkConfiguration {
        address: Addressing::Static(Ipv4Cidr::new(address, 24)),
        gateway: None,
        mac,
        socket_capacity: sockets,
    };
    NetworkStack::new(link, configuration, 0, u64::from(mac[5])).unwrap()
}

/// One client connection and what the test wants sent on it and got back.
struct Client {
    handle: SocketHandle,
    outgoing: Vec<u8>,
    received: Vec<u8>,
    close_after_sending: bool,
    /// A client that never reads: its receive window fills and closes.
    reads: bool,
}

/// Receive and send buffers of each client socket.
#[derive(Clone, Copy, Debug)]
pub struct ClientBuffers {
    pub receive: usize,
    pub send: usize,
}

impl ClientBuffers {
    /// Room for a whole response and a whole request.
    pub const ROOMY: ClientBuffers = ClientBuffers {
        receive: 64 * 1024,
        send: 16 * 1024,
    };
    /// Enough for small exchanges: for tests with a thousand clients.
    pub const SMALL: ClientBuffers = ClientBuffers {
        receive: 2 * 1024,
        send: 1024,
    };
}

pub struct Network {
    pub server: NetworkStack<MemoryLink>,
    pub client: NetworkStack<MemoryLink>,
    pub service: HttpService,
    pub now_ms: u64,
    /// Steps the service took so far.
    pub steps: u64,
    clients: Vec<Client>,
    buffers: ClientBuffers,
}

impl Network {
    /// A network whose server has `configuration` and `listeners` sockets.
    pub fn new(configuration: Configuration, listeners: usize) -> Network {
        let server = Server::new(Router::new(&ROUTES), configuration);
        Network::with_service(
            HttpService::new(server, PORT, listeners),
            64,
            ClientBuffers::ROOMY,
        )
    }

    /// A network whose server has `configuration` within `limits`, and room for `clients`
    /// client connections over the test's life, each with `buffers`.
    pub fn with_limits(
        configuration: Configuration,
        limits: Limits,
        clients: usize,
        buffers: ClientBuffers,
    ) -> Network {
        let server = Server::new(Router::new(&ROUTES), configuration);
        Network::with_service(
            HttpService::with_limits(server, PORT, limits),
            clients,
            buffers,
        )
    }

    fn with_service(service: HttpService, clients: usize, buffers: ClientBuffers) -> Network {
        let (server_link, client_link) = MemoryLink::pair();
        let sockets = service.limits().sockets;
        let mut client = stack(client_link, CLIENT_IP, CLIENT_MAC, clients);
        // A second client address, for tests of the per-peer cap (smoltcp holds two).
        client
            .interface_and_sockets()
            .0
            .update_ip_addrs(|addresses| {
                let _ = addresses.push(IpCidr::new(IpAddress::Ipv4(SECOND_CLIENT_IP), 24));
            });
        Network {
            server: stack(server_link, SERVER_IP, SERVER_MAC, sockets + 1),
            client,
            service,
            now_ms: 0,
            steps: 0,
            clients: Vec::new(),
            buffers,
        }
    }

    /// Replaces the service by one with these socket buffer sizes (before any step).
    pub fn service_with_buffers(&mut self, receive: usize, send: usize) -> HttpService {
        let placeholder = HttpService::new(
            Server::new(Router::new(&ROUTES), Configuration::DEFAULT),
            PORT,
            1,
        );
        core::mem::replace(&mut self.service, placeholder).with_buffer_sizes(receive, send)
    }

    /// Opens a connection to the server; returns its number.
    pub fn connect(&mut self) -> usize {
        self.connect_from(CLIENT_IP)
    }

    /// Opens a connection from client address `source` ([`CLIENT_IP`] or
    /// [`SECOND_CLIENT_IP`]).
    pub fn connect_from(&mut self, source: Ipv4Address) -> usize {
        let number = self.clients.len();
        let buffer = |size| SocketBuffer::new(vec![0; size]);
        let handle = self.client.add_socket(Socket::new(
            buffer(self.buffers.receive),
            buffer(self.buffers.send),
        ));
        let local_port = 10_000 + u16::try_from(number % 50_000).unwrap();
        let (interface, sockets) = self.client.interface_and_sockets();
        let socket = sockets.get_mut::<Socket>(handle);
        socket
            .connect(interface.context(), (SERVER_IP, PORT), (source, local_port))
            .unwrap();
        self.clients.push(Client {
            handle,
            outgoing: Vec::new(),
            received: Vec::new(),
            close_after_sending: false,
            reads: true,
        });
        number
    }

    /// Connection `number` never reads what arrives: its window closes once its buffer fills.
    pub fn stop_reading(&mut self, number: usize) {
        self.clients[number].reads = false;
    }

    /// Removes connection `number`'s socket from the client stack (after it ended), so a test
    /// can open many connections one after another.
    pub fn forget(&mut self, number: usize) {
        let handle = self.clients[number].handle;
        self.client.interface_and_sockets().1.remove(handle);
        self.clients[number].reads = false;
        self.clients[number].outgoing.clear();
        self.clients[number].close_after_sending = false;
    }

    /// Whether connection `number`'s socket is closed on the client side (reset or done).
    pub fn client_state(&self, number: usize) -> State {
        self.client
            .socket::<Socket>(self.clients[number].handle)
            .state()
    }

    /// Queues `bytes` to send on connection `number` once it is established.
    pub fn send(&mut self, number: usize, bytes: &[u8]) {
        self.clients[number].outgoing.extend_from_slice(bytes);
    }

    /// Closes connection `number`'s sending half once its queued bytes are sent.
    pub fn close_after_sending(&mut self, number: usize) {
        self.clients[number].close_after_sending = true;
    }

    /// Resets connection `number` (the client sends an RST).
    pub fn abort(&mut self, number: usize) {
        self.client
            .socket_mut::<Socket>(self.clients[number].handle)
            .abort();
    }

    /// What connection `number` received so far.
    pub fn received(&self, number: usize) -> &[u8] {
        &self.clients[number].received
    }

    /// Whether the server closed connection `number` (its FIN or RST arrived).
    pub fn closed_by_server(&self, number: usize) -> bool {
        let socket = self.client.socket::<Socket>(self.clients[number].handle);
        !socket.may_recv() && socket.state() != State::SynSent
    }

    /// Moves the clients' queued bytes into their sockets and their received bytes out.
    fn pump_clients(&mut self) -> bool {
        let mut moved = false;
        for client in &mut self.clients {
            if !client.reads && client.outgoing.is_empty() && !client.close_after_sending {
                continue;
            }
            let socket = self.client.socket_mut::<Socket>(client.handle);
            while client.reads && socket.can_recv() {
                let taken = socket.recv(|bytes| (bytes.len(), bytes.to_vec())).unwrap();
                client.received.extend_from_slice(&taken);
                moved = true;
            }
            if socket.can_send() && !client.outgoing.is_empty() {
                let sent = socket.send_slice(&client.outgoing).unwrap();
                client.outgoing.drain(..sent);
                moved |= sent > 0;
            }
            if client.close_after_sending && client.outgoing.is_empty() && socket.may_send() {
                socket.close();
                moved = true;
            }
        }
        moved
    }

    /// One turn of both stacks at the current time: whether anything is still moving, and
    /// the next deadline.
    fn turn(&mut self) -> (bool, Option<u64>) {
        let server_deadline = self.service.step(&mut self.server, self.now_ms);
        self.steps += 1;
        let mut busy = self.client.poll(self.now_ms);
        if self.pump_clients() {
            self.client.poll(self.now_ms);
            busy = true;
        }
        busy |= self.server.device().pending_inbound() > 0;
        busy |= self.client.device().pending_inbound() > 0;
        let client_deadline = self.client.poll_at(self.now_ms);
        let deadline = match (server_deadline, client_deadline) {
            (Some(server), Some(client)) => Some(server.min(client)),
            (server, client) => server.or(client),
        };
        (busy, deadline)
    }

    /// Runs until `done` holds, jumping the clock to the next deadline whenever nothing
    /// moves; gives up (returning `false`) once more than `budget_ms` of simulated time passed.
    pub fn run_until(&mut self, budget_ms: u64, mut done: impl FnMut(&Network) -> bool) -> bool {
        let limit = self.now_ms + budget_ms;
        loop {
            if done(self) {
                return true;
            }
            let (busy, deadline) = self.turn();
            if busy {
                continue;
            }
            let next = deadline.unwrap_or(u64::MAX).max(self.now_ms + 1);
            if next > limit {
                self.now_ms = limit;
                return done(self);
            }
            self.now_ms = next;
        }
    }

    /// Runs until connection `number` has received `length` bytes.
    pub fn receive_exactly(&mut self, number: usize, length: usize) -> Vec<u8> {
        let arrived = self.run_until(2_000, |network| network.received(number).len() >= length);
        assert!(arrived, "{} of {length} bytes", self.received(number).len());
        let bytes = self.clients[number].received.drain(..).collect::<Vec<u8>>();
        assert_eq!(bytes.len(), length, "{}", String::from_utf8_lossy(&bytes));
        bytes
    }
}
