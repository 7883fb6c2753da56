//! The socket pool under stress: silent, half-open, overloading and resetting clients.
use sauce_http_server::{Configuration, Server};
use smoltcp::phy::ChecksumCapabilities;
use smoltcp::wire::{
    EthernetAddress, EthernetFrame, EthernetProtocol, EthernetRepr, IpAddress, IpProtocol,
    Ipv4Address, Ipv4Packet, Ipv4Repr, TcpControl, TcpPacket, TcpRepr, TcpSeqNumber,
};

use crate::service::SPARE_LISTENERS;
use crate::test_network::{get, Network, HELLO, PORT, SERVER_IP, SERVER_MAC};

fn assert_hello_served(network: &mut Network) {
    let client = network.connect();
    network.send(client, &get("/"));
    let answered = network.run_until(2_000, |network| network.received(client).ends_with(HELLO));
    assert!(
        answered,
        "{:?}",
        String::from_utf8_lossy(network.received(client))
    );
    assert!(network.received(client).starts_with(b"HTTP/1.1 200 OK\r\n"));
}

#[test]
fn half_a_request_then_silence_gets_408_and_the_next_connection_works() {
    let mut network = Network::new(Configuration::DEFAULT, 65);
    let client = network.connect();
    network.send(client, b"GET / HTTP/1.1\r\nHost: sau");
    assert!(network.run_until(15_000, |network| network.closed_by_server(client)));
    assert!(
        network.now_ms >= 10_000,
        "timed out at {} ms",
        network.now_ms
    );
    let bytes = network.received(client);
    assert!(
        bytes.starts_with(b"HTTP/1.1 408 Request Timeout\r\n"),
        "{bytes:?}"
    );
    assert_hello_served(&mut network);
}

#[test]
fn five_hundred_silent_connections_do_not_keep_out_later_requests() {
    let mut network = Network::new(Configuration::DEFAULT, 65);
    let silent: Vec<usize> = (0..500).map(|_| network.connect()).collect();
    network.run_until(100, |_| false);
    assert_eq!(network.service.open_connections(), 64);
    // The spare socket answered 503; the other SYNs were held (their clients send them again
    // later), not reset.
    assert_eq!(network.service.statistics().rejected, 1);
    let refused = silent
        .iter()
        .filter(|&&client| network.closed_by_server(client) && network.received(client).is_empty())
        .count();
    assert_eq!(refused, 0, "no silent client was reset");

    // While they hold every socket, connections that said nothing for 500 ms are evicted, so
    // a real client gets in even as the silent ones keep coming back (0.6 s after the flood:
    // a client whose retransmissions fell in step with theirs would wait for the next wave).
    network.run_until(500, |_| false);
    let client = network.connect();
    network.send(client, &get("/"));
    let answered = network.run_until(5_000, |network| network.received(client).ends_with(HELLO));
    assert!(answered, "{:?}", network.service.statistics());

    // The attackers give up: the pool is whole again and serves 64 clients at once.
    for &client in &silent {
        network.abort(client);
    }
    assert!(network.run_until(30_000, |network| network.service.listening() == 65));
    let clients: Vec<usize> = (0..64).map(|_| network.connect()).collect();
    for &client in &clients {
        network.send(client, &get("/"));
    }
    let all_answered = network.run_until(2_000, |network| {
        clients
            .iter()
            .all(|&client| network.received(client).ends_with(HELLO))
    });
    assert!(all_answered);
    let statistics = network.service.statistics();
    assert!(statistics.evicted >= 64, "{statistics:?}");
}

#[test]
fn a_connection_over_the_limit_is_answered_503() {
    let configuration = Configuration {
        max_connections: 2,
        ..Configuration::DEFAULT
    };
    let mut network = Network::new(configuration, 3);
    let first = network.connect();
    let second = network.connect();
    network.run_until(50, |_| false);
    let third = network.connect();
    assert!(network.run_until(2_000, |network| network.closed_by_server(third)));
    assert_eq!(network.received(third), Server::reject_overloaded());
    assert_eq!(network.service.statistics().rejected, 1);
    network.send(first, &get("/"));
    network.send(second, &get("/"));
    let answered = network.run_until(2_000, |network| {
        network.received(first).ends_with(HELLO) && network.received(second).ends_with(HELLO)
    });
    assert!(answered);
}

#[test]
fn a_reset_connection_frees_its_socket() {
    let mut network = Network::new(Configuration::DEFAULT, 1);
    let client = network.connect();
    network.run_until(50, |network| network.service.open_connections() == 1);
    network.abort(client);
    assert!(network.run_until(1_000, |network| network.service.listening() == 1));
    assert_eq!(network.service.open_connections(), 0);
    assert_hello_served(&mut network);
}

