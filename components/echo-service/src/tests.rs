//! The echo service between two stacks joined by an in-memory cable, on a simulated clock.
use sauce_tcp_ip::smoltcp;
use sauce_tcp_ip::{Addressing, MemoryLink, NetworkConfiguration, NetworkService, NetworkStack};
use smoltcp::iface::SocketHandle;
use smoltcp::socket::tcp::{Socket, SocketBuffer, State};
use smoltcp::wire::{IpAddress, Ipv4Address, Ipv4Cidr};

use crate::service::socket_bytes;
use crate::{Configuration, EchoService};

const SERVER_IP: Ipv4Address = Ipv4Address::new(10, 0, 0, 1);
const CLIENT_IP: Ipv4Address = Ipv4Address::new(10, 0, 0, 2);

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

struct Network {
    server: NetworkStack<MemoryLink>,
    client: NetworkStack<MemoryLink>,
    service: EchoService,
    now_ms: u64,
}

impl Network {
    fn new(configuration: Configuration, budget: usize, client_sockets: usize) -> Network {
        let (server_link, client_link) = MemoryLink::pair();
        let mut service = EchoService::new(configuration, budget);
        let mut server = stack(server_link, SERVER_IP, 1, service.sockets());
        service.start(&mut server.sockets());
        Network {
            server,
            client: stack(client_link, CLIENT_IP, 2, client_sockets),
            service,
            now_ms: 0,
        }
    }

    fn connect(&mut self, port: u16, local_port: u16, buffer: usize) -> SocketHandle {
        let socket = Socket::new(
            SocketBuffer::new(vec![0; buffer]),
            SocketBuffer::new(vec![0; buffer]),
        );
        let handle = self.client.add_socket(socket);
        let (interface, sockets) = self.client.interface_and_sockets();
        sockets
            .get_mut::<Socket>(handle)
            .connect(
                interface.context(),
                (IpAddress::Ipv4(SERVER_IP), port),
                local_port,
            )
            .unwrap();
        handle
    }

    /// One turn of both stacks; the clock moves 1 ms.
    fn turn(&mut self) {
        self.client.poll(self.now_ms);
        self.server.step(&mut self.service, self.now_ms);
        self.client.poll(self.now_ms);
        self.now_ms += 1;
    }

    fn client_socket(&mut self, handle: SocketHandle) -> &mut Socket<'static> {
        self.client.socket_mut::<Socket>(handle)
    }
}

/// Sends `payload` on each of `clients` and reads it back, all at once; what each got back.
fn echo_all(network: &mut Network, clients: &[SocketHandle], payload: &[u8]) -> Vec<Vec<u8>> {
    let mut sent = vec![0; clients.len()];
    let mut received = vec![Vec::new(); clients.len()];
    for _ in 0..2_000_000 {
        network.turn();
        for (index, &handle) in clients.iter().enumerate() {
            let socket = network.client_socket(handle);
            if socket.can_send() && sent[index] < payload.len() {
                sent[index] += socket.send_slice(&payload[sent[index]..]).unwrap();
            }
            while socket.can_recv() {
                socket
                    .recv(|data| {
                        received[index].extend_from_slice(data);
                        (data.len(), ())
                    })
                    .unwrap();
            }
        }
        if received.iter().all(|bytes| bytes.len() >= payload.len()) {
            break;
        }
    }
    received
}

#[test]
fn sixty_four_clients_and_a_mebibyte_come_back_intact() {
    let mut network = Network::new(Configuration::DEFAULT, 8 << 20, 65);
    assert_eq!(network.service.connections(), 64);
    let clients: Vec<SocketHandle> = (0..64)
        .map(|index| network.connect(7, 40_000 + index, 8192))
        .collect();
    let payload: Vec<u8> = (0..16 * 1024)
        .map(|index| (index * 7 % 251) as u8)
        .collect();
    let received = echo_all(&mut network, &clients, &payload);
    assert!(received.iter().all(|bytes| bytes == &payload));
    let large: Vec<u8> = (0..1 << 20).map(|index| (index % 253) as u8).collect();
    let one = network.connect(7, 50_000, 16 * 1024);
    let received = echo_all(&mut network, &[one], &large);
    assert_eq!(received[0], large);
    assert_eq!(
        network.service.statistics().echoed_bytes,
        64 * 16 * 1024 + (1 << 20)
    );
}

