//! DNS servers from a DHCP lease: they replace the default while the lease lasts, the
//! default returns when it ends, and servers the configuration named are kept.
use sauce_tcp_ip::DnsServers;

use super::dns_server::DnsServer;
use super::*;
use crate::ConnectError;

/// The lease the stack reports, naming `dns_servers`.
fn leased(dns_servers: &[Ipv4Address]) -> NetworkEvent {
    NetworkEvent::Leased {
        address: Ipv4Cidr::new(CLIENT, 24),
        gateway: None,
        dns_servers: DnsServers::new(dns_servers),
    }
}

#[test]
fn the_lease_names_the_server_names_resolve_with() {
    // The default (nobody answers there) gives way to the lease's server.
    let mut network = Network::with_dns(LIMITS, DnsSettings::lease_or(&[NOBODY]));
    let mut dns = DnsServer::new(&mut network.server, &[("db.sauce.test", SERVER)]);
    let connector = network.connector.clone();
    let notes = network.network_changed(leased(&[SERVER]));
    assert_eq!(notes, ["outbound: DNS 10.0.0.1 (from the DHCP lease)"]);
    let address = network.run(
        1_000,
        &mut |stack| dns.serve(stack),
        connector.resolve("db.sauce.test"),
    );
    assert_eq!(address, Ok(SERVER));
    assert_eq!(dns.queries, 1);
    assert!(
        network.network_changed(leased(&[SERVER])).is_empty(),
        "a renewal naming the same servers is not news"
    );

    // The lease ends: the default again, which never answers.
    let notes = network.network_changed(NetworkEvent::LeaseLost);
    assert_eq!(
        notes,
        ["outbound: DNS 10.0.0.9 (the default: the DHCP lease ended)"]
    );
    let lost = network.run(
        2_000,
        &mut |stack| dns.serve(stack),
        connector.resolve("db.sauce.test"),
    );
    assert_eq!(lost, Err(ConnectError::ResolveTimedOut));
    assert_eq!(dns.queries, 1, "the lease's server is no longer asked");
}

#[test]
fn configured_servers_outlast_any_lease() {
    let mut network = Network::new(LIMITS, &[NOBODY]);
    let mut dns = DnsServer::new(&mut network.server, &[("db.sauce.test", SERVER)]);
    let connector = network.connector.clone();
    assert!(network.network_changed(leased(&[SERVER])).is_empty());
    let answer = network.run(
        2_000,
        &mut |stack| dns.serve(stack),
        connector.resolve("db.sauce.test"),
    );
    assert_eq!(answer, Err(ConnectError::ResolveTimedOut));
    assert_eq!(dns.queries, 0, "the lease's server is never asked");
}

#[test]
fn without_a_default_names_wait_for_a_lease_that_names_servers() {
    let mut network = Network::with_dns(LIMITS, DnsSettings::lease_or(&[]));
    let mut dns = DnsServer::new(&mut network.server, &[("db.sauce.test", SERVER)]);
    let connector = network.connector.clone();
    let before = network.run(10, &mut quiet, connector.resolve("db.sauce.test"));
    assert_eq!(before, Err(ConnectError::NoDnsServer));
    let notes = network.network_changed(leased(&[]));
    assert_eq!(
        notes,
        ["outbound: DNS off (the default: the DHCP lease names none)"]
    );
    let none = network.run(10, &mut quiet, connector.resolve("db.sauce.test"));
    assert_eq!(none, Err(ConnectError::NoDnsServer));
    network.network_changed(leased(&[SERVER]));
    let after = network.run(
        1_000,
        &mut |stack| dns.serve(stack),
        connector.resolve("db.sauce.test"),
    );
    assert_eq!(after, Ok(SERVER));
}
