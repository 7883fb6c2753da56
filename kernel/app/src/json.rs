//! JSON output for responses: serde's data model written as `serde_json` writes it, byte for
//! byte, at a fraction of the guest instructions.
//!
//! # Why our own writer
//! `serde_json` (no_std) writes into a `Vec<u8>` through its own `io::Write`, one
//! `extend_from_slice` call per piece: `{`, `"`, a key, `"`, `:`… — about twenty calls (each a
//! capacity check and a `memcpy` call) for a three-field object. Its serializer type is private
//! in no_std builds, so no faster writer can be plugged in. This module writes short pieces
//! byte by byte into the reserved buffer and copies only long runs; measured on
//! `GET /todos/1` (SPECIFICATION H1, `bench/src/bin/request_instructions.rs`), it saves about a
//! thousand guest instructions per response. Reading JSON stays with `serde_json`.
//!
//! # Rules
//! 1. The output equals `serde_json::to_vec`'s for every value (tested against it, property
//!    tests over `serde_json::Value` and typed values of every serde shape).
//! 2. Strings escape `"`, `\` and the control characters (`\b \t \n \f \r`, else `\u00xx`,
//!    lowercase); nothing else (`/`, DEL and non-ASCII are written as they are).
//! 3. Integers are decimal (`itoa`), finite floats are `zmij`'s shortest form (as
//!    `serde_json` 1.0.15x), non-finite floats are `null`; bytes are an array of numbers.
//! 4. Map keys are strings: strings and chars as they are; integers, booleans and finite floats
//!    quoted; a unit variant by its name; anything else is an error ("key must be a string").
//! 5. Enums are externally tagged: `"Unit"`, `{"Newtype":…}`, `{"Tuple":[…]}`,
//!    `{"Struct":{…}}`; `None` and `()` are `null`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::ser::{self, Serialize};

mod key;
mod serializer;
#[cfg(test)]
mod tests;

use serializer::Serializer;

/// `value` as JSON (see the module's rules).
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Todo { id: u64, title: &'static str, done: bool }
///
/// let json = sauce_app::json::to_vec(&Todo { id: 1, title: "milk \"2%\"", done: false }).unwrap();
/// assert_eq!(json, br#"{"id":1,"title":"milk \"2%\"","done":false}"#);
/// ```
///
/// # Errors
/// A map key that is not a string (rule 4), or an error the value's `Serialize` reports.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    let mut output = Vec::with_capacity(128);
    value.serialize(Serializer {
        output: &mut output,
    })?;
    Ok(output)
}

/// Why a value could not be written as JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl Error {
    fn key_must_be_a_string() -> Error {
        Error {
            message: "key must be a string".into(),
        }
    }

    fn float_key_must_be_finite() -> Error {
        Error {
            message: "float key must be finite (got NaN or +/-inf)".into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl core::error::Error for Error {}

impl ser::Error for Error {
    fn custom<M: fmt::Display>(message: M) -> Error {
        Error {
            message: message.to_string(),
        }
    }
}

/// Appends `bytes`: short pieces byte by byte (no call), long ones with one copy.
#[inline]
fn put(output: &mut Vec<u8>, bytes: &[u8]) {
    if bytes.len() <= 16 {
        output.reserve(bytes.len());
        for byte in bytes {
            output.push(*byte);
        }
    } else {
        output.extend_from_slice(bytes);
    }
}

/// What a byte becomes inside a JSON string: 0 for itself, else the letter after `\`
/// (`u` for `\u00xx`).
const fn escape_of(byte: u8) -> u8 {
    match byte {
        0x08 => b'b',
        0x09 => b't',
        0x0A => b'n',
        0x0C => b'f',
        0x0D => b'r',
        b'"' => b'"',
        b'\\' => b'\\',
        0x00..=0x1F => b'u',
        _ => 0,
    }
}

/// The escape letter of every byte (rule 2).
static ESCAPES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = escape_of(byte as u8);
        byte += 1;
    }
    table
};

/// `text` as a JSON string, quotes included: one pass that copies bytes as long as none
/// needs escaping (keys and most values), then the escaping loop for the rest.
fn put_string(output: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    output.reserve(bytes.len() + 2);
    output.push(b'"');
    for (index, byte) in bytes.iter().enumerate() {
        if ESCAPES[usize::from(*byte)] != 0 {
            put_escaped(output, bytes.get(index..).unwrap_or_default());
            break;
        }
        output.push(*byte);
    }
    output.push(b'"');
}

/// The rest of a string from its first byte that needs escaping: runs of plain bytes copied,
/// escapes written (rule 2). Out of line: most strings have nothing to escape, and the plain
/// loop in [`put_string`] stays small.
#[cold]
#[inline(never)]
fn put_escaped(output: &mut Vec<u8>, bytes: &[u8]) {
    let mut run_start = 0;
    for (index, byte) in bytes.iter().enumerate() {
        let escape = ESCAPES[usize::from(*byte)];
        if escape == 0 {
            continue;
        }
        put(output, bytes.get(run_start..index).unwrap_or_default());
        run_start = index + 1;
        if escape == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            put(
                output,
                &[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(*byte >> 4)],
                    HEX[usize::from(*byte & 0x0F)],
                ],
            );
        } else {
            put(output, &[b'\\', escape]);
        }
    }
    put(output, bytes.get(run_start..).unwrap_or_default());
}

/// An integer in decimal.
fn put_integer<I: itoa::Integer>(output: &mut Vec<u8>, value: I) {
    let mut buffer = itoa::Buffer::new();
    put(output, buffer.format(value).as_bytes());
}
