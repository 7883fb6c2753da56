use alloc::vec::Vec;

use smoltcp::socket::tcp;
use smoltcp::wire::TcpControl;

use super::*;
use crate::configuration::DEFAULT_SOCKET_CAPACITY;
use crate::memory_link::MemoryLink;
use crate::test_frames::{self, arp_requests, GATEWAY_IP, GATEWAY_MAC, STACK_IP, STACK_MAC};

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

/// An address client that leases on its second poll and loses the lease on its fourth.
#[derive(Default)]
struct ScriptedClient {
    polls: usize,
}

impl AddressClient for ScriptedClient {
    fn name(&self) -> &'static str {
        "scripted"
    }

    fn start(&mut self, sockets: &mut SocketSet<'static>) {
        assert_eq!(
            sockets.iter().count(),
            0,
            "started once, before other sockets"
        );
    }

    fn poll(&mut self, _: &mut SocketSet<'static>) -> Option<NetworkEvent> {
        self.polls += 1;
        match self.polls {
            2 => Some(NetworkEvent::Leased {
                address: Ipv4Cidr::new(STACK_IP, 24),
                gateway: Some(GATEWAY_IP),
                dns_servers: crate::DnsServers::new(&[GATEWAY_IP]),
            }),
            4 => Some(NetworkEvent::LeaseLost),
            _ => None,
        }
    }
}

#[test]
fn an_address_client_sets_the_address_and_the_gateway_is_warmed_up() {
    let mut stack = NetworkStack::with_address_client(
        MemoryLink::new(),
        configuration(Addressing::Dhcp, Some(Ipv4Address::new(192, 168, 0, 1))),
        0,
        7,
        Box::new(ScriptedClient::default()),
    )
    .unwrap();
    assert_eq!(stack.address(), None);
    assert_eq!(stack.address_client_name(), Some("scripted"));
    assert!(!stack.poll(0));
    assert!(stack.device().take_transmitted().is_empty());
    assert!(stack.poll(1), "the lease changes the interface");
    let leased = NetworkEvent::Leased {
        address: Ipv4Cidr::new(STACK_IP, 24),
        gateway: Some(GATEWAY_IP),
        dns_servers: crate::DnsServers::new(&[GATEWAY_IP]),
    };
    assert_eq!(stack.take_event(), Some(leased));
    assert_eq!(stack.take_event(), None);
    assert_eq!(
        alloc::string::ToString::to_string(&leased),
        "leased 10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.2"
    );
    assert_eq!(stack.address(), Some(Ipv4Cidr::new(STACK_IP, 24)));
    assert_eq!(
        arp_requests(&stack.device().take_transmitted()),
        [GATEWAY_IP]
    );
    stack.poll(2);
    stack.poll(3);
    assert_eq!(stack.take_event(), Some(NetworkEvent::LeaseLost));
    assert_eq!(stack.address(), None);
}

#[test]
fn dhcp_without_an_address_client_is_refused_and_a_static_address_drops_it() {
    let dhcp = configuration(Addressing::Dhcp, None);
    let refused = NetworkStack::new(MemoryLink::new(), dhcp, 0, 1);
    assert_eq!(refused.err(), Some(ConfigurationError::NoAddressClient));
    let message = alloc::string::ToString::to_string(&ConfigurationError::NoAddressClient);
    assert!(
        message.starts_with("ip=dhcp: this image has no DHCP client"),
        "{message}"
    );
    let address = Addressing::Static(Ipv4Cidr::new(STACK_IP, 24));
    let stack = NetworkStack::with_address_client(
        MemoryLink::new(),
        configuration(address, None),
        0,
        1,
        Box::new(ScriptedClient::default()),
    )
    .unwrap();
    assert_eq!(stack.address_client_name(), None);
    assert_eq!(stack.address(), Some(Ipv4Cidr::new(STACK_IP, 24)));
}

#[test]
fn a_group_mac_is_refused() {
    let mut bad = configuration(Addressing::Static(Ipv4Cidr::new(STACK_IP, 24)), None);
    bad.mac = [0xff; 6];
    let result = NetworkStack::new(MemoryLink::new(), bad, 0, 1);
    assert_eq!(
        result.err(),
        Some(ConfigurationError::MacNotUnicast([0xff; 6]))
    );
}
