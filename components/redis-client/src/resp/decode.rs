//! Replies out of a byte buffer: [`scan`] (is a whole reply there?) and [`decode`] (build it).
use alloc::string::String;
use alloc::vec::Vec;

use super::{Limits, ProtocolError, Value};

/// What the front of a buffer holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scan {
    /// Not a whole reply yet: the buffer must hold at least `needed` bytes in all.
    Incomplete {
        /// A lower bound of the reply's length.
        needed: usize,
    },
    /// A whole reply of `length` bytes.
    Complete {
        /// Its encoded length.
        length: usize,
    },
}

/// Outcome of walking one value.
enum Walk<T> {
    /// The value, and where the next one starts.
    Done(T, usize),
    /// The buffer must hold at least this many bytes.
    Need(usize),
}

/// Returns `Need` from the enclosing walker when a step could not complete.
macro_rules! step {
    ($expression:expr) => {
        match $expression? {
            Walk::Done(value, next) => (value, next),
            Walk::Need(needed) => return Ok(Walk::Need(needed)),
        }
    };
}

/// Looks at the front of `buffer`: is there a whole reply, and how long is it? Allocates
/// nothing; a reply over the limits is an error as soon as that is known.
pub fn scan(buffer: &[u8], limits: &Limits) -> Result<Scan, ProtocolError> {
    let walker = Walker {
        buffer,
        limits,
        build: false,
    };
    match walker.value(0, 0)? {
        Walk::Done(_, length) => Ok(Scan::Complete { length }),
        Walk::Need(needed) => Ok(Scan::Incomplete { needed }),
    }
}

/// Decodes the reply at the front of `buffer`, if it is whole: the value and its length.
/// Attributes (`|`) are read and dropped; the value they annotate is returned.
pub fn decode(buffer: &[u8], limits: &Limits) -> Result<Option<(Value, usize)>, ProtocolError> {
    if let Scan::Incomplete { .. } = scan(buffer, limits)? {
        return Ok(None);
    }
    let walker = Walker {
        buffer,
        limits,
        build: true,
    };
    match walker.value(0, 0)? {
        Walk::Done(value, length) => Ok(Some((value, length))),
        Walk::Need(_) => Ok(None),
    }
}

/// One pass over a buffer; builds values only when `build` is set (the scan pass does not).
struct Walker<'a> {
    buffer: &'a [u8],
    limits: &'a Limits,
    build: bool,
}

