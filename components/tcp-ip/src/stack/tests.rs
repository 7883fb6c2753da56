use alloc::vec::Vec;

use smoltcp::socket::tcp;
use smoltcp::wire::{ArpOperation, ArpRepr, DhcpMessageType, DhcpRepr, TcpControl};

use super::*;
use crate::configuration::DEFAULT_SOCKET_CAPACITY;
use crate::memory_link::MemoryLink;
use crate::test_frames::{self, GATEWAY_IP, GATEWAY_MAC, STACK_IP, STACK_MAC};

fn configuration(address: Addressing, gateway: Option<Ipv4Address>) -> NetworkConfiguration {
    NetworkConfiguration {
        address,
        gateway,
        mac: STACK_MAC.0,
        socket_capacity: DEFAULT_SOCKET_CAPACITY,
    }
}

fn static_stack(gateway: Option<Ipv4Address>) -> NetworkStack<MemoryLink> {
    let address = Addressing::Static(Ipv4Cidr::new(STACK_IP, 24));
    NetworkStack::new(MemoryLink::new(), configuration(address, gateway), 0, 42).unwrap()
}

fn arp_requests(frames: &[Vec<u8>]) -> Vec<Ipv4Address> {
    frames
        .iter()
        .filter_map(|frame| match test_frames::arp(frame)? {
            ArpRepr::EthernetIpv4 {
                operation: ArpOperation::Request,
                source_hardware_addr,
                source_protocol_addr,
                target_protocol_addr,
                ..
            } => {
                assert_eq!(
                    (source_hardware_addr, source_protocol_addr),
                    (STACK_MAC, STACK_IP)
                );
                Some(target_protocol_addr)
            }
            _ => None,
        })
        .collect()
}

fn listen(stack: &mut NetworkStack<MemoryLink>, port: u16) {
    let buffer = || tcp::SocketBuffer::new(alloc::vec![0; 1024]);
    let handle = stack.add_socket(tcp::Socket::new(buffer(), buffer()));
    stack
        .socket_mut::<tcp::Socket>(handle)
        .listen(port)
        .unwrap();
}

#[test]
fn a_static_address_sends_one_arp_request_for_the_gateway_at_the_first_poll() {
    let mut stack = static_stack(Some(GATEWAY_IP));
    assert_eq!(stack.poll_delay(0), Some(0), "the warm-up is due at once");
    assert!(stack.poll(0));
    let frames = stack.device().take_transmitted();
    assert_eq!(arp_requests(&frames), [GATEWAY_IP]);
    assert_eq!(frames.len(), 1);
    stack.poll(5);
    assert!(
        stack.device().take_transmitted().is_empty(),
        "one request, not one per poll"
    );
    assert_eq!(stack.poll_delay(5), None);
}

#[test]
fn without_a_gateway_nothing_is_sent() {
    let mut stack = static_stack(None);
    assert!(!stack.poll(0));
    assert!(stack.device().take_transmitted().is_empty());
    assert_eq!(stack.address(), Some(Ipv4Cidr::new(STACK_IP, 24)));
}

#[test]
fn once_the_gateway_answered_the_first_syn_is_answered_at_once() {
    let mut stack = static_stack(Some(GATEWAY_IP));
    listen(&mut stack, 80);
    stack.poll(0);
    stack.device().take_transmitted();
    stack.device().inject(&test_frames::arp_reply());
    stack.poll(3);
    stack.device().inject(&test_frames::tcp_syn(40_000, 80));
    stack.poll(4);
    let frames = stack.device().take_transmitted();
    assert!(arp_requests(&frames).is_empty());
    let answers: Vec<_> = frames
        .iter()
        .filter_map(|frame| test_frames::tcp(frame))
        .collect();
    assert_eq!(answers, [(TcpControl::Syn, true, 80, 40_000)]);
    let ethernet = smoltcp::wire::EthernetFrame::new_checked(&frames[0][..]).unwrap();
    assert_eq!(ethernet.dst_addr(), GATEWAY_MAC);
}

