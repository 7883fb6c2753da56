//! Frames a host test plays the gateway with, and readers for what the stack sent: test
//! equipment (like [`MemoryLink`](crate::MemoryLink)), public so that components built on
//! this crate (`dhcp-client`, `http-service`) test against the same gateway. Images never
//! call it, so it is not linked into them.
use alloc::vec;
use alloc::vec::Vec;

use smoltcp::phy::ChecksumCapabilities;
use smoltcp::wire::{
    ArpOperation, ArpPacket, ArpRepr, EthernetAddress, EthernetFrame, EthernetProtocol,
    EthernetRepr, Icmpv4Packet, Icmpv4Repr, IpAddress, IpProtocol, Ipv4Address, Ipv4Packet,
    Ipv4Repr, TcpControl, TcpPacket, TcpRepr, TcpSeqNumber,
};

/// The stack's Ethernet address in tests.
pub const STACK_MAC: EthernetAddress = EthernetAddress([0x52, 0x54, 0, 0x12, 0x34, 0x56]);
/// The stack's IPv4 address in tests.
pub const STACK_IP: Ipv4Address = Ipv4Address::new(10, 0, 2, 15);
/// The gateway's Ethernet address.
pub const GATEWAY_MAC: EthernetAddress = EthernetAddress([0x52, 0x55, 10, 0, 2, 2]);
/// The gateway's IPv4 address.
pub const GATEWAY_IP: Ipv4Address = Ipv4Address::new(10, 0, 2, 2);

fn ethernet(ethertype: EthernetProtocol, destination: EthernetAddress, body: &[u8]) -> Vec<u8> {
    let mut frame = vec![0; EthernetFrame::<&[u8]>::buffer_len(body.len())];
    let mut ethernet = EthernetFrame::new_unchecked(&mut frame[..]);
    EthernetRepr {
        src_addr: GATEWAY_MAC,
        dst_addr: destination,
        ethertype,
    }
    .emit(&mut ethernet);
    ethernet.payload_mut().copy_from_slice(body);
    frame
}

/// The gateway's answer to the stack's ARP request.
pub fn arp_reply() -> Vec<u8> {
    let arp = ArpRepr::EthernetIpv4 {
        operation: ArpOperation::Reply,
        source_hardware_addr: GATEWAY_MAC,
        source_protocol_addr: GATEWAY_IP,
        target_hardware_addr: STACK_MAC,
        target_protocol_addr: STACK_IP,
    };
    let mut body = vec![0; arp.buffer_len()];
    arp.emit(&mut ArpPacket::new_unchecked(&mut body[..]));
    ethernet(EthernetProtocol::Arp, STACK_MAC, &body)
}

/// An IPv4 packet from the gateway to `destination` (Ethernet and IPv4 address), its
/// `payload_length` bytes of payload written by `fill`.
pub fn ipv4(
    destination: (EthernetAddress, Ipv4Address),
    protocol: IpProtocol,
    payload_length: usize,
    fill: impl FnOnce(&mut [u8]),
) -> Vec<u8> {
    let header = Ipv4Repr {
        src_addr: GATEWAY_IP,
        dst_addr: destination.1,
        next_header: protocol,
        payload_len: payload_length,
        hop_limit: 64,
    };
    let mut body = vec![0; header.buffer_len() + payload_length];
    let mut packet = Ipv4Packet::new_unchecked(&mut body[..]);
    header.emit(&mut packet, &ChecksumCapabilities::default());
    fill(packet.payload_mut());
    ethernet(EthernetProtocol::Ipv4, destination.0, &body)
}

