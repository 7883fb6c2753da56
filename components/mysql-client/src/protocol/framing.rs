//! Packets: a 3-byte length, a sequence id, the payload; payloads of 16 MiB − 1 and more are
//! split into fragments that continue until one shorter than 16 MiB − 1 (possibly empty).
//!
//! [`decode_frame`] finds one whole packet (all its fragments) at the start of a buffer without
//! copying; [`Frame::payload`] returns its payload, joining fragments into a scratch vector
//! only when there are several. [`encode_packet`] does the reverse.
use alloc::vec::Vec;

use super::error::ProtocolError;

/// The largest payload one fragment carries; a fragment of this length is continued.
pub const MAX_FRAGMENT: usize = 0xff_ffff;

/// Bytes of a packet header.
pub const HEADER_LENGTH: usize = 4;

/// One whole packet found at the start of a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    /// Bytes of the buffer the packet occupies, headers included.
    pub consumed: usize,
    /// Bytes of payload across all fragments.
    pub payload_length: usize,
    /// How many fragments (headers) the packet has.
    pub fragments: usize,
    /// The sequence id the next packet of the exchange carries.
    pub next_sequence: u8,
}

/// What [`decode_frame`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoded {
    /// A whole packet.
    Frame(Frame),
    /// The buffer holds only part of a packet; at least `needed` bytes in all are required.
    Incomplete {
        /// The buffer length at which decoding can make progress.
        needed: usize,
    },
}

/// Finds the packet at the start of `buffer`, which must carry sequence id `sequence`, and whose
/// payload may be at most `max_payload` bytes.
pub fn decode_frame(
    buffer: &[u8],
    sequence: u8,
    max_payload: usize,
) -> Result<Decoded, ProtocolError> {
    let mut offset = 0usize;
    let mut payload_length = 0usize;
    let mut expected = sequence;
    let mut fragments = 0usize;
    loop {
        let header_end = offset + HEADER_LENGTH;
        let Some(header) = buffer.get(offset..header_end) else {
            return Ok(Decoded::Incomplete { needed: header_end });
        };
        let length =
            usize::from(header[0]) | usize::from(header[1]) << 8 | usize::from(header[2]) << 16;
        let got = header[3];
        if got != expected {
            return Err(ProtocolError::OutOfOrder { expected, got });
        }
        expected = expected.wrapping_add(1);
        payload_length += length;
        if payload_length > max_payload {
            return Err(ProtocolError::TooLarge {
                what: "packet",
                limit: max_payload,
            });
        }
        let end = header_end + length;
        if buffer.len() < end {
            return Ok(Decoded::Incomplete { needed: end });
        }
        offset = end;
        fragments += 1;
        if length < MAX_FRAGMENT {
            return Ok(Decoded::Frame(Frame {
                consumed: offset,
                payload_length,
                fragments,
                next_sequence: expected,
            }));
        }
    }
}

impl Frame {
    /// The payload of this frame, found at the start of `buffer` by [`decode_frame`]: a view
    /// into `buffer` for one fragment, the fragments joined in `scratch` otherwise.
    pub fn payload<'a>(&self, buffer: &'a [u8], scratch: &'a mut Vec<u8>) -> &'a [u8] {
        let whole = buffer.get(..self.consumed).unwrap_or(&[]);
        if self.fragments <= 1 {
            return whole.get(HEADER_LENGTH..).unwrap_or(&[]);
        }
        scratch.clear();
        scratch.reserve(self.payload_length);
        let mut rest = whole;
        while let Some((header, after)) = rest.split_first_chunk::<HEADER_LENGTH>() {
            let length =
                usize::from(header[0]) | usize::from(header[1]) << 8 | usize::from(header[2]) << 16;
            let (fragment, next) = after.split_at(length.min(after.len()));
            scratch.extend_from_slice(fragment);
            rest = next;
        }
        scratch
    }
}

