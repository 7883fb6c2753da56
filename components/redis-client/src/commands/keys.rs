//! `DEL`, `EXISTS`, `EXPIRE`, `TTL`.
use sauce_connect::{Read, Write};

use super::{boolean, count, integer, with_items};
use crate::resp::IntegerText;
use crate::{Client, Error};

/// What `TTL` says about a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ttl {
    /// The key does not exist.
    Missing,
    /// The key exists and never expires.
    Persistent,
    /// The key expires in this many seconds.
    Seconds(u64),
}

impl<S: Read + Write> Client<S> {
    /// `DEL key…`: how many keys were removed.
    pub async fn del(&mut self, keys: &[&[u8]]) -> Result<u64, Error> {
        count(self.command(&with_items(b"DEL", None, keys)).await?)
    }

    /// `EXISTS key…`: how many of the keys exist (a key named twice counts twice).
    pub async fn exists(&mut self, keys: &[&[u8]]) -> Result<u64, Error> {
        count(self.command(&with_items(b"EXISTS", None, keys)).await?)
    }

    /// `EXPIRE key seconds`: whether the key exists (and now expires).
    pub async fn expire(&mut self, key: &[u8], seconds: u64) -> Result<bool, Error> {
        let seconds = IntegerText::new(i64::try_from(seconds).unwrap_or(i64::MAX));
        boolean(self.command(&[b"EXPIRE", key, seconds.as_bytes()]).await?)
    }

    /// `TTL key`.
    pub async fn ttl(&mut self, key: &[u8]) -> Result<Ttl, Error> {
        match integer(self.command(&[b"TTL", key]).await?)? {
            -2 => Ok(Ttl::Missing),
            -1 => Ok(Ttl::Persistent),
            seconds => u64::try_from(seconds)
                .map(Ttl::Seconds)
                .map_err(|_| Error::UnexpectedReply("a TTL")),
        }
    }
}
