//! Holding connection requests a full listener would refuse: a SYN to a served port that finds
//! no listening socket is dropped (the client retransmits it a second later) instead of being
//! answered with a reset (which the client reports as "connection refused" at once).
//!
//! This is what a Linux listener does when its backlog is full (`tcp_abort_on_overflow = 0`),
//! and what keeps a fresh client answered while a flood holds every socket: by the time its SYN
//! comes again, a socket that answered 503 listens again. A port without a gate keeps
//! `smoltcp`'s behaviour (reset).
use smoltcp::phy::{Device, DeviceCapabilities, RxToken};
use smoltcp::time::Instant;

/// Ports one stack gates at most: one per network service that listens.
pub(crate) const GATED_PORTS: usize = 4;

/// How many more SYNs to `port` the listening sockets can take in this round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SynGate {
    pub port: u16,
    pub open: usize,
    /// SYNs held back since it was last taken: clients waiting for a socket.
    pub held: usize,
}

/// The gates of every served port.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct SynGates {
    gates: [Option<SynGate>; GATED_PORTS],
}

impl SynGates {
    /// Lets `open` more SYNs to `port` through (until the next call), keeping the count held.
    /// A port beyond [`GATED_PORTS`] is not gated (its SYNs are reset as `smoltcp` does).
    pub(crate) fn set(&mut self, port: u16, open: usize) {
        let slot = self
            .gates
            .iter()
            .position(|gate| gate.is_some_and(|gate| gate.port == port))
            .or_else(|| self.gates.iter().position(Option::is_none));
        if let Some(slot) = slot {
            let held = self.gates[slot].map_or(0, |gate| gate.held);
            self.gates[slot] = Some(SynGate { port, open, held });
        }
    }

    /// SYNs to `port` held back since the last call.
    pub(crate) fn take_held(&mut self, port: u16) -> usize {
        self.gates
            .iter_mut()
            .flatten()
            .find(|gate| gate.port == port)
            .map_or(0, |gate| core::mem::take(&mut gate.held))
    }

    /// Whether `frame` may reach the stack: anything but a SYN to a gated port, or a SYN
    /// while a listening socket is left on its port (which it takes).
    fn admits(&mut self, frame: &[u8]) -> bool {
        let Some(port) = syn_destination(frame) else {
            return true;
        };
        let Some(gate) = self
            .gates
            .iter_mut()
            .flatten()
            .find(|gate| gate.port == port)
        else {
            return true;
        };
        if gate.open == 0 {
            gate.held += 1;
            return false;
        }
        gate.open -= 1;
        true
    }
}

/// The destination port of `frame` if it is an IPv4 TCP segment with SYN and without ACK.
/// Reads the four fields it needs in place (every received frame passes here, so no full header parse); any
/// frame too short to hold them is not a SYN. smoltcp validates the frame properly afterwards.
fn syn_destination(frame: &[u8]) -> Option<u16> {
    const ETHERNET_HEADER: usize = 14;
    const IPV4: [u8; 2] = [0x08, 0x00];
    const TCP: u8 = 6;
    const SYN: u8 = 0x02;
    const ACK: u8 = 0x10;
    let (Some(ethertype), Some(&version_and_length), Some(&protocol)) = (
        frame.get(12..14),
        frame.get(ETHERNET_HEADER),
        frame.get(ETHERNET_HEADER + 9),
    ) else {
        return None;
    };
    if ethertype != IPV4 || protocol != TCP || version_and_length >> 4 != 4 {
        return None;
    }
    let tcp = ETHERNET_HEADER + usize::from(version_and_length & 0x0F) * 4;
    let (Some(destination), Some(&flags)) = (frame.get(tcp + 2..tcp + 4), frame.get(tcp + 13))
    else {
        return None;
    };
    (flags & (SYN | ACK) == SYN).then(|| u16::from_be_bytes([destination[0], destination[1]]))
}

