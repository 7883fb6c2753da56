//! Basic data types of the wire: little-endian integers, length-encoded integers and strings.
//!
//! [`Reader`] is a cursor over untrusted bytes: every accessor checks the remaining length and
//! answers [`ProtocolError::Truncated`] instead of panicking. The `put_*` functions append the
//! same types to an outgoing payload.
use alloc::vec::Vec;

use super::error::ProtocolError;

/// The first byte of a length-encoded string that stands for SQL `NULL` in text rows.
pub const NULL_MARKER: u8 = 0xfb;

/// A cursor over a packet payload; `what` names the structure being read, for error messages.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    remaining: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    /// A reader over `bytes`, which hold (part of) the server's `what`.
    pub const fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Reader {
            remaining: bytes,
            what,
        }
    }

    /// The bytes not read yet.
    pub const fn remaining(&self) -> &'a [u8] {
        self.remaining
    }

    /// Whether every byte has been read.
    pub const fn is_empty(&self) -> bool {
        self.remaining.is_empty()
    }

    /// The error for this structure ending early.
    pub const fn truncated(&self) -> ProtocolError {
        ProtocolError::Truncated(self.what)
    }

    /// The error for this structure holding a bad value.
    pub const fn malformed(&self) -> ProtocolError {
        ProtocolError::Malformed(self.what)
    }

    /// The next `count` bytes.
    pub fn bytes(&mut self, count: usize) -> Result<&'a [u8], ProtocolError> {
        if count > self.remaining.len() {
            return Err(self.truncated());
        }
        let (taken, rest) = self.remaining.split_at(count);
        self.remaining = rest;
        Ok(taken)
    }

    /// The next `N` bytes as an array.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], ProtocolError> {
        let mut array = [0u8; N];
        array.copy_from_slice(self.bytes(N)?);
        Ok(array)
    }

    /// Skips `count` bytes.
    pub fn skip(&mut self, count: usize) -> Result<(), ProtocolError> {
        self.bytes(count).map(|_| ())
    }

    /// The next byte, without consuming it.
    pub fn peek(&self) -> Option<u8> {
        self.remaining.first().copied()
    }

    /// A 1-byte integer.
    pub fn u8(&mut self) -> Result<u8, ProtocolError> {
        Ok(self.array::<1>()?[0])
    }

    /// A 2-byte little-endian integer.
    pub fn u16(&mut self) -> Result<u16, ProtocolError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    /// A 3-byte little-endian integer.
    pub fn u24(&mut self) -> Result<u32, ProtocolError> {
        let [low, middle, high] = self.array()?;
        Ok(u32::from_le_bytes([low, middle, high, 0]))
    }

    /// A 4-byte little-endian integer.
    pub fn u32(&mut self) -> Result<u32, ProtocolError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// An 8-byte little-endian integer.
    pub fn u64(&mut self) -> Result<u64, ProtocolError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// A length-encoded integer; `0xfb` (NULL) and `0xff` are malformed here.
    pub fn length_encoded(&mut self) -> Result<u64, ProtocolError> {
        match self.u8()? {
            small @ 0..=0xfa => Ok(u64::from(small)),
            0xfc => self.u16().map(u64::from),
            0xfd => self.u24().map(u64::from),
            0xfe => self.u64(),
            _ => Err(self.malformed()),
        }
    }

    /// A length-encoded string: a length-encoded integer, then that many bytes.
    pub fn length_encoded_bytes(&mut self) -> Result<&'a [u8], ProtocolError> {
        let length = self.length_encoded()?;
        let length = usize::try_from(length).map_err(|_| self.truncated())?;
        self.bytes(length)
    }

    /// A length-encoded string, or `None` for the NULL marker of text rows.
    pub fn nullable_bytes(&mut self) -> Result<Option<&'a [u8]>, ProtocolError> {
        if self.peek() == Some(NULL_MARKER) {
            self.skip(1)?;
            return Ok(None);
        }
        self.length_encoded_bytes().map(Some)
    }

    /// Bytes up to a NUL, which is consumed and not returned.
    pub fn null_terminated(&mut self) -> Result<&'a [u8], ProtocolError> {
        let end = self
            .remaining
            .iter()
            .position(|&byte| byte == 0)
            .ok_or(self.truncated())?;
        let taken = self.bytes(end)?;
        self.skip(1)?;
        Ok(taken)
    }

    /// Every byte not read yet.
    pub fn rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.remaining)
    }
}

/// Appends a 2-byte little-endian integer.
pub fn put_u16(output: &mut Vec<u8>, value: u16) {
    output.extend_from_slice(&value.to_le_bytes());
}

