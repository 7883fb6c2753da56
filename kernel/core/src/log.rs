//! Log levels and the `[   0.000123]` timestamp format of kernel log lines.

use core::fmt;
use core::str::FromStr;

/// How important a log record is; `Error` is the most important and the smallest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Something failed.
    Error,
    /// Something looks wrong but work goes on.
    Warn,
    /// Milestones: boot stages, devices found, services ready.
    Info,
    /// Detail for developers.
    Debug,
    /// Everything, including hot paths.
    Trace,
}

impl Level {
    /// A five-character tag, so that log columns line up: `"ERROR"`, `"WARN "`, `"INFO "`,
    /// `"DEBUG"`, `"TRACE"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Error => "ERROR",
            Self::Warn => "WARN ",
            Self::Info => "INFO ",
            Self::Debug => "DEBUG",
            Self::Trace => "TRACE",
        }
    }

    /// Whether a record at `self` passes a filter set to `maximum`.
    pub fn is_enabled_at(self, maximum: Level) -> bool {
        self <= maximum
    }
}

impl fmt::Display for Level {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str().trim_end())
    }
}

/// A `loglevel=` value that names no level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseLevelError;

impl fmt::Display for ParseLevelError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("expected error, warn, info, debug, trace or a number 0-8")
    }
}

impl FromStr for Level {
    type Err = ParseLevelError;

    /// Accepts the level names in any case (and `warning`), or a Linux console log level:
    /// 0-3 error, 4 warn, 5-6 info, 7 debug, 8 trace.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        const NAMES: [(&str, Level); 6] = [
            ("error", Level::Error),
            ("warn", Level::Warn),
            ("warning", Level::Warn),
            ("info", Level::Info),
            ("debug", Level::Debug),
            ("trace", Level::Trace),
        ];
        if let Some(&(_, level)) = NAMES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text))
        {
            return Ok(level);
        }
        match text {
            "0" | "1" | "2" | "3" => Ok(Level::Error),
            "4" => Ok(Level::Warn),
            "5" | "6" => Ok(Level::Info),
            "7" => Ok(Level::Debug),
            "8" => Ok(Level::Trace),
            _ => Err(ParseLevelError),
        }
    }
}

/// Writes `nanoseconds` as `[SSSS.uuuuuu]`: seconds right-aligned in four columns (wider when
/// needed), then six digits of microseconds.
pub fn format_timestamp(nanoseconds: u64, out: &mut impl fmt::Write) -> fmt::Result {
    let seconds = nanoseconds / 1_000_000_000;
    let microseconds = nanoseconds % 1_000_000_000 / 1_000;
    write!(out, "[{seconds:>4}.{microseconds:06}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timestamp(nanoseconds: u64) -> String {
        let mut text = String::new();
        format_timestamp(nanoseconds, &mut text).unwrap();
        text
    }

    #[test]
    fn formats_timestamps_like_linux() {
        assert_eq!(timestamp(123_456), "[   0.000123]");
        assert_eq!(timestamp(0), "[   0.000000]");
        assert_eq!(timestamp(12_345_678_999), "[  12.345678]");
        assert_eq!(timestamp(98_765_000_000_000), "[98765.000000]");
        assert_eq!(timestamp(u64::MAX), "[18446744073.709551]");
    }

    #[test]
    fn levels_have_fixed_width_tags_and_order() {
        for level in [
            Level::Error,
            Level::Warn,
            Level::Info,
            Level::Debug,
            Level::Trace,
        ] {
            assert_eq!(level.as_str().len(), 5);
            assert_eq!(level.to_string().parse::<Level>(), Ok(level));
        }
        assert!(Level::Error < Level::Trace);
        assert!(Level::Warn.is_enabled_at(Level::Info));
        assert!(!Level::Debug.is_enabled_at(Level::Info));
    }

    #[test]
    fn parses_names_and_linux_numbers() {
        assert_eq!("WARNING".parse(), Ok(Level::Warn));
        assert_eq!("Debug".parse(), Ok(Level::Debug));
        assert_eq!("3".parse(), Ok(Level::Error));
        assert_eq!("7".parse(), Ok(Level::Debug));
        assert_eq!("9".parse::<Level>(), Err(ParseLevelError));
        assert_eq!("".parse::<Level>(), Err(ParseLevelError));
        assert_eq!("verbose".parse::<Level>(), Err(ParseLevelError));
    }
}
