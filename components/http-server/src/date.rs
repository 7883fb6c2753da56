//! The `Date` header (RFC 9110 §6.6.1): an origin server with a clock sends one on every
//! response. The time is the glue's monotonic `now_ms` plus the wall clock's offset, which the
//! host gives the guest at launch; formatted once per second per connection.

/// `Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n`.
pub(crate) const LINE_BYTES: usize = 37;

/// One connection's formatted `Date` line, refreshed when the second changes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DateLine {
    /// The Unix second `line` shows; `u64::MAX` before the first.
    second: u64,
    line: [u8; LINE_BYTES],
}

impl Default for DateLine {
    fn default() -> DateLine {
        DateLine {
            second: u64::MAX,
            line: [0; LINE_BYTES],
        }
    }
}

impl DateLine {
    /// The header line for `unix_ms`.
    pub(crate) fn at(&mut self, unix_ms: u64) -> &[u8] {
        let second = unix_ms / 1000;
        if second != self.second {
            self.line = format(second);
            self.second = second;
        }
        &self.line
    }
}

const DAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];
const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// The `Date` line for a Unix second.
pub(crate) fn format(unix_seconds: u64) -> [u8; LINE_BYTES] {
    let days = unix_seconds / 86_400;
    let seconds_of_day = unix_seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    let mut line = *b"Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n";
    line[6..9].copy_from_slice(DAYS[(days % 7) as usize]);
    two_digits(&mut line[11..13], day);
    line[14..17].copy_from_slice(MONTHS[(month - 1) as usize]);
    let year = year.min(9999);
    for (index, divisor) in [1000, 100, 10, 1].into_iter().enumerate() {
        line[18 + index] = b'0' + (year / divisor % 10) as u8;
    }
    two_digits(&mut line[23..25], seconds_of_day / 3600);
    two_digits(&mut line[26..28], seconds_of_day / 60 % 60);
    two_digits(&mut line[29..31], seconds_of_day % 60);
    line
}

fn two_digits(slot: &mut [u8], value: u64) {
    slot[0] = b'0' + (value / 10 % 10) as u8;
    slot[1] = b'0' + (value % 10) as u8;
}

/// Year, month (1–12) and day (1–31) of a day count since 1970-01-01 (Howard Hinnant's
/// algorithm for the proleptic Gregorian calendar).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let shifted = days + 719_468;
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc_9110_examples_and_leap_days() {
        assert_eq!(
            &format(784_111_777),
            b"Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
        );
        assert_eq!(&format(0), b"Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n");
        assert_eq!(
            &format(951_782_400),
            b"Date: Tue, 29 Feb 2000 00:00:00 GMT\r\n"
        );
        assert_eq!(
            &format(1_796_390_785),
            b"Date: Fri, 04 Dec 2026 13:26:25 GMT\r\n"
        );
        let mut line = DateLine::default();
        assert_eq!(line.at(784_111_777_999), &format(784_111_777));
        assert_eq!(line.at(784_111_778_000), &format(784_111_778));
    }
}
