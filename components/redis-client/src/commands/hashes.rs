//! `HGET`, `HSET`, `HGETALL`, `HDEL`.
use alloc::vec::Vec;

use sauce_connect::{Read, Write};

use super::{byte_strings, count, optional_bytes, with_items};
use crate::{Client, Error};

impl<S: Read + Write> Client<S> {
    /// `HGET key field`.
    pub async fn hget(&mut self, key: &[u8], field: &[u8]) -> Result<Option<Vec<u8>>, Error> {
        optional_bytes(self.command(&[b"HGET", key, field]).await?)
    }

    /// `HSET key field value…`: how many fields were added (not counting updated ones).
    pub async fn hset(&mut self, key: &[u8], pairs: &[(&[u8], &[u8])]) -> Result<u64, Error> {
        let mut arguments: Vec<&[u8]> = Vec::with_capacity(2 + pairs.len() * 2);
        arguments.extend([&b"HSET"[..], key]);
        for (field, value) in pairs {
            arguments.extend([*field, *value]);
        }
        count(self.command(&arguments).await?)
    }

    /// `HGETALL key`: the fields and values (a map in RESP3, a flat array in RESP2).
    pub async fn hgetall(&mut self, key: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>, Error> {
        let flat = byte_strings(self.command(&[b"HGETALL", key]).await?)?;
        if flat.len() % 2 != 0 {
            return Err(Error::UnexpectedReply("field-value pairs"));
        }
        let mut pairs = Vec::with_capacity(flat.len() / 2);
        let mut items = flat.into_iter();
        while let (Some(field), Some(value)) = (items.next(), items.next()) {
            pairs.push((field, value));
        }
        Ok(pairs)
    }

    /// `HDEL key field…`: how many fields were removed.
    pub async fn hdel(&mut self, key: &[u8], fields: &[&[u8]]) -> Result<u64, Error> {
        count(
            self.command(&with_items(b"HDEL", Some(key), fields))
                .await?,
        )
    }
}
