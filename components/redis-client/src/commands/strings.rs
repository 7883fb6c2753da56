//! `GET`, `SET` (with `EX`/`PX`/`KEEPTTL`, `NX`/`XX`), `INCR`, `INCRBY`.
use alloc::vec::Vec;

use sauce_connect::{Read, Write};

use super::{integer, optional_bytes};
use crate::resp::{IntegerText, Value};
use crate::{Client, Error};

/// When a key set by `SET` expires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// `EX seconds`
    Seconds(u64),
    /// `PX milliseconds`
    Milliseconds(u64),
    /// `KEEPTTL`: keep the key's current expiry.
    KeepTtl,
}

/// Whether `SET` applies only to a missing or only to an existing key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetCondition {
    /// `NX`: only if the key does not exist.
    IfAbsent,
    /// `XX`: only if the key exists.
    IfPresent,
}

/// Options of `SET`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SetOptions {
    /// When the key expires (never, by default).
    pub expiry: Option<Expiry>,
    /// A condition on the key's existence.
    pub condition: Option<SetCondition>,
}

impl<S: Read + Write> Client<S> {
    /// `GET key`: the value, or `None` if the key does not exist.
    pub async fn get(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
        optional_bytes(self.command(&[b"GET", key]).await?)
    }

    /// `SET key value`.
    pub async fn set(&mut self, key: &[u8], value: &[u8]) -> Result<(), Error> {
        self.set_with(key, value, SetOptions::default())
            .await
            .map(|_| ())
    }

    /// `SET key value [EX|PX|KEEPTTL] [NX|XX]`: whether the value was set (false when the
    /// condition did not hold).
    pub async fn set_with(
        &mut self,
        key: &[u8],
        value: &[u8],
        options: SetOptions,
    ) -> Result<bool, Error> {
        let mut arguments: Vec<&[u8]> = alloc::vec![b"SET", key, value];
        let amount;
        match options.expiry {
            Some(Expiry::Seconds(seconds)) => {
                amount = IntegerText::new(i64::try_from(seconds).unwrap_or(i64::MAX));
                arguments.extend([&b"EX"[..], amount.as_bytes()]);
            }
            Some(Expiry::Milliseconds(milliseconds)) => {
                amount = IntegerText::new(i64::try_from(milliseconds).unwrap_or(i64::MAX));
                arguments.extend([&b"PX"[..], amount.as_bytes()]);
            }
            Some(Expiry::KeepTtl) => arguments.push(b"KEEPTTL"),
            None => {}
        }
        match options.condition {
            Some(SetCondition::IfAbsent) => arguments.push(b"NX"),
            Some(SetCondition::IfPresent) => arguments.push(b"XX"),
            None => {}
        }
        match self.command(&arguments).await? {
            Value::Status(_) => Ok(true),
            Value::Nil => Ok(false),
            _ => Err(Error::UnexpectedReply("OK or nil")),
        }
    }

    /// `INCR key`: the new value.
    pub async fn incr(&mut self, key: &[u8]) -> Result<i64, Error> {
        integer(self.command(&[b"INCR", key]).await?)
    }

    /// `INCRBY key delta`: the new value.
    pub async fn incr_by(&mut self, key: &[u8], delta: i64) -> Result<i64, Error> {
        let delta = IntegerText::new(delta);
        integer(self.command(&[b"INCRBY", key, delta.as_bytes()]).await?)
    }
}