#[test]
fn without_the_gateways_answer_the_syn_ack_would_wait_for_address_resolution() {
    // What the warm-up prevents: the stack resolves first and drops the SYN-ACK meanwhile.
    let mut stack = static_stack(Some(GATEWAY_IP));
    listen(&mut stack, 80);
    stack.poll(0);
    stack.device().take_transmitted();
    stack.device().inject(&test_frames::tcp_syn(40_000, 80));
    stack.poll(4);
    let frames = stack.device().take_transmitted();
    assert_eq!(arp_requests(&frames), [GATEWAY_IP]);
    assert!(frames.iter().all(|frame| test_frames::tcp(frame).is_none()));
}

#[test]
fn pings_are_answered_without_a_socket() {
    let mut stack = static_stack(Some(GATEWAY_IP));
    stack.poll(0);
    stack.device().inject(&test_frames::arp_reply());
    stack.device().inject(&test_frames::echo_request());
    stack.poll(1);
    let frames = stack.device().take_transmitted();
    assert_eq!(
        frames
            .iter()
            .filter(|frame| test_frames::is_echo_reply(frame))
            .count(),
        1
    );
}

fn server_message(message_type: DhcpMessageType, transaction_id: u32) -> Vec<u8> {
    let router = [GATEWAY_IP];
    test_frames::dhcp_from_server(&DhcpRepr {
        message_type,
        transaction_id,
        secs: 0,
        client_hardware_address: STACK_MAC,
        client_ip: Ipv4Address::UNSPECIFIED,
        your_ip: STACK_IP,
        server_ip: GATEWAY_IP,
        router: router.first().copied(),
        subnet_mask: Some(Ipv4Address::new(255, 255, 255, 0)),
        relay_agent_ip: Ipv4Address::UNSPECIFIED,
        broadcast: false,
        requested_ip: None,
        client_identifier: None,
        server_identifier: Some(GATEWAY_IP),
        parameter_request_list: None,
        dns_servers: None,
        max_size: None,
        lease_duration: Some(86_400),
        renew_duration: None,
        rebind_duration: None,
        additional_options: &[],
    })
}

fn client_message(frames: &[Vec<u8>]) -> (DhcpMessageType, u32) {
    let messages: Vec<_> = frames
        .iter()
        .filter_map(|frame| test_frames::dhcp(frame))
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    messages[0]
}

#[test]
fn dhcp_leases_an_address_then_warms_up_the_gateway() {
    let mut stack = NetworkStack::new(
        MemoryLink::new(),
        configuration(Addressing::Dhcp, Some(Ipv4Address::new(192, 168, 0, 1))),
        0,
        7,
    )
    .unwrap();
    assert_eq!(stack.address(), None);
    stack.poll(0);
    let (kind, transaction) = client_message(&stack.device().take_transmitted());
    assert_eq!(kind, DhcpMessageType::Discover);

    stack
        .device()
        .inject(&server_message(DhcpMessageType::Offer, transaction));
    stack.poll(10);
    let (kind, transaction) = client_message(&stack.device().take_transmitted());
    assert_eq!(kind, DhcpMessageType::Request);
    assert_eq!(stack.take_event(), None);

    stack
        .device()
        .inject(&server_message(DhcpMessageType::Ack, transaction));
    assert!(stack.poll(20));
    let leased = NetworkEvent::Leased {
        address: Ipv4Cidr::new(STACK_IP, 24),
        gateway: Some(GATEWAY_IP),
    };
    assert_eq!(stack.take_event(), Some(leased));
    assert_eq!(stack.take_event(), None);
    assert_eq!(
        alloc::string::ToString::to_string(&leased),
        "dhcp: leased 10.0.2.15/24, gateway 10.0.2.2"
    );
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
fn a_group_mac_is_refused() {
    let mut bad = configuration(Addressing::Dhcp, None);
    bad.mac = [0xff; 6];
    let result = NetworkStack::new(MemoryLink::new(), bad, 0, 1);
    assert_eq!(
        result.err(),
        Some(ConfigurationError::MacNotUnicast([0xff; 6]))
    );
}
