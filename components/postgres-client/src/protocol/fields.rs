//! The fields of `ErrorResponse` and `NoticeResponse`: one-byte codes with C-string values.
use super::{ProtocolError, Reader};

/// Validated error or notice fields, borrowing the message body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fields<'a> {
    body: &'a [u8],
}

impl<'a> Fields<'a> {
    /// Reads and validates the fields up to their terminating zero byte.
    pub(crate) fn parse(reader: &mut Reader<'a>) -> Result<Self, ProtocolError> {
        let body = reader.remaining();
        loop {
            if reader.u8()? == 0 {
                return Ok(Fields { body });
            }
            reader.c_bytes()?;
        }
    }

    /// The fields as `(code, value)` pairs; values are bytes because a server may report early
    /// errors in its own encoding.
    pub fn iter(&self) -> impl Iterator<Item = (u8, &'a [u8])> + 'a {
        let mut reader = Reader::new(self.body, "error fields");
        core::iter::from_fn(move || {
            let code = reader.u8().ok().filter(|&code| code != 0)?;
            reader.c_bytes().ok().map(|value| (code, value))
        })
    }

    /// The value of the field with `code` (`b'C'` for the SQLSTATE, `b'M'` for the message).
    pub fn get(&self, code: u8) -> Option<&'a [u8]> {
        self.iter()
            .find(|&(found, _)| found == code)
            .map(|(_, value)| value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_until_the_terminator() {
        let body = b"SERROR\0C23505\0Mduplicate key\0\0";
        let mut reader = Reader::new(body, "error fields");
        let fields = Fields::parse(&mut reader).unwrap();
        assert!(reader.remaining().is_empty());
        assert_eq!(fields.get(b'C'), Some(&b"23505"[..]));
        assert_eq!(fields.get(b'M'), Some(&b"duplicate key"[..]));
        assert_eq!(fields.get(b'D'), None);
        assert_eq!(fields.iter().count(), 3);
    }

    #[test]
    fn unterminated_fields_are_an_error() {
        for body in [&b"SERROR\0"[..], b"SERR", b""] {
            let mut reader = Reader::new(body, "error fields");
            assert!(Fields::parse(&mut reader).is_err(), "{body:?}");
        }
    }
}