/// A device whose received frames pass the gate first.
pub(crate) struct GatedDevice<'a, D: Device> {
    pub device: &'a mut D,
    pub gate: &'a mut SynGates,
}

/// A received frame that is handed to the stack only if the gate admits it.
pub(crate) struct GatedRxToken<'a, T: RxToken> {
    token: T,
    gate: &'a mut SynGates,
}

impl<T: RxToken> RxToken for GatedRxToken<'_, T> {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, consumer: F) -> R {
        let GatedRxToken { token, gate } = self;
        token.consume(|frame| {
            let admitted = gate.admits(frame);
            // A frame the gate holds back reaches the stack empty, which it drops as malformed.
            consumer(if admitted { frame } else { &[] })
        })
    }

    fn meta(&self) -> smoltcp::phy::PacketMeta {
        self.token.meta()
    }
}

impl<D: Device> Device for GatedDevice<'_, D> {
    type RxToken<'b>
        = GatedRxToken<'b, D::RxToken<'b>>
    where
        Self: 'b;
    type TxToken<'b>
        = D::TxToken<'b>
    where
        Self: 'b;

    fn receive(&mut self, timestamp: Instant) -> Option<(Self::RxToken<'_>, Self::TxToken<'_>)> {
        let GatedDevice { device, gate } = self;
        let (receive, transmit) = device.receive(timestamp)?;
        Some((
            GatedRxToken {
                token: receive,
                gate,
            },
            transmit,
        ))
    }

    fn transmit(&mut self, timestamp: Instant) -> Option<Self::TxToken<'_>> {
        self.device.transmit(timestamp)
    }

    fn capabilities(&self) -> DeviceCapabilities {
        self.device.capabilities()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_frames;

    #[test]
    fn only_syns_to_the_gated_port_are_counted_and_held() {
        let syn = test_frames::tcp_syn(4_000, 80);
        let other_port = test_frames::tcp_syn(4_000, 81);
        let mut gate = SynGates::default();
        gate.set(80, 1);
        assert!(gate.admits(&other_port));
        assert!(gate.admits(&syn));
        assert!(!gate.admits(&syn), "no listener left: held");
        assert!(gate.admits(&other_port));
        assert!(gate.admits(b"not a frame"));
        assert!(gate.admits(&[]));
        assert_eq!(gate.take_held(80), 1);
        assert_eq!(gate.take_held(80), 0);
    }

    #[test]
    fn each_served_port_has_its_own_gate() {
        let mut gates = SynGates::default();
        gates.set(80, 0);
        gates.set(7, 1);
        gates.set(80, 0);
        assert!(!gates.admits(&test_frames::tcp_syn(4_000, 80)));
        assert!(gates.admits(&test_frames::tcp_syn(4_000, 7)));
        assert!(!gates.admits(&test_frames::tcp_syn(4_001, 7)));
        assert_eq!((gates.take_held(80), gates.take_held(7)), (1, 1));
        // Ports beyond the gates are not gated.
        for port in 1..=GATED_PORTS as u16 {
            gates.set(1000 + port, 0);
        }
        assert!(gates.admits(&test_frames::tcp_syn(4_000, 1000 + GATED_PORTS as u16)));
    }

    #[test]
    fn the_in_place_check_agrees_with_smoltcps_parser() {
        use smoltcp::wire::{EthernetFrame, Ipv4Packet, TcpPacket};
        let syn = test_frames::tcp_syn(4_000, 80);
        let tcp = TcpPacket::new_checked(
            Ipv4Packet::new_checked(EthernetFrame::new_checked(&syn[..]).unwrap().payload())
                .unwrap()
                .payload(),
        )
        .unwrap();
        assert!(tcp.syn() && !tcp.ack() && tcp.dst_port() == 80);
        assert_eq!(syn_destination(&syn), Some(80));
        // Truncated anywhere, it is not a SYN, and nothing panics.
        for length in 0..syn.len() {
            let _ = syn_destination(&syn[..length]);
        }
        assert_eq!(syn_destination(&syn[..30]), None);
    }
}
