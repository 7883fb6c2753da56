//! Wall-clock time: `Timestamp` (UTC since the Unix epoch), RFC 3339 and HTTP-date text.

use core::fmt;
use core::time::Duration;

mod civil;
mod parse;

pub use civil::DateTime;

const NANOSECONDS_PER_SECOND: u32 = 1_000_000_000;
/// 9999-12-31T23:59:59Z: four-digit years keep both text formats fixed-width.
const MAX_SECONDS: u64 = 253_402_300_799;

/// A UTC instant: seconds and nanoseconds since 1970-01-01T00:00:00Z, up to the end of 9999.
///
/// ```
/// use sauce_app::Timestamp;
///
/// let time = Timestamp::from_unix_seconds(784_111_777).unwrap();
/// assert_eq!(time.http_date().to_string(), "Sun, 06 Nov 1994 08:49:37 GMT");
/// assert_eq!(time.rfc3339().to_string(), "1994-11-06T08:49:37Z");
/// assert_eq!(Timestamp::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(time));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    seconds: u64,
    nanoseconds: u32,
}

impl Timestamp {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp {
        seconds: 0,
        nanoseconds: 0,
    };

    /// The last instant represented: 9999-12-31T23:59:59.999999999Z.
    pub const MAX: Timestamp = Timestamp {
        seconds: MAX_SECONDS,
        nanoseconds: NANOSECONDS_PER_SECOND - 1,
    };

    /// The instant `seconds` + `nanoseconds` after the epoch; `None` past [`Timestamp::MAX`] or
    /// with `nanoseconds` of a second or more.
    pub fn new(seconds: u64, nanoseconds: u32) -> Option<Timestamp> {
        (seconds <= MAX_SECONDS && nanoseconds < NANOSECONDS_PER_SECOND).then_some(Timestamp {
            seconds,
            nanoseconds,
        })
    }

    /// The instant `seconds` after the epoch.
    pub fn from_unix_seconds(seconds: u64) -> Option<Timestamp> {
        Timestamp::new(seconds, 0)
    }

    /// The instant `milliseconds` after the epoch.
    pub fn from_unix_millis(milliseconds: u64) -> Option<Timestamp> {
        let nanoseconds = u32::try_from(milliseconds % 1000).ok()? * 1_000_000;
        Timestamp::new(milliseconds / 1000, nanoseconds)
    }

    /// Whole seconds since the epoch.
    pub fn unix_seconds(&self) -> u64 {
        self.seconds
    }

    /// Milliseconds since the epoch.
    pub fn unix_millis(&self) -> u64 {
        self.seconds * 1000 + u64::from(self.nanoseconds / 1_000_000)
    }

    /// The nanoseconds past the whole second.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanoseconds
    }

    /// The time since the epoch.
    pub fn since_epoch(&self) -> Duration {
        Duration::new(self.seconds, self.nanoseconds)
    }

    /// `duration` later; `None` past [`Timestamp::MAX`].
    pub fn checked_add(&self, duration: Duration) -> Option<Timestamp> {
        let total = self.since_epoch().checked_add(duration)?;
        Timestamp::new(total.as_secs(), total.subsec_nanos())
    }

    /// `duration` earlier; `None` before the epoch.
    pub fn checked_sub(&self, duration: Duration) -> Option<Timestamp> {
        let total = self.since_epoch().checked_sub(duration)?;
        Timestamp::new(total.as_secs(), total.subsec_nanos())
    }

    /// The time from `earlier` to this instant; `None` if `earlier` is later.
    pub fn duration_since(&self, earlier: Timestamp) -> Option<Duration> {
        self.since_epoch().checked_sub(earlier.since_epoch())
    }

    /// This instant truncated to the whole second (what HTTP dates can say).
    pub fn truncated_to_seconds(&self) -> Timestamp {
        Timestamp {
            seconds: self.seconds,
            nanoseconds: 0,
        }
    }

    /// The calendar date and time of day, UTC.
    pub fn date_time(&self) -> DateTime {
        DateTime::from_unix_seconds(self.seconds)
    }

    /// Formats as RFC 3339 with whole seconds: `2024-02-29T13:05:09Z`.
    pub fn rfc3339(&self) -> Rfc3339 {
        Rfc3339 {
            timestamp: *self,
            with_milliseconds: false,
        }
    }

    /// Formats as RFC 3339 with milliseconds: `2024-02-29T13:05:09.250Z`.
    pub fn rfc3339_millis(&self) -> Rfc3339 {
        Rfc3339 {
            timestamp: *self,
            with_milliseconds: true,
        }
    }

    /// Formats as an HTTP date (IMF-fixdate, RFC 9110 §5.6.7): `Thu, 29 Feb 2024 13:05:09 GMT`,
    /// for `Date` and `Last-Modified`.
    pub fn http_date(&self) -> HttpDate {
        HttpDate { timestamp: *self }
    }

    /// Parses an HTTP date, as `If-Modified-Since` carries one: IMF-fixdate, and the obsolete
    /// RFC 850 and asctime forms that RFC 9110 says recipients accept. `None` for anything else.
    ///
    /// ```
    /// use sauce_app::Timestamp;
    ///
    /// let expected = Timestamp::from_unix_seconds(784_111_777);
    /// assert_eq!(Timestamp::parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
    /// assert_eq!(Timestamp::parse_http_date("Sun Nov  6 08:49:37 1994"), expected);
    /// assert_eq!(Timestamp::parse_http_date("yesterday"), None);
    /// ```
    pub fn parse_http_date(text: &str) -> Option<Timestamp> {
        parse::http_date(text)
    }
}

/// [`Timestamp::rfc3339`] as text (formats without allocating).
#[derive(Clone, Copy, Debug)]
pub struct Rfc3339 {
    timestamp: Timestamp,
    with_milliseconds: bool,
}

impl fmt::Display for Rfc3339 {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let time = self.timestamp.date_time();
        write!(
            formatter,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            time.year, time.month, time.day, time.hour, time.minute, time.second
        )?;
        if self.with_milliseconds {
            write!(formatter, ".{:03}", self.timestamp.nanoseconds / 1_000_000)?;
        }
        formatter.write_str("Z")
    }
}

/// [`Timestamp::http_date`] as text (formats without allocating).
#[derive(Clone, Copy, Debug)]
pub struct HttpDate {
    timestamp: Timestamp,
}

impl fmt::Display for HttpDate {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let time = self.timestamp.date_time();
        write!(
            formatter,
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            time.weekday_name(),
            time.day,
            time.month_name(),
            time.year,
            time.hour,
            time.minute,
            time.second
        )
    }
}

#[cfg(test)]
#[path = "time_tests.rs"]
mod tests;
