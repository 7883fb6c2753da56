//! Parsing the three HTTP-date forms (RFC 9110 §5.6.7).

use super::civil::{days_from_civil, days_in_month, is_weekday_name, month_from_name};
use super::Timestamp;

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`)
/// or asctime (`Sun Nov  6 08:49:37 1994`).
pub(super) fn http_date(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if !text.is_ascii() {
        return None;
    }
    imf_fixdate(text)
        .or_else(|| rfc850(text))
        .or_else(|| asctime(text))
}

fn imf_fixdate(text: &str) -> Option<Timestamp> {
    let (weekday, rest) = text.split_once(", ")?;
    if !is_weekday_name(weekday) || rest.len() != 24 || !rest.ends_with(" GMT") {
        return None;
    }
    let mut fields = rest.get(..20)?.split(' ');
    let day = two_digits(fields.next()?)?;
    let month = month_from_name(fields.next()?)?;
    let year = four_digits(fields.next()?)?;
    let time = fields.next()?;
    timestamp(year, month, day, time)
}

fn rfc850(text: &str) -> Option<Timestamp> {
    const LONG_WEEKDAYS: [&str; 7] = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    let (weekday, rest) = text.split_once(", ")?;
    if !LONG_WEEKDAYS.contains(&weekday) || rest.len() != 22 || !rest.ends_with(" GMT") {
        return None;
    }
    let (date, time) = rest.get(..18)?.split_once(' ')?;
    let mut parts = date.split('-');
    let day = two_digits(parts.next()?)?;
    let month = month_from_name(parts.next()?)?;
    let short_year = two_digits(parts.next()?)?;
    // A two-digit year: 70–99 are 1970–1999, 00–69 are 2000–2069 (RFC 9110 asks for "the most
    // recent year in the past"; without a clock, the pivot of the Unix epoch is the convention).
    let year = if short_year >= 70 {
        1900 + short_year
    } else {
        2000 + short_year
    };
    timestamp(year, month, day, time)
}

fn asctime(text: &str) -> Option<Timestamp> {
    if text.len() != 24 {
        return None;
    }
    let weekday = text.get(..3)?;
    let month = month_from_name(text.get(4..7)?)?;
    // The day is two characters: `16`, or ` 6` padded with a space.
    let day = match text.get(8..10)?.strip_prefix(' ') {
        Some(digit) => digits(digit, 1)?,
        None => two_digits(text.get(8..10)?)?,
    };
    let time = text.get(11..19)?;
    let year = four_digits(text.get(20..)?)?;
    let separators = [
        text.get(3..4)?,
        text.get(7..8)?,
        text.get(10..11)?,
        text.get(19..20)?,
    ];
    if !is_weekday_name(weekday) || separators.iter().any(|separator| *separator != " ") {
        return None;
    }
    timestamp(year, month, day, time)
}

/// The instant of a checked date and an `HH:MM:SS` time (a leap second 60 reads as 59).
fn timestamp(year: u32, month: u32, day: u32, time: &str) -> Option<Timestamp> {
    let mut parts = time.split(':');
    let hour = two_digits(parts.next()?)?;
    let minute = two_digits(parts.next()?)?;
    let second = two_digits(parts.next()?)?;
    if parts.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let year = i64::from(year);
    if year < 1970 || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    let seconds = days * 86_400 + u64::from(hour * 3600 + minute * 60 + second.min(59));
    Timestamp::from_unix_seconds(seconds)
}

fn two_digits(text: &str) -> Option<u32> {
    digits(text, 2)
}

fn four_digits(text: &str) -> Option<u32> {
    digits(text, 4)
}

fn digits(text: &str, count: usize) -> Option<u32> {
    if text.len() != count || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