/// A client's SYN, arriving through the gateway (as QEMU user networking forwards it).
pub fn tcp_syn(source_port: u16, destination_port: u16) -> Vec<u8> {
    let tcp = TcpRepr {
        src_port: source_port,
        dst_port: destination_port,
        control: TcpControl::Syn,
        seq_number: TcpSeqNumber(1000),
        ack_number: None,
        window_len: 64_000,
        window_scale: None,
        max_seg_size: Some(1460),
        sack_permitted: false,
        sack_ranges: [None; 3],
        timestamp: None,
        payload: &[],
    };
    ipv4(
        (STACK_MAC, STACK_IP),
        IpProtocol::Tcp,
        tcp.buffer_len(),
        |payload| {
            tcp.emit(
                &mut TcpPacket::new_unchecked(payload),
                &IpAddress::Ipv4(GATEWAY_IP),
                &IpAddress::Ipv4(STACK_IP),
                &ChecksumCapabilities::default(),
            );
        },
    )
}

/// A ping from the gateway.
pub fn echo_request() -> Vec<u8> {
    let icmp = Icmpv4Repr::EchoRequest {
        ident: 7,
        seq_no: 1,
        data: b"ping",
    };
    ipv4(
        (STACK_MAC, STACK_IP),
        IpProtocol::Icmp,
        icmp.buffer_len(),
        |payload| {
            icmp.emit(
                &mut Icmpv4Packet::new_unchecked(payload),
                &ChecksumCapabilities::default(),
            );
        },
    )
}

/// The ARP packet in `frame`, if it is one.
pub fn arp(frame: &[u8]) -> Option<ArpRepr> {
    let ethernet = EthernetFrame::new_checked(frame).ok()?;
    if ethernet.ethertype() != EthernetProtocol::Arp {
        return None;
    }
    ArpRepr::parse(&ArpPacket::new_checked(ethernet.payload()).ok()?).ok()
}

/// The addresses the stack asked for in the ARP requests among `frames` (each checked to come
/// from the stack's addresses).
pub fn arp_requests(frames: &[Vec<u8>]) -> Vec<Ipv4Address> {
    frames
        .iter()
        .filter_map(|frame| match arp(frame)? {
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

/// The IPv4 header and payload in `frame`, if it carries IPv4.
pub fn ipv4_packet(frame: &[u8]) -> Option<(Ipv4Repr, Vec<u8>)> {
    let ethernet = EthernetFrame::new_checked(frame).ok()?;
    if ethernet.ethertype() != EthernetProtocol::Ipv4 {
        return None;
    }
    let packet = Ipv4Packet::new_checked(ethernet.payload()).ok()?;
    let header = Ipv4Repr::parse(&packet, &ChecksumCapabilities::default()).ok()?;
    Some((header, packet.payload().to_vec()))
}

/// The TCP control flags, ports and acknowledgement presence in `frame`, if it is TCP.
pub fn tcp(frame: &[u8]) -> Option<(TcpControl, bool, u16, u16)> {
    let (ip, payload) = ipv4_packet(frame)?;
    let packet = TcpPacket::new_checked(&payload[..]).ok()?;
    let source = IpAddress::Ipv4(ip.src_addr);
    let destination = IpAddress::Ipv4(ip.dst_addr);
    let checksums = ChecksumCapabilities::default();
    let header = TcpRepr::parse(&packet, &source, &destination, &checksums).ok()?;
    Some((
        header.control,
        header.ack_number.is_some(),
        header.src_port,
        header.dst_port,
    ))
}

/// Whether `frame` is an echo reply to the gateway carrying `ping`.
pub fn is_echo_reply(frame: &[u8]) -> bool {
    let Some((ip, payload)) = ipv4_packet(frame) else {
        return false;
    };
    let Ok(packet) = Icmpv4Packet::new_checked(&payload[..]) else {
        return false;
    };
    let message = Icmpv4Repr::parse(&packet, &ChecksumCapabilities::default());
    ip.dst_addr == GATEWAY_IP
        && matches!(
            message,
            Ok(Icmpv4Repr::EchoReply {
                ident: 7,
                seq_no: 1,
                data: b"ping"
            })
        )
}
