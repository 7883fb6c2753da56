//! The common commands as typed methods of [`crate::Client`]: strings, keys, hashes, lists
//! and sets. Keys, fields and values are bytes (`b"hits"`, `text.as_bytes()`).
mod hashes;
mod keys;
mod lists;
mod sets;
mod strings;

use alloc::vec::Vec;

use crate::resp::Value;
use crate::Error;
pub use keys::Ttl;
pub use strings::{Expiry, SetCondition, SetOptions};

/// An integer reply.
fn integer(value: Value) -> Result<i64, Error> {
    match value {
        Value::Integer(number) => Ok(number),
        _ => Err(Error::UnexpectedReply("an integer")),
    }
}

/// A non-negative integer reply (a count).
fn count(value: Value) -> Result<u64, Error> {
    u64::try_from(integer(value)?).map_err(|_| Error::UnexpectedReply("a count"))
}

/// A 0/1 integer reply (or a RESP3 boolean).
fn boolean(value: Value) -> Result<bool, Error> {
    match value {
        Value::Integer(0) | Value::Boolean(false) => Ok(false),
        Value::Integer(1) | Value::Boolean(true) => Ok(true),
        _ => Err(Error::UnexpectedReply("0 or 1")),
    }
}

/// A bulk string or nil.
fn optional_bytes(value: Value) -> Result<Option<Vec<u8>>, Error> {
    match value {
        Value::Nil => Ok(None),
        value => value
            .into_bytes()
            .map(Some)
            .ok_or(Error::UnexpectedReply("a string or nil")),
    }
}

/// An array (or set) of strings.
fn byte_strings(value: Value) -> Result<Vec<Vec<u8>>, Error> {
    let elements = match value {
        Value::Nil => Vec::new(),
        value => value
            .into_elements()
            .ok_or(Error::UnexpectedReply("an array of strings"))?,
    };
    elements
        .into_iter()
        .map(|element| {
            element
                .into_bytes()
                .ok_or(Error::UnexpectedReply("a string"))
        })
        .collect()
}

/// The command name followed by every item of `items`.
fn with_items<'a>(name: &'a [u8], key: Option<&'a [u8]>, items: &[&'a [u8]]) -> Vec<&'a [u8]> {
    let mut arguments = Vec::with_capacity(items.len() + 2);
    arguments.push(name);
    arguments.extend(key);
    arguments.extend_from_slice(items);
    arguments
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn replies_convert_or_say_what_was_expected() {
        assert_eq!(integer(Value::Integer(-3)).unwrap(), -3);
        assert!(matches!(
            count(Value::Integer(-3)),
            Err(Error::UnexpectedReply(_))
        ));
        assert!(boolean(Value::Integer(1)).unwrap());
        assert!(!boolean(Value::Boolean(false)).unwrap());
        assert!(boolean(Value::Integer(2)).is_err());
        assert_eq!(optional_bytes(Value::Nil).unwrap(), None);
        assert_eq!(optional_bytes(Value::Bulk(vec![1])).unwrap(), Some(vec![1]));
        assert!(optional_bytes(Value::Integer(1)).is_err());
        let set = Value::Set(vec![Value::Bulk(vec![b'a']), Value::Status("b".into())]);
        assert_eq!(byte_strings(set).unwrap(), [b"a".to_vec(), b"b".to_vec()]);
        assert!(byte_strings(Value::Array(vec![Value::Integer(1)])).is_err());
    }
}