/// Appends a 4-byte little-endian integer.
pub fn put_u32(output: &mut Vec<u8>, value: u32) {
    output.extend_from_slice(&value.to_le_bytes());
}

/// Appends an 8-byte little-endian integer.
pub fn put_u64(output: &mut Vec<u8>, value: u64) {
    output.extend_from_slice(&value.to_le_bytes());
}

/// Appends a length-encoded integer in its shortest form.
pub fn put_length_encoded(output: &mut Vec<u8>, value: u64) {
    if value < 0xfb {
        output.push(value as u8);
    } else if let Ok(small) = u16::try_from(value) {
        output.push(0xfc);
        put_u16(output, small);
    } else if value < 1 << 24 {
        output.push(0xfd);
        output.extend_from_slice(&value.to_le_bytes()[..3]);
    } else {
        output.push(0xfe);
        put_u64(output, value);
    }
}

/// Appends a length-encoded string.
pub fn put_length_encoded_bytes(output: &mut Vec<u8>, bytes: &[u8]) {
    put_length_encoded(output, bytes.len() as u64);
    output.extend_from_slice(bytes);
}

/// Appends bytes and a terminating NUL.
pub fn put_null_terminated(output: &mut Vec<u8>, bytes: &[u8]) {
    output.extend_from_slice(bytes);
    output.push(0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn length_encoded_integers_use_the_documented_prefixes() {
        let cases: [(u64, &[u8]); 6] = [
            (0, &[0x00]),
            (250, &[0xfa]),
            (251, &[0xfc, 0xfb, 0x00]),
            (0xffff, &[0xfc, 0xff, 0xff]),
            (0x10000, &[0xfd, 0x00, 0x00, 0x01]),
            (1 << 24, &[0xfe, 0, 0, 0, 1, 0, 0, 0, 0]),
        ];
        for (value, encoded) in cases {
            let mut output = Vec::new();
            put_length_encoded(&mut output, value);
            assert_eq!(output, encoded, "{value}");
            assert_eq!(Reader::new(encoded, "test").length_encoded(), Ok(value));
        }
    }

    #[test]
    fn null_and_0xff_are_not_integers() {
        assert_eq!(
            Reader::new(&[0xfb], "x").length_encoded(),
            Err(ProtocolError::Malformed("x"))
        );
        assert_eq!(
            Reader::new(&[0xff], "x").length_encoded(),
            Err(ProtocolError::Malformed("x"))
        );
        assert_eq!(Reader::new(&[0xfb], "x").nullable_bytes(), Ok(None));
    }

    #[test]
    fn short_input_is_truncated_not_a_panic() {
        let mut reader = Reader::new(&[0xfe, 1, 2], "OK packet");
        assert_eq!(
            reader.length_encoded(),
            Err(ProtocolError::Truncated("OK packet"))
        );
        let mut reader = Reader::new(&[5, b'a'], "row");
        assert_eq!(
            reader.length_encoded_bytes(),
            Err(ProtocolError::Truncated("row"))
        );
        let mut reader = Reader::new(b"no terminator", "handshake");
        assert!(reader.null_terminated().is_err());
        let mut reader = Reader::new(&[0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "x");
        assert_eq!(
            reader.length_encoded_bytes(),
            Err(ProtocolError::Truncated("x"))
        );
    }

    #[test]
    fn fixed_integers_are_little_endian() {
        let mut reader = Reader::new(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "x");
        assert_eq!(reader.u16(), Ok(0x0201));
        assert_eq!(reader.u24(), Ok(0x050403));
        assert_eq!(reader.u32(), Ok(0x09080706));
        assert_eq!(reader.rest(), &[10]);
        assert!(reader.is_empty());
    }

    proptest! {
        #[test]
        fn length_encoded_strings_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..600), tail in any::<u8>()) {
            let mut output = Vec::new();
            put_length_encoded_bytes(&mut output, &bytes);
            output.push(tail);
            let mut reader = Reader::new(&output, "x");
            prop_assert_eq!(reader.length_encoded_bytes(), Ok(&bytes[..]));
            prop_assert_eq!(reader.rest(), &[tail]);
        }

        #[test]
        fn length_encoded_integers_round_trip(value in any::<u64>()) {
            let mut output = Vec::new();
            put_length_encoded(&mut output, value);
            let mut reader = Reader::new(&output, "x");
            prop_assert_eq!(reader.length_encoded(), Ok(value));
            prop_assert!(reader.is_empty());
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut reader = Reader::new(&bytes, "x");
            let _ = reader.nullable_bytes();
            let _ = reader.null_terminated();
            let _ = reader.length_encoded();
            let _ = reader.u64();
        }
    }
}
