//! `SADD`, `SREM`, `SMEMBERS`, `SISMEMBER`.
use alloc::vec::Vec;

use sauce_connect::{Read, Write};

use super::{boolean, byte_strings, count, with_items};
use crate::{Client, Error};

impl<S: Read + Write> Client<S> {
    /// `SADD key member…`: how many members were added.
    pub async fn sadd(&mut self, key: &[u8], members: &[&[u8]]) -> Result<u64, Error> {
        count(
            self.command(&with_items(b"SADD", Some(key), members))
                .await?,
        )
    }

    /// `SREM key member…`: how many members were removed.
    pub async fn srem(&mut self, key: &[u8], members: &[&[u8]]) -> Result<u64, Error> {
        count(
            self.command(&with_items(b"SREM", Some(key), members))
                .await?,
        )
    }

    /// `SMEMBERS key` (a set in RESP3, an array in RESP2; in no particular order).
    pub async fn smembers(&mut self, key: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
        byte_strings(self.command(&[b"SMEMBERS", key]).await?)
    }

    /// `SISMEMBER key member`.
    pub async fn sismember(&mut self, key: &[u8], member: &[u8]) -> Result<bool, Error> {
        boolean(self.command(&[b"SISMEMBER", key, member]).await?)
    }
}
