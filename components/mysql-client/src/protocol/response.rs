//! Generic replies: OK, ERR and EOF packets, and telling them apart from rows.
use alloc::string::String;

use super::error::ProtocolError;
use super::wire::Reader;

/// First byte of an OK packet.
pub const OK: u8 = 0x00;
/// First byte of an EOF packet (and of an OK packet that ends a result set under
/// `CLIENT_DEPRECATE_EOF`, and of an auth-switch request).
pub const EOF: u8 = 0xfe;
/// First byte of an ERR packet.
pub const ERR: u8 = 0xff;

/// A decoded OK packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OkPacket<'a> {
    /// Rows changed (or matched) by the statement.
    pub affected_rows: u64,
    /// The `AUTO_INCREMENT` value the statement generated, or 0.
    pub last_insert_id: u64,
    /// Server status flags (`capabilities::STATUS_*`).
    pub status: u16,
    /// How many warnings the statement raised.
    pub warnings: u16,
    /// Human-readable information (`Rows matched: 1  Changed: 1  Warnings: 0`).
    pub info: &'a [u8],
}

/// Decodes an OK packet (first byte `0x00`, or `0xfe` where it ends a result set).
pub fn decode_ok(payload: &[u8]) -> Result<OkPacket<'_>, ProtocolError> {
    let mut reader = Reader::new(payload, "OK packet");
    let header = reader.u8()?;
    if header != OK && header != EOF {
        return Err(ProtocolError::Unexpected {
            waiting_for: "an OK packet",
            byte: header,
        });
    }
    Ok(OkPacket {
        affected_rows: reader.length_encoded()?,
        last_insert_id: reader.length_encoded()?,
        status: reader.u16()?,
        warnings: reader.u16()?,
        info: reader.rest(),
    })
}

/// A decoded EOF packet (protocol 4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EofPacket {
    /// How many warnings the statement raised.
    pub warnings: u16,
    /// Server status flags.
    pub status: u16,
}

/// Decodes an EOF packet.
pub fn decode_eof(payload: &[u8]) -> Result<EofPacket, ProtocolError> {
    let mut reader = Reader::new(payload, "EOF packet");
    let header = reader.u8()?;
    if header != EOF || payload.len() >= 9 {
        return Err(ProtocolError::Unexpected {
            waiting_for: "an EOF packet",
            byte: header,
        });
    }
    Ok(EofPacket {
        warnings: reader.u16()?,
        status: reader.u16()?,
    })
}

/// Whether `payload`, read where a row may be, ends the result set instead: an EOF packet
/// (shorter than 9 bytes), or under `CLIENT_DEPRECATE_EOF` an OK packet with the `0xfe`
/// header (a text row can start with `0xfe` only if its first value is 16 MiB or longer).
pub fn ends_rows(payload: &[u8], deprecate_eof: bool) -> bool {
    match payload.first() {
        Some(&EOF) if deprecate_eof => payload.len() < super::framing::MAX_FRAGMENT,
        Some(&EOF) => payload.len() < 9,
        _ => false,
    }
}

/// The status flags and warnings of a result set's terminator, whichever form it has.
pub fn decode_terminator(payload: &[u8], deprecate_eof: bool) -> Result<(u16, u16), ProtocolError> {
    if deprecate_eof {
        decode_ok(payload).map(|ok| (ok.status, ok.warnings))
    } else {
        decode_eof(payload).map(|eof| (eof.status, eof.warnings))
    }
}

/// An error the server reported: its code, SQLSTATE and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerError {
    /// The server's error number (1062 is a duplicate key).
    pub code: u16,
    /// The five-character SQLSTATE (`23000`), `HY000` when the server sent none.
    pub sql_state: String,
    /// The server's message.
    pub message: String,
}

impl core::fmt::Display for ServerError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            formatter,
            "server error {} ({}): {}",
            self.code, self.sql_state, self.message
        )
    }
}

/// Decodes an ERR packet. The SQLSTATE marker is optional: a server refusing a connection
/// before the handshake (too many connections, host blocked) sends none.
pub fn decode_err(payload: &[u8]) -> Result<ServerError, ProtocolError> {
    let mut reader = Reader::new(payload, "ERR packet");
    let header = reader.u8()?;
    if header != ERR {
        return Err(ProtocolError::Unexpected {
            waiting_for: "an ERR packet",
            byte: header,
        });
    }
    let code = reader.u16()?;
    let sql_state = if reader.peek() == Some(b'#') {
        reader.skip(1)?;
        let state = reader.bytes(5)?;
        if !state.iter().all(u8::is_ascii_alphanumeric) {
            return Err(reader.malformed());
        }
        String::from_utf8_lossy(state).into_owned()
    } else {
        String::from("HY000")
    };
    Ok(ServerError {
        code,
        sql_state,
        message: String::from_utf8_lossy(reader.rest()).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use proptest::prelude::*;

    #[test]
    fn an_ok_packet_carries_counts_status_and_info() {
        let payload = b"\x00\x02\xfc\x00\x01\x03\x00\x01\x00Rows matched: 2";
        let ok = decode_ok(payload).unwrap();
        assert_eq!(ok.affected_rows, 2);
        assert_eq!(ok.last_insert_id, 256);
        assert_eq!(ok.status, 3);
        assert_eq!(ok.warnings, 1);
        assert_eq!(ok.info, b"Rows matched: 2");
        assert_eq!(
            decode_ok(b"\x00\x00\x00\x02"),
            Err(ProtocolError::Truncated("OK packet"))
        );
    }

    #[test]
    fn an_err_packet_keeps_code_state_and_message() {
        let payload = b"\xff\x26\x04#23000Duplicate entry '1' for key 'PRIMARY'";
        let error = decode_err(payload).unwrap();
        assert_eq!(error.code, 1062);
        assert_eq!(error.sql_state, "23000");
        assert_eq!(error.message, "Duplicate entry '1' for key 'PRIMARY'");
        assert_eq!(
            error.to_string(),
            "server error 1062 (23000): Duplicate entry '1' for key 'PRIMARY'"
        );
        let early = decode_err(b"\xff\x10\x04Too many connections").unwrap();
        assert_eq!(early.code, 1040);
        assert_eq!(early.sql_state, "HY000");
        assert_eq!(early.message, "Too many connections");
        assert!(decode_err(b"\xff\x10\x04#2\x00\x00\x00\x00").is_err());
    }

    #[test]
    fn terminators_are_told_apart_from_rows() {
        assert!(ends_rows(b"\xfe\x00\x00\x02\x00", false));
        assert!(!ends_rows(
            b"\xfe\x00\x00\x00\x00\x00\x00\x00\x00\x00",
            false
        ));
        assert!(ends_rows(b"\xfe\x00\x00\x02\x00\x00\x00", true));
        assert!(!ends_rows(b"\x03abc", true));
        assert_eq!(
            decode_terminator(b"\xfe\x01\x00\x22\x00", false),
            Ok((0x22, 1))
        );
        assert_eq!(
            decode_terminator(b"\xfe\x00\x00\x22\x00\x01\x00", true),
            Ok((0x22, 1))
        );
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..48)) {
            let _ = decode_ok(&bytes);
            let _ = decode_eof(&bytes);
            let _ = decode_err(&bytes);
            let _ = decode_terminator(&bytes, true);
            let _ = decode_terminator(&bytes, false);
        }
    }
}