#[test]
fn a_client_that_never_reads_is_reset_after_the_idle_timeout() {
    let configuration = Configuration {
        idle_timeout_ms: 2_000,
        ..Configuration::DEFAULT
    };
    let mut network = Network::new(configuration, 1 << 20, 2);
    let hog = network.connect(7, 40_000, 64 * 1024);
    let flood = vec![b'x'; 64 * 1024];
    let mut reset = false;
    for _ in 0..10_000 {
        network.turn();
        let socket = network.client_socket(hog);
        if socket.can_send() {
            let _ = socket.send_slice(&flood);
        }
        if !socket.is_open() {
            reset = true;
            break;
        }
    }
    assert!(reset, "the hog still holds its socket");
    assert_eq!(network.service.statistics().idle_resets, 1);
    // The socket listens again: a new client is echoed.
    let next = network.connect(7, 40_001, 4096);
    assert_eq!(echo_all(&mut network, &[next], b"again")[0], b"again");
}

#[test]
fn clients_beyond_the_pool_wait_and_are_served_in_turn() {
    let configuration = Configuration {
        max_connections: 4,
        ..Configuration::DEFAULT
    };
    let mut network = Network::new(configuration, 8 << 20, 12);
    assert_eq!(network.service.connections(), 4);
    let clients: Vec<SocketHandle> = (0..12)
        .map(|index| network.connect(7, 41_000 + index, 4096))
        .collect();
    let mut done = vec![false; clients.len()];
    for _ in 0..200_000 {
        network.turn();
        for (index, &handle) in clients.iter().enumerate() {
            let socket = network.client_socket(handle);
            if socket.state() == State::Established && socket.send_queue() == 0 && !done[index] {
                socket.send_slice(b"ping").unwrap();
                socket.close();
                done[index] = true;
            }
        }
        if clients.iter().all(|&handle| {
            network.client_socket(handle).state() == State::Closed
                || network.client_socket(handle).state() == State::TimeWait
        }) {
            break;
        }
    }
    assert!(done.iter().all(|done| *done), "{done:?}");
    assert_eq!(network.service.statistics().accepted, 12);
}

#[test]
fn the_pool_is_what_the_heap_holds() {
    let configuration = Configuration::DEFAULT;
    let per_socket = socket_bytes(&configuration);
    assert_eq!(
        EchoService::new(configuration, per_socket * 10).connections(),
        10
    );
    assert_eq!(EchoService::new(configuration, 0).connections(), 1);
}

#[test]
fn the_defaults_and_the_heap_figure_are_the_manifests() {
    let manifest: toml::Table = toml::from_str(include_str!("../component.toml")).unwrap();
    let config = &manifest["config"];
    let size = |key: &str| -> usize {
        let text = config[key]["default"].as_str().unwrap();
        text.trim_end_matches("KiB").parse::<usize>().unwrap() * 1024
    };
    let integer = |key: &str| config[key]["default"].as_integer().unwrap();
    let default = Configuration::DEFAULT;
    assert_eq!(i64::from(default.port), integer("port"));
    assert_eq!(default.max_connections as i64, integer("max_connections"));
    assert_eq!(default.receive_buffer, size("receive_buffer"));
    assert_eq!(default.send_buffer, size("send_buffer"));
    assert_eq!(config["idle_timeout_ms"]["default"].as_str(), Some("30s"));
    assert_eq!(default.idle_timeout_ms, 30_000);
    let memory = &manifest["memory"];
    let per_connection: usize = memory["per_connection"]
        .as_str()
        .unwrap()
        .trim_end_matches(" KiB")
        .parse::<usize>()
        .unwrap()
        * 1024;
    assert!(
        socket_bytes(&default) <= per_connection + default.receive_buffer + default.send_buffer,
        "a socket holds {} bytes",
        socket_bytes(&default)
    );
}

#[test]
fn a_crowd_five_times_the_pool_is_served_without_a_reset() {
    let mut network = Network::new(Configuration::DEFAULT, 8 << 20, 320);
    let clients: Vec<SocketHandle> = (0..320)
        .map(|index| network.connect(7, 42_000 + index, 2048))
        .collect();
    let payload = b"a crowd member".to_vec();
    let received = echo_all(&mut network, &clients, &payload);
    let short: Vec<usize> = received
        .iter()
        .enumerate()
        .filter(|(_, bytes)| bytes != &&payload)
        .map(|(index, _)| index)
        .collect();
    assert!(short.is_empty(), "not echoed: {short:?}");
}
