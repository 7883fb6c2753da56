//! An in-memory Ethernet cable: a `smoltcp` device for host tests and simulations.
//!
//! [`MemoryLink::pair`] connects two stacks (each end's transmissions are the other end's
//! receptions); [`MemoryLink::new`] is a loose end whose frames a test injects and inspects.
//! Frames live in `Vec`s that are recycled once received, so a steady exchange allocates
//! nothing (tests count allocations through it). This is test equipment, not a driver.
use alloc::collections::VecDeque;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;

use smoltcp::phy::{Device, DeviceCapabilities, Medium, RxToken, TxToken};
use smoltcp::time::Instant;

/// Largest Ethernet frame carried: a 1500-byte IP packet and its 14-byte header.
const FRAME_LIMIT: usize = 1514;

type Queue = Rc<RefCell<VecDeque<Vec<u8>>>>;
/// Frame buffers already received, to be reused for the next transmissions (both ends).
type Spares = Rc<RefCell<Vec<Vec<u8>>>>;

/// One end of an in-memory Ethernet link.
#[derive(Debug, Default)]
pub struct MemoryLink {
    /// Frames waiting for this end to receive them.
    inbound: Queue,
    /// Frames this end transmitted that the other end (or the test) has not taken yet.
    outbound: Queue,
    spares: Spares,
}

impl MemoryLink {
    /// A loose end: [`inject`](Self::inject) frames into it and
    /// [`take_transmitted`](Self::take_transmitted) what it sent.
    pub fn new() -> MemoryLink {
        MemoryLink::default()
    }

    /// Two ends of one cable.
    pub fn pair() -> (MemoryLink, MemoryLink) {
        let forward = Queue::default();
        let backward = Queue::default();
        let spares = Spares::default();
        let first = MemoryLink {
            inbound: backward.clone(),
            outbound: forward.clone(),
            spares: spares.clone(),
        };
        let second = MemoryLink {
            inbound: forward,
            outbound: backward,
            spares,
        };
        (first, second)
    }

    /// Queues `frame` for this end to receive.
    pub fn inject(&self, frame: &[u8]) {
        self.inbound.borrow_mut().push_back(frame.to_vec());
    }

    /// Removes and returns the frames this end transmitted and nobody received yet.
    pub fn take_transmitted(&self) -> Vec<Vec<u8>> {
        self.outbound.borrow_mut().drain(..).collect()
    }

    /// How many frames wait for this end to receive them.
    pub fn pending_inbound(&self) -> usize {
        self.inbound.borrow().len()
    }
}

/// A received frame, handed to the stack; its buffer is recycled afterwards.
#[derive(Debug)]
pub struct MemoryReceiveToken<'link> {
    frame: Vec<u8>,
    spares: &'link Spares,
}

impl RxToken for MemoryReceiveToken<'_> {
    fn consume<R, F>(self, consumer: F) -> R
    where
        F: FnOnce(&[u8]) -> R,
    {
        let result = consumer(&self.frame);
        self.spares.borrow_mut().push(self.frame);
        result
    }
}

/// Room for one frame to transmit.
#[derive(Debug)]
pub struct MemoryTransmitToken<'link> {
    outbound: &'link Queue,
    spares: &'link Spares,
}

impl TxToken for MemoryTransmitToken<'_> {
    fn consume<R, F>(self, length: usize, producer: F) -> R
    where
        F: FnOnce(&mut [u8]) -> R,
    {
        let spare = self.spares.borrow_mut().pop();
        let mut frame = spare.unwrap_or_else(|| Vec::with_capacity(FRAME_LIMIT));
        frame.clear();
        frame.resize(length, 0);
        let result = producer(&mut frame);
        self.outbound.borrow_mut().push_back(frame);
        result
    }
}

impl Device for MemoryLink {
    type RxToken<'link>
        = MemoryReceiveToken<'link>
    where
        Self: 'link;
    type TxToken<'link>
        = MemoryTransmitToken<'link>
    where
        Self: 'link;

    fn receive(&mut self, _timestamp: Instant) -> Option<(Self::RxToken<'_>, Self::TxToken<'_>)> {
        let frame = self.inbound.borrow_mut().pop_front()?;
        Some((
            MemoryReceiveToken {
                frame,
                spares: &self.spares,
            },
            MemoryTransmitToken {
                outbound: &self.outbound,
                spares: &self.spares,
            },
        ))
    }

    fn transmit(&mut self, _timestamp: Instant) -> Option<Self::TxToken<'_>> {
        Some(MemoryTransmitToken {
            outbound: &self.outbound,
            spares: &self.spares,
        })
    }

    fn capabilities(&self) -> DeviceCapabilities {
        let mut capabilities = DeviceCapabilities::default();
        capabilities.medium = Medium::Ethernet;
        capabilities.max_transmission_unit = FRAME_LIMIT;
        capabilities
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn a_pair_carries_frames_both_ways_in_order() {
        let (mut left, mut right) = MemoryLink::pair();
        for frame in [[1u8; 3], [2u8; 3]] {
            let token = left.transmit(Instant::ZERO).unwrap();
            token.consume(3, |buffer| buffer.copy_from_slice(&frame));
        }
        assert_eq!(right.pending_inbound(), 2);
        let (token, _) = right.receive(Instant::ZERO).unwrap();
        assert_eq!(token.consume(|frame| frame.to_vec()), [1, 1, 1]);
        right
            .transmit(Instant::ZERO)
            .unwrap()
            .consume(1, |buffer| buffer[0] = 9);
        let (token, _) = left.receive(Instant::ZERO).unwrap();
        assert_eq!(token.consume(|frame| frame.to_vec()), [9]);
        assert!(left.receive(Instant::ZERO).is_none());
    }

    #[test]
    fn a_loose_end_is_driven_by_the_test() {
        let mut link = MemoryLink::new();
        link.inject(&[7, 7]);
        let (token, _) = link.receive(Instant::ZERO).unwrap();
        assert_eq!(token.consume(|frame| frame.len()), 2);
        link.transmit(Instant::ZERO).unwrap().consume(4, |_| ());
        assert_eq!(link.take_transmitted(), [vec![0u8; 4]]);
        assert!(link.take_transmitted().is_empty());
    }
}
