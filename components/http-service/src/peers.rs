//! [`PeerCounts`]: open connections per peer address, for the per-peer cap.
use alloc::vec::Vec;

use smoltcp::wire::IpAddress;

/// How many connections each peer address holds, kept only while a per-peer cap is set.
///
/// A linear table: it holds at most one entry per open connection, and it is only consulted
/// when a connection is accepted or closed. Its room is reserved when the service is made, so
/// counting never allocates.
#[derive(Debug, Default)]
pub(crate) struct PeerCounts {
    entries: Vec<(IpAddress, usize)>,
}

impl PeerCounts {
    /// A table with room for `connections` distinct peers; `None` when that room cannot be had.
    pub fn with_room(connections: usize) -> Option<PeerCounts> {
        let mut entries = Vec::new();
        entries.try_reserve_exact(connections).ok()?;
        Some(PeerCounts { entries })
    }

    /// Connections `peer` holds now.
    pub fn count(&self, peer: IpAddress) -> usize {
        self.entries
            .iter()
            .find(|(address, _)| *address == peer)
            .map_or(0, |(_, count)| *count)
    }

    /// `peer` opened a connection. Within the reserved room (one entry per open connection)
    /// this never allocates; beyond it the peer is simply not counted.
    pub fn add(&mut self, peer: IpAddress) {
        if let Some((_, count)) = self
            .entries
            .iter_mut()
            .find(|(address, _)| *address == peer)
        {
            *count += 1;
        } else if self.entries.len() < self.entries.capacity() {
            self.entries.push((peer, 1));
        }
    }

    /// A connection of `peer` closed.
    pub fn remove(&mut self, peer: IpAddress) {
        if let Some(index) = self
            .entries
            .iter()
            .position(|(address, _)| *address == peer)
        {
            match self.entries.get_mut(index) {
                Some((_, count)) if *count > 1 => *count -= 1,
                _ => {
                    self.entries.swap_remove(index);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smoltcp::wire::Ipv4Address;

    #[test]
    fn counts_rise_and_fall_per_address_within_the_room() {
        let one = IpAddress::Ipv4(Ipv4Address::new(10, 0, 0, 1));
        let two = IpAddress::Ipv4(Ipv4Address::new(10, 0, 0, 2));
        let three = IpAddress::Ipv4(Ipv4Address::new(10, 0, 0, 3));
        let mut peers = PeerCounts::with_room(2).unwrap();
        peers.add(one);
        peers.add(one);
        peers.add(two);
        peers.add(three); // no room: not counted, and nothing allocated
        assert_eq!(
            (peers.count(one), peers.count(two), peers.count(three)),
            (2, 1, 0)
        );
        peers.remove(one);
        peers.remove(two);
        peers.remove(three);
        assert_eq!((peers.count(one), peers.count(two)), (1, 0));
        assert_eq!(peers.entries.capacity(), 2);
    }
}