/// A SYN from a host that never answers (not even ARP): its socket stays in SYN-RECEIVED.
fn syn_from_a_ghost() -> Vec<u8> {
    let ghost_ip = Ipv4Address::new(10, 0, 0, 3);
    let tcp = TcpRepr {
        src_port: 4_000,
        dst_port: PORT,
        control: TcpControl::Syn,
        seq_number: TcpSeqNumber(1),
        ack_number: None,
        window_len: 1_000,
        window_scale: None,
        max_seg_size: None,
        sack_permitted: false,
        sack_ranges: [None; 3],
        timestamp: None,
        payload: &[],
    };
    let ip = Ipv4Repr {
        src_addr: ghost_ip,
        dst_addr: SERVER_IP,
        next_header: IpProtocol::Tcp,
        payload_len: tcp.buffer_len(),
        hop_limit: 64,
    };
    let checksums = ChecksumCapabilities::default();
    let mut frame = vec![0; 14 + ip.buffer_len() + tcp.buffer_len()];
    let mut ethernet = EthernetFrame::new_unchecked(&mut frame[..]);
    EthernetRepr {
        src_addr: EthernetAddress([0x02, 0, 0, 0, 0, 3]),
        dst_addr: EthernetAddress(SERVER_MAC),
        ethertype: EthernetProtocol::Ipv4,
    }
    .emit(&mut ethernet);
    let mut packet = Ipv4Packet::new_unchecked(ethernet.payload_mut());
    ip.emit(&mut packet, &checksums);
    let (source, destination) = (IpAddress::Ipv4(ghost_ip), IpAddress::Ipv4(SERVER_IP));
    let mut segment = TcpPacket::new_unchecked(packet.payload_mut());
    tcp.emit(&mut segment, &source, &destination, &checksums);
    frame
}

#[test]
fn a_handshake_that_never_completes_is_dropped_after_the_request_timeout() {
    let mut network = Network::new(Configuration::DEFAULT, 1);
    network.run_until(10, |_| false);
    network.server.device().inject(&syn_from_a_ghost());
    network.run_until(10, |_| false);

    // The only socket is in the ghost's handshake: the next client's SYN is held, not reset.
    let waiting = network.connect();
    network.send(waiting, &get("/"));
    network.run_until(1_000, |_| false);
    assert!(!network.closed_by_server(waiting) && network.received(waiting).is_empty());

    // The half-open connection is given up after the request timeout; the waiting client's
    // next SYN finds the socket listening again and is served.
    assert!(network.run_until(11_000, |network| network.service.statistics().aborted == 1));
    assert!(network.now_ms >= 10_000);
    assert!(network.run_until(20_000, |network| network.received(waiting).ends_with(HELLO)));
}

#[test]
fn listen_opens_the_spare_sockets_before_the_first_step() {
    let mut network = Network::new(Configuration::DEFAULT, 65);
    assert_eq!(network.service.listening(), 0);
    network.service.listen(&mut network.server);
    assert_eq!(network.service.listening(), SPARE_LISTENERS);
    assert_eq!(network.service.sockets(), SPARE_LISTENERS);
    network.service.listen(&mut network.server);
    assert_eq!(
        network.service.listening(),
        SPARE_LISTENERS,
        "listen is idempotent"
    );
    assert_hello_served(&mut network);
    assert_eq!(
        network.service.sockets(),
        SPARE_LISTENERS + 1,
        "one connection, the spare listeners"
    );
}

/// Steps the service may take to accept a burst of 64 connections.
const STEPS_FOR_A_BURST: u64 = 5;

#[test]
fn a_burst_of_sixty_four_connections_grows_the_pool_and_none_is_refused() {
    let mut network = Network::new(Configuration::DEFAULT, 65);
    network.service.listen(&mut network.server);
    // Every SYN reaches the server before it steps once: more than one step's worth of frames
    // while the pool grows (a step ran out of listeners at its end once, and reset the next SYNs).
    let clients: Vec<usize> = (0..64).map(|_| network.connect()).collect();
    for &client in &clients {
        network.send(client, &get("/"));
    }
    let steps_before = network.steps;
    let accepted = network.run_until(2_000, |network| network.service.statistics().accepted == 64);
    let steps = network.steps - steps_before;
    // Listeners double round by round during a burst (4 + 8 + 16 + 32 + 4 in the first step),
    // so a burst is taken in a few steps rather than one step per 20 SYNs.
    assert!(
        accepted && steps <= STEPS_FOR_A_BURST,
        "{steps} steps to accept 64 connections"
    );
    let all_answered = network.run_until(2_000, |network| {
        clients
            .iter()
            .all(|&client| network.received(client).ends_with(HELLO))
    });
    let unanswered: Vec<usize> = clients
        .iter()
        .copied()
        .filter(|&client| !network.received(client).ends_with(HELLO))
        .collect();
    assert!(
        all_answered,
        "{} open; unanswered {unanswered:?}",
        network.service.open_connections()
    );
    assert!(
        clients
            .iter()
            .all(|&client| !network.received(client).is_empty()),
        "no reset"
    );
    assert_eq!(
        network.service.sockets(),
        65,
        "grown to the whole pool, no further"
    );
    assert_eq!(network.service.statistics().accepted, 64);
}
