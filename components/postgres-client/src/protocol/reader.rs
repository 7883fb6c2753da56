//! A checked cursor over untrusted bytes: every read is bounds-checked and fails, never panics.
use super::ProtocolError;

/// Reads big-endian integers, C strings and byte runs from the front of a slice.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    /// What is being read, for error messages.
    context: &'static str,
}

impl<'a> Reader<'a> {
    /// A reader over `bytes`; `context` names the message in errors.
    pub(crate) fn new(bytes: &'a [u8], context: &'static str) -> Self {
        Reader { bytes, context }
    }

    /// The bytes not read yet.
    pub(crate) fn remaining(&self) -> &'a [u8] {
        self.bytes
    }

    /// Takes the next `count` bytes.
    pub(crate) fn take(&mut self, count: usize) -> Result<&'a [u8], ProtocolError> {
        if count > self.bytes.len() {
            return Err(ProtocolError::Truncated(self.context));
        }
        let (taken, rest) = self.bytes.split_at(count);
        self.bytes = rest;
        Ok(taken)
    }

    /// Takes `N` bytes as an array.
    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], ProtocolError> {
        let mut array = [0u8; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    /// Reads one byte.
    pub(crate) fn u8(&mut self) -> Result<u8, ProtocolError> {
        Ok(self.array::<1>()?[0])
    }

    /// Reads a big-endian `i16`.
    pub(crate) fn i16(&mut self) -> Result<i16, ProtocolError> {
        Ok(i16::from_be_bytes(self.array()?))
    }

    /// Reads a big-endian `u16`.
    pub(crate) fn u16(&mut self) -> Result<u16, ProtocolError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    /// Reads a big-endian `i32`.
    pub(crate) fn i32(&mut self) -> Result<i32, ProtocolError> {
        Ok(i32::from_be_bytes(self.array()?))
    }

    /// Reads a big-endian `u32`.
    pub(crate) fn u32(&mut self) -> Result<u32, ProtocolError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// Reads a NUL-terminated string (the NUL is consumed, not returned).
    pub(crate) fn c_bytes(&mut self) -> Result<&'a [u8], ProtocolError> {
        let end = self
            .bytes
            .iter()
            .position(|&byte| byte == 0)
            .ok_or(ProtocolError::Truncated(self.context))?;
        let text = self.take(end)?;
        self.take(1)?;
        Ok(text)
    }

    /// Reads a NUL-terminated UTF-8 string.
    pub(crate) fn c_str(&mut self) -> Result<&'a str, ProtocolError> {
        core::str::from_utf8(self.c_bytes()?).map_err(|_| ProtocolError::NotUtf8(self.context))
    }

    /// Fails unless everything was read.
    pub(crate) fn finish(&self) -> Result<(), ProtocolError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(ProtocolError::TrailingBytes(self.context))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_integers_and_strings_in_order() {
        let mut reader = Reader::new(b"\x00\x01\xff\xff\xff\xfeabc\0z", "test");
        assert_eq!(reader.i16().unwrap(), 1);
        assert_eq!(reader.i32().unwrap(), -2);
        assert_eq!(reader.c_str().unwrap(), "abc");
        assert_eq!(reader.remaining(), b"z");
        assert_eq!(reader.finish(), Err(ProtocolError::TrailingBytes("test")));
        assert_eq!(reader.u8().unwrap(), b'z');
        assert!(reader.remaining().is_empty());
    }

    #[test]
    fn short_input_is_an_error_not_a_panic() {
        let mut reader = Reader::new(b"\x00", "test");
        assert_eq!(reader.i32(), Err(ProtocolError::Truncated("test")));
        let mut reader = Reader::new(b"no terminator", "test");
        assert_eq!(reader.c_str(), Err(ProtocolError::Truncated("test")));
        let mut reader = Reader::new(b"\xff\0", "test");
        assert_eq!(reader.c_str(), Err(ProtocolError::NotUtf8("test")));
    }
}
