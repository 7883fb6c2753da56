//! The client against a scripted DHCP server on an in-memory link: discover, offer, request,
//! acknowledge, the gateway warm-up, and the lease running out.
use alloc::boxed::Box;
use alloc::vec::Vec;

use sauce_tcp_ip::test_frames::{self, arp_requests, GATEWAY_IP, STACK_IP, STACK_MAC};
use sauce_tcp_ip::{
    Addressing, MemoryLink, NetworkConfiguration, NetworkStack, DEFAULT_SOCKET_CAPACITY,
};
use smoltcp::phy::ChecksumCapabilities;
use smoltcp::wire::{
    DhcpMessageType, DhcpPacket, DhcpRepr, EthernetAddress, IpAddress, IpProtocol, Ipv4Address,
    Ipv4Cidr, UdpPacket, UdpRepr,
};

use super::*;

/// The DNS server the scripted DHCP server's leases name.
const DNS_SERVER: Ipv4Address = Ipv4Address::new(10, 0, 2, 3);

/// A DHCP server's message, broadcast from the gateway, naming [`DNS_SERVER`].
fn from_server(message_type: DhcpMessageType, transaction_id: u32) -> Vec<u8> {
    from_server_naming(message_type, transaction_id, &[DNS_SERVER])
}

/// A DHCP server's message, broadcast from the gateway, naming `dns_servers` (no option at
/// all when empty).
fn from_server_naming(
    message_type: DhcpMessageType,
    transaction_id: u32,
    dns_servers: &[Ipv4Address],
) -> Vec<u8> {
    let dns_servers = (!dns_servers.is_empty()).then(|| dns_servers.iter().copied().collect());
    let dhcp = DhcpRepr {
        message_type,
        transaction_id,
        secs: 0,
        client_hardware_address: STACK_MAC,
        client_ip: Ipv4Address::UNSPECIFIED,
        your_ip: STACK_IP,
        server_ip: GATEWAY_IP,
        router: Some(GATEWAY_IP),
        subnet_mask: Some(Ipv4Address::new(255, 255, 255, 0)),
        relay_agent_ip: Ipv4Address::UNSPECIFIED,
        broadcast: false,
        requested_ip: None,
        client_identifier: None,
        server_identifier: Some(GATEWAY_IP),
        parameter_request_list: None,
        dns_servers,
        max_size: None,
        lease_duration: Some(86_400),
        renew_duration: None,
        rebind_duration: None,
        additional_options: &[],
    };
    let udp = UdpRepr {
        src_port: 67,
        dst_port: 68,
    };
    let destination = (EthernetAddress::BROADCAST, Ipv4Address::BROADCAST);
    let length = 8 + dhcp.buffer_len();
    test_frames::ipv4(destination, IpProtocol::Udp, length, |payload| {
        udp.emit(
            &mut UdpPacket::new_unchecked(payload),
            &IpAddress::Ipv4(GATEWAY_IP),
            &IpAddress::Ipv4(Ipv4Address::BROADCAST),
            dhcp.buffer_len(),
            |body| dhcp.emit(&mut DhcpPacket::new_unchecked(body)).unwrap(),
            &ChecksumCapabilities::default(),
        );
    })
}

/// The one DHCP client message among `frames`: its type and transaction number.
fn client_message(frames: &[Vec<u8>]) -> (DhcpMessageType, u32) {
    let messages: Vec<_> = frames
        .iter()
        .filter_map(|frame| {
            let (_, payload) = test_frames::ipv4_packet(frame)?;
            let udp = UdpPacket::new_checked(&payload[..]).ok()?;
            if udp.dst_port() != 67 {
                return None;
            }
            let packet = DhcpPacket::new_checked(udp.payload()).ok()?;
            let message = DhcpRepr::parse(&packet).ok()?;
            Some((message.message_type, message.transaction_id))
        })
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    messages[0]
}

