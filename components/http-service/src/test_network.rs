//! A simulated network for the tests: a client stack and the served stack joined by an
//! in-memory cable (so ARP happens), and a clock that jumps to the next deadline when idle.
use std::vec;
use std::vec::Vec;

use sauce_http_server::{Configuration, Methods, Response, Route, Router, Server};
use sauce_tcp_ip::{Addressing, MemoryLink, NetworkConfiguration, NetworkStack};
use smoltcp::iface::SocketHandle;
use smoltcp::socket::tcp::{Socket, SocketBuffer, State};
use smoltcp::wire::{Ipv4Address, Ipv4Cidr};

use crate::HttpService;

pub const SERVER_IP: Ipv4Address = Ipv4Address::new(10, 0, 0, 1);
pub const SERVER_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 1];
pub const CLIENT_IP: Ipv4Address = Ipv4Address::new(10, 0, 0, 2);
pub const CLIENT_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 2];
pub const PORT: u16 = 80;
pub const HELLO: &[u8] = b"hello from sauce\n";

pub static ROUTES: [Route; 3] = [
    Route::response("/", Methods::GET, Response::new(200, "text/plain", HELLO)),
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
}

pub struct Network {
    pub server: NetworkStack<MemoryLink>,
    pub client: NetworkStack<MemoryLink>,
    pub service: HttpService,
    pub now_ms: u64,
    /// Steps the service took so far.
    pub steps: u64,
    clients: Vec<Client>,
}

impl Network {
    /// A network whose server has `configuration` and `listeners` sockets.
    pub fn new(configuration: Configuration, listeners: usize) -> Network {
        let (server_link, client_link) = MemoryLink::pair();
        let server = Server::new(Router::new(&ROUTES), configuration);
        Network {
            server: stack(server_link, SERVER_IP, SERVER_MAC, listeners + 1),
            client: stack(client_link, CLIENT_IP, CLIENT_MAC, 64),
            service: HttpService::new(server, PORT, listeners),
            now_ms: 0,
            steps: 0,
            clients: Vec::new(),
        }
    }

    /// Opens a connection to the server; returns its number.
    pub fn connect(&mut self) -> usize {
        let number = self.clients.len();
        let buffer = |size| SocketBuffer::new(vec![0; size]);
        let handle = self
            .client
            .add_socket(Socket::new(buffer(64 * 1024), buffer(16 * 1024)));
        let local_port = 10_000 + u16::try_from(number).unwrap();
        let (interface, sockets) = self.client.interface_and_sockets();
        let socket = sockets.get_mut::<Socket>(handle);
        socket
            .connect(interface.context(), (SERVER_IP, PORT), local_port)
            .unwrap();
        self.clients.push(Client {
            handle,
            outgoing: Vec::new(),
            received: Vec::new(),
            close_after_sending: false,
        });
        number
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
            let socket = self.client.socket_mut::<Socket>(client.handle);
            while socket.can_recv() {
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
