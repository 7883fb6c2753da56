//! Requests and responses: exact bytes, keep-alive, pipelining, concurrency.
use sauce_http_server::Configuration;

use crate::test_network::{get, Network, HELLO};

/// The whole response to `GET /`.
const HELLO_RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\nServer: SauceOS\r\nContent-Type: text/plain\r\n\
Content-Length: 17\r\n\r\nhello from sauce\n";

fn response(body: &[u8]) -> Vec<u8> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nServer: SauceOS\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    [head.as_bytes(), body].concat()
}

#[test]
fn get_returns_200_with_the_exact_body() {
    let mut network = Network::new(Configuration::DEFAULT, 65);
    let client = network.connect();
    network.send(client, &get("/"));
    assert_eq!(
        network.receive_exactly(client, HELLO_RESPONSE.len()),
        HELLO_RESPONSE
    );
    assert_eq!(response(HELLO), HELLO_RESPONSE);
    assert!(network.now_ms < 100, "answered at {} ms", network.now_ms);
    assert_eq!(network.service.open_connections(), 1);
}

#[test]
fn head_has_the_headers_of_get_and_no_body() {
    let mut network = Network::new(Configuration::DEFAULT, 65);
    let client = network.connect();
    network.send(client, b"HEAD / HTTP/1.1\r\nHost: sauce\r\n\r\n");
    let head_length = HELLO_RESPONSE.len() - HELLO.len();
    let bytes = network.receive_exactly(client, head_length);
    assert_eq!(bytes, HELLO_RESPONSE[..head_length]);
    network.run_until(100, |_| false);
    assert!(network.received(client).is_empty(), "no body follows");
}

#[test]
fn a_thousand_keep_alive_requests_on_one_connection() {
    let mut network = Network::new(Configuration::DEFAULT, 65);
    let client = network.connect();
    for _ in 0..1_000 {
        network.send(client, &get("/"));
        assert_eq!(
            network.receive_exactly(client, HELLO_RESPONSE.len()),
            HELLO_RESPONSE
        );
    }
    let statistics = network.service.statistics();
    assert_eq!(
        (statistics.accepted, statistics.rejected, statistics.aborted),
        (1, 0, 0)
    );
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let mut network = Network::new(Configuration::DEFAULT, 65);
    let client = network.connect();
    let requests = [get("/a"), get("/b"), get("/"), get("/a")].concat();
    network.send(client, &requests);
    let expected = [
        response(b"alpha\n"),
        response(b"beta\n"),
        response(HELLO),
        response(b"alpha\n"),
    ]
    .concat();
    assert_eq!(network.receive_exactly(client, expected.len()), expected);
}

#[test]
fn sixty_four_concurrent_connections_are_all_answered() {
    let mut network = Network::new(Configuration::DEFAULT, 65);
    let clients: Vec<usize> = (0..64).map(|_| network.connect()).collect();
    for &client in &clients {
        network.send(client, &get("/"));
    }
    let all_answered = network.run_until(2_000, |network| {
        clients
            .iter()
            .all(|&client| network.received(client).len() >= HELLO_RESPONSE.len())
    });
    assert!(all_answered);
    for &client in &clients {
        assert_eq!(network.received(client), HELLO_RESPONSE);
    }
    assert_eq!(network.service.open_connections(), 64);
    assert_eq!(network.service.statistics().rejected, 0);
}

#[test]
fn a_client_that_closes_after_its_request_is_answered_and_its_socket_reused() {
    // Two sockets, ten connections one after the other: each socket listens again.
    let mut network = Network::new(Configuration::DEFAULT, 2);
    for _ in 0..10 {
        let client = network.connect();
        network.send(client, &get("/"));
        network.close_after_sending(client);
        assert!(network.run_until(2_000, |network| network.closed_by_server(client)));
        assert_eq!(network.received(client), HELLO_RESPONSE);
        // The server's socket gets the last ACK, then listens again (no TIME-WAIT wait).
        assert!(network.run_until(2_000, |network| network.service.listening() == 2));
    }
    assert_eq!(network.service.open_connections(), 0);
    assert_eq!(network.service.statistics().accepted, 10);
}

#[test]
fn a_closing_response_is_flushed_before_the_fin() {
    let mut network = Network::new(Configuration::DEFAULT, 65);
    let client = network.connect();
    network.send(
        client,
        b"GET /a HTTP/1.1\r\nHost: sauce\r\nConnection: close\r\n\r\n",
    );
    assert!(network.run_until(2_000, |network| network.closed_by_server(client)));
    let bytes = network.received(client);
    assert!(bytes.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert!(
        bytes.ends_with(b"Connection: close\r\n\r\nalpha\n"),
        "{bytes:?}"
    );
}

#[test]
fn step_sleeps_until_the_idle_deadline_of_a_kept_alive_connection() {
    let mut network = Network::new(Configuration::DEFAULT, 65);
    let client = network.connect();
    network.send(client, &get("/"));
    network.receive_exactly(client, HELLO_RESPONSE.len());
    let answered_at = network.now_ms;
    network.run_until(100, |_| false); // acknowledgements settle; nothing else is due
    let deadline = network.service.step(&mut network.server, network.now_ms);
    let idle_timeout = Configuration::DEFAULT.request_timeout_ms;
    let expected = answered_at + idle_timeout..=answered_at + idle_timeout + 20;
    assert!(
        deadline.is_some_and(|deadline| expected.contains(&deadline)),
        "{deadline:?}"
    );
}