fn dhcp_stack() -> NetworkStack<MemoryLink> {
    let configuration = NetworkConfiguration {
        address: Addressing::Dhcp,
        // A stale static gateway: the lease's router replaces it.
        gateway: Some(Ipv4Address::new(192, 168, 0, 1)),
        mac: STACK_MAC.0,
        socket_capacity: DEFAULT_SOCKET_CAPACITY,
    };
    let client = Box::new(DhcpClient::new());
    NetworkStack::with_address_client(MemoryLink::new(), configuration, 0, 7, client).unwrap()
}

#[test]
fn leases_an_address_then_warms_up_the_gateway_and_loses_it_unrenewed() {
    let mut stack = dhcp_stack();
    assert_eq!(stack.address(), None);
    assert_eq!(stack.address_client_name(), Some("dhcp"));
    stack.poll(0);
    let (kind, transaction) = client_message(&stack.device().take_transmitted());
    assert_eq!(kind, DhcpMessageType::Discover);

    stack
        .device()
        .inject(&from_server(DhcpMessageType::Offer, transaction));
    stack.poll(10);
    let (kind, transaction) = client_message(&stack.device().take_transmitted());
    assert_eq!(kind, DhcpMessageType::Request);
    assert_eq!(stack.take_event(), None);

    stack
        .device()
        .inject(&from_server(DhcpMessageType::Ack, transaction));
    assert!(stack.poll(20));
    let leased = NetworkEvent::Leased {
        address: Ipv4Cidr::new(STACK_IP, 24),
        gateway: Some(GATEWAY_IP),
        dns_servers: DnsServers::new(&[DNS_SERVER]),
    };
    assert_eq!(stack.take_event(), Some(leased));
    assert_eq!(stack.take_event(), None);
    assert_eq!(stack.address(), Some(Ipv4Cidr::new(STACK_IP, 24)));
    assert_eq!(
        arp_requests(&stack.device().take_transmitted()),
        [GATEWAY_IP]
    );

    // Nobody answers the renewals: when the day-long lease ends, the address goes.
    for hour in 1..=25 {
        stack.poll(hour * 3_600_000);
    }
    assert_eq!(stack.take_event(), Some(NetworkEvent::LeaseLost));
    assert_eq!(stack.address(), None);
}

#[test]
fn the_start_up_deconfiguration_is_not_an_event_and_the_deadline_is_the_retry() {
    let mut stack = dhcp_stack();
    stack.poll(0);
    assert_eq!(stack.take_event(), None);
    let delay = stack.poll_delay(1).expect("the client retries on a timer");
    assert!(delay > 0 && delay <= 10_000, "retry in {delay} ms");
    stack.device().take_transmitted();
    stack.poll(1 + delay);
    let (kind, _) = client_message(&stack.device().take_transmitted());
    assert_eq!(
        kind,
        DhcpMessageType::Discover,
        "rediscovers without an offer"
    );
}

#[test]
fn starting_twice_adds_one_socket() {
    let mut sockets = SocketSet::new(Vec::new());
    let mut client = DhcpClient::new();
    client.start(&mut sockets);
    client.start(&mut sockets);
    assert_eq!(sockets.iter().count(), 1);
    assert_eq!(client.poll(&mut sockets), None);
}

#[test]
fn a_lease_without_dns_servers_names_none() {
    let mut stack = dhcp_stack();
    stack.poll(0);
    let (_, transaction) = client_message(&stack.device().take_transmitted());
    stack.device().inject(&from_server_naming(
        DhcpMessageType::Offer,
        transaction,
        &[],
    ));
    stack.poll(10);
    let (kind, transaction) = client_message(&stack.device().take_transmitted());
    assert_eq!(kind, DhcpMessageType::Request);
    stack
        .device()
        .inject(&from_server_naming(DhcpMessageType::Ack, transaction, &[]));
    assert!(stack.poll(20));
    let Some(NetworkEvent::Leased { dns_servers, .. }) = stack.take_event() else {
        panic!("no lease");
    };
    assert!(dns_servers.is_empty(), "{dns_servers}");
}
