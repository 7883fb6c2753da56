//! `[http.limits]`: the HTTP service's limits and timeouts, each with the default the server
//! component declares (`components/http-server/component.toml`).

use std::fmt;

use serde::Serialize;

/// `[http.limits]`, every key optional: `None` keeps the component's default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HttpLimits {
    /// `header_size`: the largest request head, in bytes (431 beyond).
    pub header_size: Option<u64>,
    /// `body_size`: the largest request body, in bytes (413 beyond).
    pub body_size: Option<u64>,
    /// `header_timeout`: how long a request head may take from its first byte (408).
    pub header_timeout: Option<Milliseconds>,
    /// `body_timeout`: how long a body may take before the minimum rate extends it (408).
    pub body_timeout: Option<Milliseconds>,
    /// `minimum_body_rate`: bytes per second an upload must keep up to earn more time.
    pub minimum_body_rate: Option<u64>,
    /// `idle_timeout`: how long a kept-alive connection may wait for its next request.
    pub idle_timeout: Option<Milliseconds>,
    /// `send_timeout`: how long a client may take no response byte before it is dropped.
    pub send_timeout: Option<Milliseconds>,
    /// `pipelined_requests`: responses queued per connection before it stops reading.
    pub pipelined_requests: Option<u32>,
    /// `connections_per_peer`: connections one client address may hold (0: no separate cap).
    pub connections_per_peer: Option<u32>,
}

/// A duration in milliseconds, written `500ms`, `10s` or `2m`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Milliseconds(pub u64);

impl fmt::Display for Milliseconds {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            milliseconds if milliseconds % 60_000 == 0 && milliseconds > 0 => {
                write!(formatter, "{}m", milliseconds / 60_000)
            }
            milliseconds if milliseconds % 1_000 == 0 && milliseconds > 0 => {
                write!(formatter, "{}s", milliseconds / 1_000)
            }
            milliseconds => write!(formatter, "{milliseconds}ms"),
        }
    }
}

/// Reads a duration: digits, then `ms`, `s` or `m`. `None` for anything else (or an overflow).
pub fn parse_duration(text: &str) -> Option<Milliseconds> {
    let text = text.trim();
    let digits_end = text.find(|c: char| !c.is_ascii_digit())?;
    let number: u64 = text.get(..digits_end)?.parse().ok()?;
    let scale = match text.get(digits_end..)?.trim_start() {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        _ => return None,
    };
    number.checked_mul(scale).map(Milliseconds)
}

/// Reads a size in bytes: digits, then `B`, `KiB` or `MiB`. `None` for anything else.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits_end = text.find(|c: char| !c.is_ascii_digit())?;
    let number: u64 = text.get(..digits_end)?.parse().ok()?;
    let scale = match text.get(digits_end..)?.trim_start() {
        "B" => 1,
        "KiB" => 1024,
        "MiB" => 1024 * 1024,
        _ => return None,
    };
    number.checked_mul(scale)
}

/// `bytes` in the largest unit that divides it: `8KiB`, `1MiB`, `500B`.
pub fn size_text(bytes: u64) -> String {
    match bytes {
        bytes if bytes >= 1 << 20 && bytes % (1 << 20) == 0 => format!("{}MiB", bytes >> 20),
        bytes if bytes >= 1 << 10 && bytes % (1 << 10) == 0 => format!("{}KiB", bytes >> 10),
        bytes => format!("{bytes}B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes_read_their_units_only() {
        assert_eq!(parse_duration("500ms"), Some(Milliseconds(500)));
        assert_eq!(parse_duration(" 10s"), Some(Milliseconds(10_000)));
        assert_eq!(parse_duration("2m"), Some(Milliseconds(120_000)));
        for bad in [
            "10",
            "10 sec",
            "1h",
            "s",
            "-1s",
            "1.5s",
            "99999999999999999999s",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(parse_size("8KiB"), Some(8192));
        assert_eq!(parse_size("512B"), Some(512));
        assert_eq!(parse_size("1MiB"), Some(1 << 20));
        for bad in ["8KB", "8k", "KiB", "8", "99999999999999999999MiB"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
        assert_eq!(Milliseconds(120_000).to_string(), "2m");
        assert_eq!(Milliseconds(1_500).to_string(), "1500ms");
        assert_eq!(size_text(8192), "8KiB");
    }
}