/// Appends `payload` as a packet starting at sequence id `sequence`, split into fragments as
/// needed; returns the sequence id of the next packet.
pub fn encode_packet(payload: &[u8], sequence: u8, output: &mut Vec<u8>) -> u8 {
    let mut sequence = sequence;
    let mut rest = payload;
    loop {
        let length = rest.len().min(MAX_FRAGMENT);
        let (fragment, after) = rest.split_at(length);
        output.extend_from_slice(&(length as u32).to_le_bytes()[..3]);
        output.push(sequence);
        output.extend_from_slice(fragment);
        sequence = sequence.wrapping_add(1);
        rest = after;
        if length < MAX_FRAGMENT {
            return sequence;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_small_packet_is_one_fragment() {
        let mut output = Vec::new();
        assert_eq!(encode_packet(b"\x0e", 0, &mut output), 1);
        assert_eq!(output, [1, 0, 0, 0, 0x0e]);
        let Decoded::Frame(frame) = decode_frame(&output, 0, 16).unwrap() else {
            panic!("incomplete");
        };
        assert_eq!(frame.consumed, 5);
        assert_eq!(frame.next_sequence, 1);
        let mut scratch = Vec::new();
        assert_eq!(frame.payload(&output, &mut scratch), b"\x0e");
    }

    #[test]
    fn a_payload_of_exactly_one_fragment_ends_with_an_empty_packet() {
        let payload = vec![7u8; MAX_FRAGMENT];
        let mut output = Vec::new();
        assert_eq!(encode_packet(&payload, 3, &mut output), 5);
        assert_eq!(output.len(), MAX_FRAGMENT + 2 * HEADER_LENGTH);
        assert_eq!(&output[MAX_FRAGMENT + 4..], [0, 0, 0, 4]);
        let Decoded::Frame(frame) = decode_frame(&output, 3, MAX_FRAGMENT).unwrap() else {
            panic!("incomplete");
        };
        assert_eq!(frame.fragments, 2);
        let mut scratch = Vec::new();
        assert_eq!(frame.payload(&output, &mut scratch), &payload[..]);
    }

    #[test]
    fn a_larger_payload_continues_over_fragments() {
        let payload: Vec<u8> = (0..MAX_FRAGMENT + 10).map(|index| index as u8).collect();
        let mut output = Vec::new();
        assert_eq!(encode_packet(&payload, 255, &mut output), 1);
        assert_eq!(
            decode_frame(&output[..100], 255, usize::MAX),
            Ok(Decoded::Incomplete {
                needed: MAX_FRAGMENT + 4
            })
        );
        let Decoded::Frame(frame) = decode_frame(&output, 255, usize::MAX).unwrap() else {
            panic!("incomplete");
        };
        assert_eq!(frame.payload_length, payload.len());
        let mut scratch = Vec::new();
        assert_eq!(frame.payload(&output, &mut scratch), &payload[..]);
    }

    #[test]
    fn out_of_order_and_oversized_packets_are_errors() {
        assert_eq!(
            decode_frame(&[0, 0, 0, 9], 1, 16),
            Err(ProtocolError::OutOfOrder {
                expected: 1,
                got: 9
            })
        );
        assert_eq!(
            decode_frame(&[17, 0, 0, 0], 0, 16),
            Err(ProtocolError::TooLarge {
                what: "packet",
                limit: 16
            })
        );
        assert_eq!(
            decode_frame(&[3, 0], 0, 16),
            Ok(Decoded::Incomplete { needed: 4 })
        );
        assert_eq!(
            decode_frame(&[3, 0, 0, 0, 1], 0, 16),
            Ok(Decoded::Incomplete { needed: 7 })
        );
    }

    proptest! {
        #[test]
        fn packets_round_trip_through_any_prefix(payload in proptest::collection::vec(any::<u8>(), 0..300), sequence in any::<u8>(), cut in 0usize..400) {
            let mut output = Vec::new();
            let next = encode_packet(&payload, sequence, &mut output);
            let cut = cut.min(output.len());
            match decode_frame(&output[..cut], sequence, 1024).unwrap() {
                Decoded::Incomplete { needed } => prop_assert!(needed > cut && needed <= output.len()),
                Decoded::Frame(frame) => {
                    prop_assert_eq!(cut, output.len());
                    prop_assert_eq!(frame.next_sequence, next);
                    let mut scratch = Vec::new();
                    prop_assert_eq!(frame.payload(&output, &mut scratch), &payload[..]);
                }
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64), sequence in any::<u8>(), limit in 0usize..100) {
            if let Ok(Decoded::Frame(frame)) = decode_frame(&bytes, sequence, limit) {
                prop_assert!(frame.consumed <= bytes.len());
                prop_assert!(frame.payload_length <= limit);
                let mut scratch = Vec::new();
                prop_assert_eq!(frame.payload(&bytes, &mut scratch).len(), frame.payload_length);
            }
        }
    }
}
