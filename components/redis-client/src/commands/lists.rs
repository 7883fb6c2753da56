//! `LPUSH`, `RPUSH`, `LRANGE`, `LPOP`.
use alloc::vec::Vec;

use sauce_connect::{Read, Write};

use super::{byte_strings, count, optional_bytes, with_items};
use crate::resp::IntegerText;
use crate::{Client, Error};

impl<S: Read + Write> Client<S> {
    /// `LPUSH key value…`: the list's new length.
    pub async fn lpush(&mut self, key: &[u8], values: &[&[u8]]) -> Result<u64, Error> {
        count(
            self.command(&with_items(b"LPUSH", Some(key), values))
                .await?,
        )
    }

    /// `RPUSH key value…`: the list's new length.
    pub async fn rpush(&mut self, key: &[u8], values: &[&[u8]]) -> Result<u64, Error> {
        count(
            self.command(&with_items(b"RPUSH", Some(key), values))
                .await?,
        )
    }

    /// `LRANGE key start stop` (inclusive; negative indexes count from the end).
    pub async fn lrange(
        &mut self,
        key: &[u8],
        start: i64,
        stop: i64,
    ) -> Result<Vec<Vec<u8>>, Error> {
        let (start, stop) = (IntegerText::new(start), IntegerText::new(stop));
        byte_strings(
            self.command(&[b"LRANGE", key, start.as_bytes(), stop.as_bytes()])
                .await?,
        )
    }

    /// `LPOP key`: the first element, or `None` if the list is empty.
    pub async fn lpop(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
        optional_bytes(self.command(&[b"LPOP", key]).await?)
    }
}
