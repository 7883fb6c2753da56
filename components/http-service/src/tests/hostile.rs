//! Hostile clients against a pool sized from memory: every attack ends with the service alive,
//! a fresh client answered (200, or 503 while full) during it, normal service after it, and the
//! pool's heap never beyond its budget (the memory model, docs/design/0012).
use sauce_http_server::Configuration;
use smoltcp::socket::tcp::State;

use crate::test_network::{get, ClientBuffers, Network, HELLO, SECOND_CLIENT_IP};
use crate::Limits;

/// A budget that fits a few dozen sockets: attacks of a thousand clients overflow it.
const BUDGET: usize = 1 << 20;

fn network(configuration: Configuration, clients: usize) -> Network {
    let limits = Limits::for_memory(&configuration, 2048, 4096, BUDGET);
    let mut network = Network::with_limits(configuration, limits, clients, ClientBuffers::SMALL);
    network.service = network.service_with_buffers(2048, 4096);
    network.service.listen(&mut network.server);
    network
}

/// Runs for `duration_ms`, checking the pool's memory after every step.
fn run_checked(network: &mut Network, duration_ms: u64) -> usize {
    let budget = network.service.heap_budget();
    let mut high_water = 0;
    network.run_until(duration_ms, |network| {
        let in_use = network.service.heap_bytes();
        high_water = high_water.max(in_use);
        assert!(in_use <= budget, "{in_use} bytes in use, budget {budget}");
        false
    });
    high_water
}

/// A fresh client's answer: the status line it got, or "refused" for a reset without bytes,
/// or "no answer". Like curl with `--retry`, it gives up on a connection that got no answer in
/// two seconds and tries a new one, up to five times (a simulated client never jitters, so one
/// that retries in step with an attacker's SYN retransmissions would otherwise always lose).
fn fresh_client_status(network: &mut Network) -> String {
    for _ in 0..5 {
        let client = network.connect();
        network.send(client, &get("/"));
        network.close_after_sending(client);
        network.run_until(2_000, |network| network.closed_by_server(client));
        let received = String::from_utf8_lossy(network.received(client)).into_owned();
        if let Some(status) = received.lines().next() {
            return status.to_owned();
        }
        if network.closed_by_server(client) {
            return "refused".to_owned();
        }
        network.abort(client);
    }
    "no answer".to_owned()
}

fn assert_answered_during_attack(network: &mut Network) {
    let status = fresh_client_status(network);
    assert!(
        status == "HTTP/1.1 200 OK" || status == "HTTP/1.1 503 Service Unavailable",
        "a fresh client during the attack got {status:?}; {:?}",
        network.service.statistics()
    );
}

/// The attackers give up: every one of their connections is reset by its client.
fn end_attack(network: &mut Network, attackers: &[usize]) {
    for &attacker in attackers {
        network.abort(attacker);
    }
    run_checked(network, 2_000);
}

fn assert_served_after_attack(network: &mut Network) {
    let status = fresh_client_status(network);
    assert_eq!(
        status,
        "HTTP/1.1 200 OK",
        "{:?}",
        network.service.statistics()
    );
}

#[test]
fn a_thousand_partial_heads_are_answered_408_and_never_exhaust_memory() {
    let mut network = network(Configuration::DEFAULT, 1_200);
    let limits = network.service.limits();
    assert!(limits.connections < 100, "{limits:?}");
    let attackers: Vec<usize> = (0..1_000).map(|_| network.connect()).collect();
    for &attacker in &attackers {
        network.send(attacker, b"GET / HTTP/1.1\r\nHost: x\r\n");
    }
    let high_water = run_checked(&mut network, 2_000);
    assert_eq!(network.service.open_connections(), limits.connections);
    assert_answered_during_attack(&mut network);
    // Every held head times out (408) within the header timeout; the pool is free again.
    run_checked(&mut network, 12_000);
    let statistics = network.service.statistics();
    assert!(
        statistics.timeouts.head >= limits.connections as u64,
        "{statistics:?}"
    );
    assert!(statistics.rejected > 0, "{statistics:?}");
    assert_eq!(statistics.out_of_memory, 0);
    end_attack(&mut network, &attackers);
    assert_served_after_attack(&mut network);
    assert!(high_water <= network.service.heap_budget());
}

