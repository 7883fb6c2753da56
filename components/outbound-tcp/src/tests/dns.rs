//! Names: resolved by the fake DNS server, connected to by name; unknown names, silent
//! servers, no servers and invalid names.
use sauce_connect::{Connector, Read, Write};

use super::dns_server::DnsServer;
use super::*;
use crate::ConnectError;

#[test]
fn a_name_resolves_and_is_connected_to() {
    let mut network = Network::new(LIMITS, &[SERVER]);
    let mut dns = DnsServer::new(&mut network.server, &[("db.sauce.test", SERVER)]);
    let listener = listen(&mut network.server, 6379);
    let connector = network.connector.clone();
    let address = network.run(
        1_000,
        &mut |stack| dns.serve(stack),
        connector.resolve("db.sauce.test"),
    );
    assert_eq!(address, Ok(SERVER));
    let echoed = network.run(
        1_000,
        &mut |stack| {
            dns.serve(stack);
            echo(stack, listener);
        },
        async {
            let mut stream = connector.connect("DB.sauce.test.", 6379).await.unwrap();
            stream.write_all(b"PING\r\n").await.unwrap();
            let mut reply = [0u8; 6];
            stream.read_exact(&mut reply).await.unwrap();
            reply
        },
    );
    assert_eq!(&echoed, b"PING\r\n");
    assert_eq!(dns.queries, 2, "each connect by name asks the server once");
    // An address written out never reaches the DNS server.
    let direct = network.run(
        100,
        &mut |stack| dns.serve(stack),
        connector.resolve("10.0.0.1"),
    );
    assert_eq!(direct, Ok(SERVER));
    assert_eq!(dns.queries, 2);
}

#[test]
fn an_unknown_name_is_not_found_and_a_silent_server_times_out() {
    let mut network = Network::new(LIMITS, &[SERVER]);
    let mut dns = DnsServer::new(&mut network.server, &[]);
    let connector = network.connector.clone();
    let unknown = network.run(
        1_000,
        &mut |stack| dns.serve(stack),
        connector.resolve("nowhere.test"),
    );
    assert_eq!(unknown, Err(ConnectError::NameNotFound));

    let mut silent = Network::new(LIMITS, &[NOBODY]);
    let connector = silent.connector.clone();
    let started = silent.now_ms;
    let timed_out = silent.run(2_000, &mut quiet, connector.connect("db.sauce.test", 5432));
    assert_eq!(timed_out.map(|_| ()), Err(ConnectError::ResolveTimedOut));
    let took = silent.now_ms - started;
    assert!((300..400).contains(&took), "gave up after {took} ms");
    // The lookup slots came back: as many lookups as there are slots fail the same way.
    for _ in 0..LIMITS.max_lookups() {
        let again = silent.run(2_000, &mut quiet, connector.resolve("db.sauce.test"));
        assert_eq!(again, Err(ConnectError::ResolveTimedOut));
    }
}

#[test]
fn names_without_servers_or_that_are_invalid_fail_at_once() {
    let mut network = Network::new(LIMITS, &[]);
    let connector = network.connector.clone();
    let none = network.run(10, &mut quiet, connector.resolve("db.sauce.test"));
    assert_eq!(none, Err(ConnectError::NoDnsServer));

    let mut network = Network::new(LIMITS, &[SERVER]);
    let connector = network.connector.clone();
    let long_label = "a".repeat(64) + ".test";
    let invalid = network.run(10, &mut quiet, connector.resolve(&long_label));
    assert_eq!(invalid, Err(ConnectError::InvalidName));
    let empty_label = network.run(10, &mut quiet, connector.resolve("a..test"));
    assert_eq!(empty_label, Err(ConnectError::InvalidName));
}

#[test]
fn a_lookup_dropped_midway_gives_its_slot_back() {
    let mut network = Network::new(LIMITS, &[NOBODY]);
    let connector = network.connector.clone();
    for _ in 0..LIMITS.max_lookups() * 2 {
        let mut lookup = Box::pin(connector.resolve("db.sauce.test"));
        assert!(poll_once(lookup.as_mut()).is_pending());
        // The service starts the query, then the lookup is cancelled.
        network.idle(5, &mut quiet);
        drop(lookup);
        network.idle(5, &mut quiet);
    }
    let again = network.run(2_000, &mut quiet, connector.resolve("db.sauce.test"));
    assert_eq!(again, Err(ConnectError::ResolveTimedOut));
}
