//! The one ARP request for the gateway sent as soon as the interface has an address.
//!
//! `smoltcp` resolves a neighbour only when a packet waits for it, and drops that packet
//! meanwhile: the first SYN-ACK to a client behind the gateway is lost and retransmitted only
//! after its retransmission timeout (about a second). `smoltcp` fills its neighbour cache from
//! any ARP packet aimed at the interface, replies included, but offers no call to send a
//! request. So the stack writes the request itself, straight into the device, and the
//! gateway's reply warms the cache before the first client arrives.
//!
//! Rejected: a throwaway UDP or ICMP packet to the gateway (it would trigger the same ARP
//! request, but also puts a packet on the network that nobody asked for, and needs a socket
//! kind the image does not otherwise use).
use smoltcp::phy::{Device, TxToken};
use smoltcp::time::Instant;
use smoltcp::wire::{
    ArpOperation, ArpPacket, ArpRepr, EthernetAddress, EthernetFrame, EthernetProtocol,
    EthernetRepr, Ipv4Address,
};

/// Who asks whom: the interface's addresses and the gateway's IPv4 address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArpRequest {
    /// The interface's Ethernet address.
    pub mac: EthernetAddress,
    /// The interface's IPv4 address: the gateway's reply is aimed at it.
    pub source: Ipv4Address,
    /// The address to resolve.
    pub target: Ipv4Address,
}

impl ArpRequest {
    fn representation(&self) -> ArpRepr {
        ArpRepr::EthernetIpv4 {
            operation: ArpOperation::Request,
            source_hardware_addr: self.mac,
            source_protocol_addr: self.source,
            target_hardware_addr: EthernetAddress([0; 6]),
            target_protocol_addr: self.target,
        }
    }

    /// The length of the Ethernet frame carrying the request.
    pub fn frame_length(&self) -> usize {
        EthernetFrame::<&[u8]>::buffer_len(self.representation().buffer_len())
    }

    /// Writes the broadcast Ethernet frame into `frame`, which is
    /// [`frame_length`](Self::frame_length) bytes long (the length a transmit token is asked
    /// for); a shorter buffer is left untouched.
    pub fn emit(&self, frame: &mut [u8]) {
        if frame.len() < self.frame_length() {
            return;
        }
        let representation = self.representation();
        let mut ethernet = EthernetFrame::new_unchecked(frame);
        EthernetRepr {
            src_addr: self.mac,
            dst_addr: EthernetAddress::BROADCAST,
            ethertype: EthernetProtocol::Arp,
        }
        .emit(&mut ethernet);
        representation.emit(&mut ArpPacket::new_unchecked(ethernet.payload_mut()));
    }

    /// Transmits the request on `device`; `false` when the device has no room right now (the
    /// caller tries again on its next poll).
    pub fn transmit(&self, device: &mut impl Device, timestamp: Instant) -> bool {
        let Some(token) = device.transmit(timestamp) else {
            return false;
        };
        token.consume(self.frame_length(), |frame| self.emit(frame));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn the_frame_is_a_broadcast_arp_request_for_the_target() {
        let request = ArpRequest {
            mac: EthernetAddress([2, 0, 0, 0, 0, 1]),
            source: Ipv4Address::new(10, 0, 2, 15),
            target: Ipv4Address::new(10, 0, 2, 2),
        };
        let mut frame = vec![0; request.frame_length()];
        request.emit(&mut frame);
        let ethernet = EthernetFrame::new_checked(&frame[..]).unwrap();
        assert_eq!(ethernet.dst_addr(), EthernetAddress::BROADCAST);
        assert_eq!(ethernet.src_addr(), request.mac);
        assert_eq!(ethernet.ethertype(), EthernetProtocol::Arp);
        let arp = ArpRepr::parse(&ArpPacket::new_checked(ethernet.payload()).unwrap()).unwrap();
        assert_eq!(arp, request.representation());
        assert_eq!(frame.len(), 42);
    }

    #[test]
    fn a_short_buffer_is_left_alone() {
        let request = ArpRequest {
            mac: EthernetAddress([2, 0, 0, 0, 0, 1]),
            source: Ipv4Address::new(10, 0, 2, 15),
            target: Ipv4Address::new(10, 0, 2, 2),
        };
        let mut frame = [0u8; 20];
        request.emit(&mut frame);
        assert_eq!(frame, [0; 20]);
    }
}