#[test]
fn a_thousand_clients_that_never_read_a_large_response_are_dropped() {
    let mut network = network(Configuration::DEFAULT, 1_200);
    let attackers: Vec<usize> = (0..1_000).map(|_| network.connect()).collect();
    for &attacker in &attackers {
        network.stop_reading(attacker);
        network.send(attacker, &get("/large"));
    }
    run_checked(&mut network, 2_000);
    assert_answered_during_attack(&mut network);
    // Zero windows: nothing moves; the send timeout ends them.
    run_checked(&mut network, 15_000);
    let statistics = network.service.statistics();
    assert!(statistics.timeouts.send > 0, "{statistics:?}");
    end_attack(&mut network, &attackers);
    assert_served_after_attack(&mut network);
}

#[test]
fn uploads_at_the_body_limit_are_read_and_those_over_it_get_413() {
    let configuration = Configuration {
        body_limit: 8 * 1024,
        ..Configuration::DEFAULT
    };
    let mut network = network(configuration, 500);
    let body = vec![b'u'; 8 * 1024];
    let mut uploads = Vec::new();
    for index in 0..400 {
        let client = network.connect();
        let length = if index % 2 == 0 {
            body.len()
        } else {
            body.len() + 1
        };
        let mut request =
            format!("POST /upload HTTP/1.1\r\nContent-Length: {length}\r\n\r\n").into_bytes();
        request.extend_from_slice(&body[..body.len().min(length)]);
        network.send(client, &request);
        uploads.push((client, index % 2 == 0));
    }
    run_checked(&mut network, 2_000);
    assert_answered_during_attack(&mut network);
    // SYNs beyond the pool were held; their clients come back 1 s, 3 s, 7 s, 15 s later.
    run_checked(&mut network, 30_000);
    let (mut created, mut too_large, mut unavailable) = (0, 0, 0);
    for &(client, at_limit) in &uploads {
        let received = String::from_utf8_lossy(network.received(client)).into_owned();
        match received.lines().next() {
            Some("HTTP/1.1 201 Created") if at_limit => created += 1,
            Some("HTTP/1.1 413 Content Too Large") if !at_limit => too_large += 1,
            Some("HTTP/1.1 503 Service Unavailable") => unavailable += 1,
            None => {}
            Some(other) => panic!("upload {client} (at the limit: {at_limit}) got {other:?}"),
        }
    }
    assert!(
        created >= 40 && too_large >= 40,
        "{created} created, {too_large} 413, {unavailable} 503"
    );
    let clients: Vec<usize> = uploads.iter().map(|&(client, _)| client).collect();
    end_attack(&mut network, &clients);
    assert_served_after_attack(&mut network);
}

#[test]
fn ten_thousand_connections_reset_after_their_first_bytes_leak_nothing() {
    let mut network = network(Configuration::DEFAULT, 200);
    for round in 0..10_000 {
        let client = network.connect();
        network.send(client, b"GET / HT");
        network.run_until(5, |network| network.service.open_connections() > 0);
        network.abort(client);
        network.run_until(5, |_| false);
        network.forget(client);
        if round % 1_000 == 0 {
            assert!(network.service.heap_bytes() <= network.service.heap_budget());
        }
    }
    network.run_until(1_000, |network| network.service.open_connections() == 0);
    assert_eq!(network.service.open_connections(), 0);
    assert_served_after_attack(&mut network);
    assert!(network.service.sockets() <= network.service.limits().sockets);
}

#[test]
fn ten_thousand_pipelined_requests_to_a_client_that_never_reads() {
    let mut network = network(Configuration::DEFAULT, 10);
    let client = network.connect();
    network.stop_reading(client);
    let requests = get("/").repeat(10_000);
    network.send(client, &requests);
    let high_water = run_checked(&mut network, 15_000);
    assert!(network.closed_by_server(client) || network.client_state(client) == State::Closed);
    assert_eq!(network.service.statistics().timeouts.send, 1);
    assert!(high_water <= network.service.heap_budget());
    assert_served_after_attack(&mut network);
}

#[test]
fn a_peer_at_its_cap_is_answered_503_while_others_are_served() {
    let configuration = Configuration::DEFAULT;
    let limits =
        Limits::for_memory(&configuration, 2048, 4096, BUDGET).with_connections_per_peer(4);
    let mut network = Network::with_limits(configuration, limits, 64, ClientBuffers::SMALL);
    let greedy: Vec<usize> = (0..6).map(|_| network.connect()).collect();
    network.run_until(100, |_| false);
    let statistics = network.service.statistics();
    assert_eq!(
        (statistics.accepted, statistics.rejected_per_peer),
        (4, 2),
        "{statistics:?}"
    );
    let other = network.connect_from(SECOND_CLIENT_IP);
    network.send(other, &get("/"));
    assert!(network.run_until(2_000, |network| network.received(other).ends_with(HELLO)));
    drop(greedy);
}
