//! `[http.limits]`: sizes and durations with their units, each within the range the server can
//! keep.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::Checker;
use crate::keys;
use crate::limits::{parse_duration, parse_size, size_text, HttpLimits, Milliseconds};

/// The shortest and longest timeouts accepted.
const TIMEOUTS: (Milliseconds, Milliseconds) = (Milliseconds(100), Milliseconds(600_000));

impl Checker<'_> {
    pub(super) fn limits(&mut self, table: &DeTable<'_>) -> HttpLimits {
        self.reject_unknown_keys(table, &keys::LIMITS);
        let size = |checker: &mut Self, key: &str, range: (u64, u64), example: &str| {
            let value = table.get(key)?;
            checker.size_in(value, key, range, example)
        };
        let duration = |checker: &mut Self, key: &str| {
            let value = table.get(key)?;
            checker.duration_in(value, key)
        };
        let integer = |checker: &mut Self, key: &str, range: (i64, i64), example: i64| {
            let value = table.get(key)?;
            let number =
                checker.integer_in(value, &format!("http.limits.{key}"), range, example)?;
            u32::try_from(number).ok()
        };
        HttpLimits {
            header_size: size(self, "header_size", (1 << 10, 64 << 10), "8KiB"),
            body_size: size(self, "body_size", (0, 64 << 20), "64KiB"),
            header_timeout: duration(self, "header_timeout"),
            body_timeout: duration(self, "body_timeout"),
            minimum_body_rate: size(self, "minimum_body_rate", (0, 64 << 20), "1KiB"),
            idle_timeout: duration(self, "idle_timeout"),
            send_timeout: duration(self, "send_timeout"),
            pipelined_requests: integer(self, "pipelined_requests", (1, 256), 16),
            connections_per_peer: integer(self, "connections_per_peer", (0, 65535), 8),
        }
    }

    /// The size at `value` (`8KiB`), within `low..=high` bytes.
    fn size_in(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
        (low, high): (u64, u64),
        example: &str,
    ) -> Option<u64> {
        let hint = format!(
            "write a size with its unit, such as `{key} = \"{example}\"` (units: B, KiB, MiB)"
        );
        let text = self.string_or_hint(value, &format!("http.limits.{key}"), &hint)?;
        let Some(bytes) = parse_size(text) else {
            let message = format!(
                "`{text}` is not a size: `http.limits.{key}` is a number and B, KiB or MiB"
            );
            self.error(value.span(), message, hint);
            return None;
        };
        if !(low..=high).contains(&bytes) {
            let message = format!(
                "`http.limits.{key}` must be from {} to {}, not {text}",
                size_text(low),
                size_text(high)
            );
            self.error(
                value.span(),
                message,
                format!("for example `{key} = \"{example}\"`"),
            );
            return None;
        }
        Some(bytes)
    }

    /// The duration at `value` (`10s`), within the accepted timeouts.
    fn duration_in(&mut self, value: &Spanned<DeValue<'_>>, key: &str) -> Option<Milliseconds> {
        let hint =
            format!("write a duration with its unit, such as `{key} = \"10s\"` (units: ms, s, m)");
        let text = self.string_or_hint(value, &format!("http.limits.{key}"), &hint)?;
        let Some(duration) = parse_duration(text) else {
            let message = format!(
                "`{text}` is not a duration: `http.limits.{key}` is a number and ms, s or m"
            );
            self.error(value.span(), message, hint);
            return None;
        };
        let (shortest, longest) = TIMEOUTS;
        if !(shortest..=longest).contains(&duration) {
            let message =
                format!("`http.limits.{key}` must be from {shortest} to {longest}, not {text}");
            self.error(
                value.span(),
                message,
                format!("for example `{key} = \"10s\"`"),
            );
            return None;
        }
        Some(duration)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn problems(limits: &str) -> Vec<String> {
        let source = format!(
            "[app]\nname = \"limits\"\n\n[http]\n\n[[http.route]]\npath = \"/\"\nbody = \"x\"\n\n[http.limits]\n{limits}\n"
        );
        match crate::parse(Path::new("/p/sauce.toml"), &source) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics
                .into_iter()
                .map(|diagnostic| diagnostic.message)
                .collect(),
        }
    }

    #[test]
    fn limits_are_read_with_their_units() {
        let source = "[app]\nname = \"limits\"\n\n[http]\n\n[[http.route]]\npath = \"/\"\nbody = \"x\"\n\n[http.limits]\nheader_size = \"4KiB\"\nbody_size = \"1MiB\"\nheader_timeout = \"5s\"\nidle_timeout = \"500ms\"\nsend_timeout = \"2m\"\nminimum_body_rate = \"0B\"\npipelined_requests = 4\nconnections_per_peer = 8\n";
        let intent = crate::parse(Path::new("/p/sauce.toml"), source).unwrap();
        let limits = intent.http.unwrap().limits;
        assert_eq!(limits.header_size, Some(4096));
        assert_eq!(limits.body_size, Some(1 << 20));
        assert_eq!(limits.header_timeout, Some(super::Milliseconds(5_000)));
        assert_eq!(limits.idle_timeout, Some(super::Milliseconds(500)));
        assert_eq!(limits.send_timeout, Some(super::Milliseconds(120_000)));
        assert_eq!(limits.minimum_body_rate, Some(0));
        assert_eq!(
            (limits.pipelined_requests, limits.connections_per_peer),
            (Some(4), Some(8))
        );
        assert_eq!(limits.body_timeout, None);
    }

    #[test]
    fn bad_limits_name_the_key_the_unit_and_the_range() {
        assert_eq!(
            problems("header_size = \"8KB\""),
            ["`8KB` is not a size: `http.limits.header_size` is a number and B, KiB or MiB"]
        );
        assert_eq!(
            problems("header_size = \"1MiB\""),
            ["`http.limits.header_size` must be from 1KiB to 64KiB, not 1MiB"]
        );
        assert_eq!(
            problems("idle_timeout = \"1h\""),
            ["`1h` is not a duration: `http.limits.idle_timeout` is a number and ms, s or m"]
        );
        assert_eq!(
            problems("send_timeout = \"11m\""),
            ["`http.limits.send_timeout` must be from 100ms to 10m, not 11m"]
        );
        assert_eq!(problems("header_timeout = 10").len(), 1);
        assert_eq!(
            problems("pipelined = 4"),
            ["unknown key `pipelined` in `[http.limits]`"]
        );
    }
}