impl Walker<'_> {
    /// Fails when a reply would end past the size limit.
    fn within_limit(&self, end: usize) -> Result<(), ProtocolError> {
        if end > self.limits.max_reply_bytes {
            Err(ProtocolError::TooLarge(self.limits.max_reply_bytes))
        } else {
            Ok(())
        }
    }

    /// The line starting at `start` (without CR LF) and where the next one starts.
    fn line(&self, start: usize) -> Result<Walk<&[u8]>, ProtocolError> {
        let rest = self.buffer.get(start..).unwrap_or_default();
        let Some(newline) = rest.iter().position(|&byte| byte == b'\n') else {
            let needed = self.buffer.len().max(start) + 1;
            self.within_limit(needed)?;
            return Ok(Walk::Need(needed));
        };
        let Some(line) = newline.checked_sub(1).and_then(|end| {
            (rest.get(end) == Some(&b'\r'))
                .then(|| rest.get(..end))
                .flatten()
        }) else {
            return Err(ProtocolError::LineEnding);
        };
        let next = start + newline + 1;
        self.within_limit(next)?;
        Ok(Walk::Done(line, next))
    }

    /// The value starting at `start`, `depth` aggregates deep.
    fn value(&self, start: usize, depth: usize) -> Result<Walk<Value>, ProtocolError> {
        if depth > self.limits.max_depth {
            return Err(ProtocolError::TooDeep(self.limits.max_depth));
        }
        let Some(&kind) = self.buffer.get(start) else {
            self.within_limit(start + 1)?;
            return Ok(Walk::Need(start + 1));
        };
        let (line, next) = step!(self.line(start + 1));
        let text = || String::from_utf8_lossy(line).into_owned();
        let value = match kind {
            b'+' => self.make(|| Value::Status(text())),
            b'-' => self.make(|| Value::Error(text())),
            b':' => Value::Integer(integer(line)?),
            b',' => Value::Double(double(line)?),
            b'#' => match line {
                b"t" => Value::Boolean(true),
                b"f" => Value::Boolean(false),
                _ => return Err(ProtocolError::Boolean),
            },
            b'(' => {
                let digits = line.strip_prefix(b"-").unwrap_or(line);
                if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                    return Err(ProtocolError::Integer);
                }
                self.make(|| Value::BigNumber(text()))
            }
            b'_' if line.is_empty() => Value::Nil,
            b'_' => return Err(ProtocolError::LineEnding),
            b'$' | b'!' | b'=' => return self.blob(kind, line, next),
            b'*' | b'~' | b'>' | b'%' | b'|' => return self.aggregate(kind, line, next, depth),
            other => return Err(ProtocolError::UnknownType(other)),
        };
        Ok(Walk::Done(value, next))
    }

    /// Builds a value only in the build pass.
    fn make(&self, build: impl FnOnce() -> Value) -> Value {
        if self.build {
            build()
        } else {
            Value::Nil
        }
    }

    /// A length-prefixed string: `$` bulk, `!` error, `=` verbatim.
    fn blob(&self, kind: u8, line: &[u8], start: usize) -> Result<Walk<Value>, ProtocolError> {
        let length = integer(line).map_err(|_| ProtocolError::Length)?;
        if length == -1 && kind == b'$' {
            return Ok(Walk::Done(Value::Nil, start));
        }
        let length = usize::try_from(length).map_err(|_| ProtocolError::Length)?;
        let end = start
            .checked_add(length)
            .and_then(|end| end.checked_add(2))
            .ok_or(ProtocolError::Length)?;
        self.within_limit(end)?;
        let Some(bytes) = self.buffer.get(start..end) else {
            return Ok(Walk::Need(end));
        };
        let (content, ending) = bytes.split_at(length);
        if ending != b"\r\n" {
            return Err(ProtocolError::LineEnding);
        }
        let value = match kind {
            b'$' => self.make(|| Value::Bulk(content.to_vec())),
            b'!' => self.make(|| Value::Error(String::from_utf8_lossy(content).into_owned())),
            _ => {
                if content.get(3) != Some(&b':') {
                    return Err(ProtocolError::Verbatim);
                }
                let (format, text) = content.split_at(3);
                self.make(|| Value::Verbatim {
                    format: String::from_utf8_lossy(format).into_owned(),
                    text: text.get(1..).unwrap_or_default().to_vec(),
                })
            }
        };
        Ok(Walk::Done(value, end))
    }

    /// An aggregate: `*` array, `~` set, `>` push, `%` map, `|` attribute (then its value).
    fn aggregate(
        &self,
        kind: u8,
        line: &[u8],
        start: usize,
        depth: usize,
    ) -> Result<Walk<Value>, ProtocolError> {
        let count = integer(line).map_err(|_| ProtocolError::Length)?;
        if count == -1 && kind == b'*' {
            return Ok(Walk::Done(Value::Nil, start));
        }
        let count = usize::try_from(count).map_err(|_| ProtocolError::Length)?;
        let elements = if matches!(kind, b'%' | b'|') {
            count.checked_mul(2).ok_or(ProtocolError::Length)?
        } else {
            count
        };
        // Every element takes at least 3 bytes ("_\r\n"): refuse impossible counts at once.
        self.within_limit(elements.saturating_mul(3).saturating_add(start))?;
        let available = self.buffer.len().saturating_sub(start) / 3;
        let mut values = Vec::with_capacity(if self.build {
            elements.min(available)
        } else {
            0
        });
        let mut next = start;
        for _ in 0..elements {
            let (value, after) = step!(self.value(next, depth + 1));
            if self.build {
                values.push(value);
            }
            next = after;
        }
        let value = match kind {
            b'*' => Value::Array(values),
            b'~' => Value::Set(values),
            b'>' => Value::Push(values),
            b'%' => Value::Map(pairs(values)),
            _ => {
                // An attribute annotates the value that follows it; return that value.
                return self.value(next, depth + 1);
            }
        };
        Ok(Walk::Done(value, next))
    }
}

/// `[k1, v1, k2, v2]` → `[(k1, v1), (k2, v2)]`.
fn pairs(values: Vec<Value>) -> Vec<(Value, Value)> {
    let mut pairs = Vec::with_capacity(values.len() / 2);
    let mut values = values.into_iter();
    while let (Some(key), Some(value)) = (values.next(), values.next()) {
        pairs.push((key, value));
    }
    pairs
}

/// A decimal `i64`: optional `-`, digits, no overflow.
fn integer(text: &[u8]) -> Result<i64, ProtocolError> {
    let (negative, digits) = match text.strip_prefix(b"-") {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    if digits.is_empty() || digits.len() > 19 {
        return Err(ProtocolError::Integer);
    }
    let mut value: i64 = 0;
    for &digit in digits {
        if !digit.is_ascii_digit() {
            return Err(ProtocolError::Integer);
        }
        let digit = i64::from(digit - b'0');
        value = value
            .checked_mul(10)
            .and_then(|value| {
                if negative {
                    value.checked_sub(digit)
                } else {
                    value.checked_add(digit)
                }
            })
            .ok_or(ProtocolError::Integer)?;
    }
    Ok(value)
}

/// A RESP3 double: decimal, exponent, `inf`, `-inf`, `nan`.
fn double(text: &[u8]) -> Result<f64, ProtocolError> {
    core::str::from_utf8(text)
        .ok()
        .and_then(|text| text.parse().ok())
        .ok_or(ProtocolError::Double)
}
