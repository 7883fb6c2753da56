//! HTTP-dates (RFC 9110 §5.6.7) as Unix seconds: the IMF-fixdate servers send and the two
//! obsolete forms a recipient must still accept.

/// Day names, Monday first, as the formats spell them (case-sensitive, §5.6.7).
const DAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
const LONG_DAYS: [&[u8]; 7] = [
    b"Monday",
    b"Tuesday",
    b"Wednesday",
    b"Thursday",
    b"Friday",
    b"Saturday",
    b"Sunday",
];
const MONTHS: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// The Unix second an HTTP-date names, or `None` when `text` is not one (or names a time
/// before 1970, which no file of an image was modified at).
///
/// Accepts `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate), `Sunday, 06-Nov-94 08:49:37 GMT`
/// (RFC 850; a two-digit year below 70 is 20xx, else 19xx) and `Sun Nov  6 08:49:37 1994`
/// (asctime). The day name is checked for spelling, not against the date.
pub fn parse(text: &[u8]) -> Option<u64> {
    let text = crate::conditional::trim(text);
    match text.get(3) {
        Some(b',') => imf_fixdate(text),
        Some(b' ') => asctime(text),
        _ => rfc850(text),
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`.
fn imf_fixdate(text: &[u8]) -> Option<u64> {
    let [d0, d1, d2, b',', b' ', day @ .., b' ', b'G', b'M', b'T'] = text else {
        return None;
    };
    if !DAYS.contains(&&[*d0, *d1, *d2][..]) {
        return None;
    }
    let [a, b, b' ', m0, m1, m2, b' ', y0, y1, y2, y3, b' ', time @ ..] = day else {
        return None;
    };
    let year = digits(&[*y0, *y1, *y2, *y3])?;
    unix_seconds(year, month(&[*m0, *m1, *m2])?, digits(&[*a, *b])?, time)
}

/// `Sunday, 06-Nov-94 08:49:37 GMT`.
fn rfc850(text: &[u8]) -> Option<u64> {
    let comma = text.iter().position(|byte| *byte == b',')?;
    let (name, rest) = text.split_at(comma);
    if !LONG_DAYS.contains(&name) {
        return None;
    }
    let [b',', b' ', a, b, b'-', m0, m1, m2, b'-', y0, y1, b' ', time @ .., b' ', b'G', b'M', b'T'] =
        rest
    else {
        return None;
    };
    let short_year = digits(&[*y0, *y1])?;
    let year = if short_year < 70 {
        2000 + short_year
    } else {
        1900 + short_year
    };
    unix_seconds(year, month(&[*m0, *m1, *m2])?, digits(&[*a, *b])?, time)
}

/// `Sun Nov  6 08:49:37 1994`.
fn asctime(text: &[u8]) -> Option<u64> {
    let [d0, d1, d2, b' ', m0, m1, m2, b' ', a, b, b' ', time @ .., b' ', y0, y1, y2, y3] = text
    else {
        return None;
    };
    if !DAYS.contains(&&[*d0, *d1, *d2][..]) {
        return None;
    }
    let day = match a {
        b' ' => digits(&[*b])?,
        _ => digits(&[*a, *b])?,
    };
    let year = digits(&[*y0, *y1, *y2, *y3])?;
    unix_seconds(year, month(&[*m0, *m1, *m2])?, day, time)
}

/// The month number (1–12) of a three-letter name.
fn month(name: &[u8]) -> Option<u64> {
    let index = MONTHS.iter().position(|month| *month == name)?;
    Some(index as u64 + 1)
}

/// The value of a run of ASCII digits (at most four here).
fn digits(bytes: &[u8]) -> Option<u64> {
    bytes.iter().try_fold(0u64, |value, byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u64::from(byte - b'0'))
    })
}

/// The Unix second of a date and an `HH:MM:SS` time, when each field is in range.
fn unix_seconds(year: u64, month: u64, day: u64, time: &[u8]) -> Option<u64> {
    let [h0, h1, b':', m0, m1, b':', s0, s1] = time else {
        return None;
    };
    let (hour, minute, second) = (
        digits(&[*h0, *h1])?,
        digits(&[*m0, *m1])?,
        digits(&[*s0, *s1])?,
    );
    if year < 1970 || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date from 1970 on (Howard Hinnant's algorithm for the
/// proleptic Gregorian calendar).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let march_based_month = (month + 9) % 12;
    let day_of_year = (153 * march_based_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_formats_of_rfc_9110_name_the_same_second() {
        let second = Some(784_111_777);
        assert_eq!(parse(b"Sun, 06 Nov 1994 08:49:37 GMT"), second);
        assert_eq!(parse(b"Sunday, 06-Nov-94 08:49:37 GMT"), second);
        assert_eq!(parse(b"Sun Nov  6 08:49:37 1994"), second);
        assert_eq!(parse(b" Sun, 06 Nov 1994 08:49:37 GMT "), second);
    }

    #[test]
    fn calendar_edges() {
        assert_eq!(parse(b"Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse(b"Tue, 29 Feb 2000 00:00:00 GMT"), Some(951_782_400));
        assert_eq!(parse(b"Fri, 04 Dec 2026 13:26:25 GMT"), Some(1_796_390_785));
        assert_eq!(
            parse(b"Friday, 04-Dec-26 13:26:25 GMT"),
            Some(1_796_390_785)
        );
        assert_eq!(parse(b"Fri Dec 31 23:59:59 9999"), Some(253_402_300_799));
        assert_eq!(parse(b"Mon, 29 Feb 2100 00:00:00 GMT"), None);
        assert_eq!(parse(b"Wed, 31 Dec 1969 23:59:59 GMT"), None);
    }

    #[test]
    fn malformed_dates_are_refused() {
        for text in [
            &b""[..],
            b"Sun, 06 Nov 1994 08:49:37 UTC",
            b"sun, 06 Nov 1994 08:49:37 GMT",
            b"Sun, 6 Nov 1994 08:49:37 GMT",
            b"Sun, 06 nov 1994 08:49:37 GMT",
            b"Sun, 06 Nov 1994 24:00:00 GMT",
            b"Sun, 06 Nov 1994 08:60:00 GMT",
            b"Sun, 32 Nov 1994 08:49:37 GMT",
            b"Sun, 00 Nov 1994 08:49:37 GMT",
            b"Sun, 06 Nov 1994 08:49 GMT",
            b"Sun, 06 Nov 1994 08:49:37 GMT x",
            b"Sunday, 06-Nov-1994 08:49:37 GMT",
            b"Sundy, 06-Nov-94 08:49:37 GMT",
            b"Sun Nov 6 08:49:37 1994",
            b"784111777",
            b"Sun, 06 Nov 1994 08:49:37 GMT\xff",
        ] {
            assert_eq!(parse(text), None, "{}", String::from_utf8_lossy(text));
        }
    }
}
