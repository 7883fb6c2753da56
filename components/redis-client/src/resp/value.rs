//! A decoded reply.
use alloc::string::String;
use alloc::vec::Vec;

/// One RESP2 or RESP3 reply.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `_`, or RESP2's `$-1` and `*-1`.
    Nil,
    /// `+`: a status such as `OK`.
    Status(String),
    /// `-` or `!`: an error reply, code first (`WRONGTYPE Operation against …`).
    Error(String),
    /// `:`
    Integer(i64),
    /// `$`: bytes.
    Bulk(Vec<u8>),
    /// `*`
    Array(Vec<Value>),
    /// `%` (RESP3): key–value pairs in the server's order.
    Map(Vec<(Value, Value)>),
    /// `~` (RESP3)
    Set(Vec<Value>),
    /// `,` (RESP3)
    Double(f64),
    /// `#` (RESP3)
    Boolean(bool),
    /// `(` (RESP3): the digits of an integer of any size.
    BigNumber(String),
    /// `=` (RESP3): text with a three-letter format (`txt`, `mkd`).
    Verbatim {
        /// The format, such as `txt`.
        format: String,
        /// The text.
        text: Vec<u8>,
    },
    /// `>` (RESP3): an out-of-band message (invalidation, pub/sub), not a reply.
    Push(Vec<Value>),
}

impl Value {
    /// The elements of an array, set or push, or the keys and values of a map, flattened
    /// (`HGETALL` is a flat array in RESP2 and a map in RESP3).
    pub fn into_elements(self) -> Option<Vec<Value>> {
        match self {
            Value::Array(elements) | Value::Set(elements) | Value::Push(elements) => Some(elements),
            Value::Map(pairs) => Some(
                pairs
                    .into_iter()
                    .flat_map(|(key, value)| [key, value])
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The bytes of a bulk, status or verbatim string.
    pub fn into_bytes(self) -> Option<Vec<u8>> {
        match self {
            Value::Bulk(bytes) => Some(bytes),
            Value::Status(text) => Some(text.into_bytes()),
            Value::Verbatim { text, .. } => Some(text),
            _ => None,
        }
    }
}
