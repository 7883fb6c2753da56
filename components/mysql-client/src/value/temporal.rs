//! `DATE`, `DATETIME`/`TIMESTAMP` and `TIME` values: the server's text form and fields.
//!
//! Values decoded from a server keep what the server sent, including MySQL's zero dates
//! (`0000-00-00`) and days the calendar lacks (`2024-02-30` under a lax `sql_mode`); only
//! field ranges are checked (month ≤ 12, day ≤ 31, hour < 24, …). [`Date::new`] and friends,
//! for values a program builds, check the calendar.
use core::fmt;

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date {
    /// Year, 0–9999.
    pub year: u16,
    /// Month, 1–12 (0 in zero dates).
    pub month: u8,
    /// Day of the month, 1–31 (0 in zero dates).
    pub day: u8,
}

/// A date and a time of day, without a time zone (`DATETIME`, and `TIMESTAMP` in the
/// session's time zone).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    /// The date.
    pub date: Date,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–59.
    pub second: u8,
    /// Microsecond, 0–999 999.
    pub microsecond: u32,
}

/// A `TIME` value: a signed duration of up to 838:59:59 (days are whole 24-hour units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Time {
    /// Whether the duration is negative.
    pub negative: bool,
    /// Whole days.
    pub days: u32,
    /// Hours, 0–23.
    pub hours: u8,
    /// Minutes, 0–59.
    pub minutes: u8,
    /// Seconds, 0–59.
    pub seconds: u8,
    /// Microseconds, 0–999 999.
    pub microseconds: u32,
}

const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date that exists in the calendar (year 0–9999).
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if year > 9999 || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Whether the fields are in range (zero dates allowed).
    pub(crate) const fn is_plausible(&self) -> bool {
        self.year <= 9999 && self.month <= 12 && self.day <= 31
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &[u8]) -> Option<Date> {
        let mut cursor = Cursor(text);
        let date = cursor.date()?;
        cursor.0.is_empty().then_some(date)
    }
}

impl DateTime {
    /// A date and time that exist (seconds 0–59, microseconds below one million).
    pub const fn new(
        date: Date,
        hour: u8,
        minute: u8,
        second: u8,
        microsecond: u32,
    ) -> Option<DateTime> {
        if Date::new(date.year, date.month, date.day).is_none()
            || hour > 23
            || minute > 59
            || second > 59
            || microsecond > 999_999
        {
            return None;
        }
        Some(DateTime {
            date,
            hour,
            minute,
            second,
            microsecond,
        })
    }

    /// Whether the fields are in range (zero dates allowed).
    pub(crate) const fn is_plausible(&self) -> bool {
        self.date.is_plausible()
            && self.hour < 24
            && self.minute < 60
            && self.second < 60
            && self.microsecond < 1_000_000
    }

    /// Parses `YYYY-MM-DD HH:MM:SS` with an optional fraction of 1–6 digits.
    pub fn parse(text: &[u8]) -> Option<DateTime> {
        let mut cursor = Cursor(text);
        let date = cursor.date()?;
        cursor.literal(b' ')?;
        let hour = cursor.digits(2)?;
        cursor.literal(b':')?;
        let minute = cursor.digits(2)?;
        cursor.literal(b':')?;
        let second = cursor.digits(2)?;
        let microsecond = cursor.fraction()?;
        let value = DateTime {
            date,
            hour: u8::try_from(hour).ok()?,
            minute: u8::try_from(minute).ok()?,
            second: u8::try_from(second).ok()?,
            microsecond,
        };
        (cursor.0.is_empty() && value.is_plausible()).then_some(value)
    }
}

impl Time {
    /// A duration from its parts (hours 0–23, minutes and seconds 0–59).
    pub const fn new(
        negative: bool,
        days: u32,
        hours: u8,
        minutes: u8,
        seconds: u8,
        microseconds: u32,
    ) -> Option<Time> {
        let value = Time {
            negative,
            days,
            hours,
            minutes,
            seconds,
            microseconds,
        };
        if value.is_plausible() {
            Some(value)
        } else {
            None
        }
    }

    /// Whether the fields are in range.
    pub(crate) const fn is_plausible(&self) -> bool {
        self.hours < 24 && self.minutes < 60 && self.seconds < 60 && self.microseconds < 1_000_000
    }

    /// Parses `[-]H…H:MM:SS` with an optional fraction of 1–6 digits.
    pub fn parse(text: &[u8]) -> Option<Time> {
        let (negative, rest) = match text.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, text),
        };
        let mut cursor = Cursor(rest);
        let width = cursor
            .0
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        if !(1..=9).contains(&width) {
            return None;
        }
        let total_hours = cursor.digits(width)?;
        cursor.literal(b':')?;
        let minutes = cursor.digits(2)?;
        cursor.literal(b':')?;
        let seconds = cursor.digits(2)?;
        let microseconds = cursor.fraction()?;
        let value = Time {
            negative,
            days: total_hours / 24,
            hours: (total_hours % 24) as u8,
            minutes: u8::try_from(minutes).ok()?,
            seconds: u8::try_from(seconds).ok()?,
            microseconds,
        };
        (cursor.0.is_empty() && value.is_plausible()).then_some(value)
    }
}

/// A cursor over ASCII date and time text.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn digits(&mut self, count: usize) -> Option<u32> {
        let (digits, rest) = self.0.split_at_checked(count)?;
        let mut value = 0u32;
        for &digit in digits {
            if !digit.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(digit - b'0');
        }
        self.0 = rest;
        Some(value)
    }

    fn literal(&mut self, expected: u8) -> Option<()> {
        let (&first, rest) = self.0.split_first()?;
        (first == expected).then(|| self.0 = rest)
    }

    fn date(&mut self) -> Option<Date> {
        let year = self.digits(4)?;
        self.literal(b'-')?;
        let month = self.digits(2)?;
        self.literal(b'-')?;
        let day = self.digits(2)?;
        let date = Date {
            year: u16::try_from(year).ok()?,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        };
        date.is_plausible().then_some(date)
    }

    /// An optional `.` and 1–6 digits, as microseconds.
    fn fraction(&mut self) -> Option<u32> {
        if self.literal(b'.').is_none() {
            return Some(0);
        }
        let width = self
            .0
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        if !(1..=6).contains(&width) {
            return None;
        }
        let value = self.digits(width)?;
        Some(value * 10u32.pow(6 - width as u32))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{:04}-{:02}-{:02}",
            self.year, self.month, self.day
        )
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} {:02}:{:02}:{:02}",
            self.date, self.hour, self.minute, self.second
        )?;
        if self.microsecond != 0 {
            write!(formatter, ".{:06}", self.microsecond)?;
        }
        Ok(())
    }
}

impl fmt::Display for Time {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hours = u64::from(self.days) * 24 + u64::from(self.hours);
        let sign = if self.negative { "-" } else { "" };
        write!(
            formatter,
            "{sign}{hours:02}:{:02}:{:02}",
            self.minutes, self.seconds
        )?;
        if self.microseconds != 0 {
            write!(formatter, ".{:06}", self.microseconds)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
