//! `Last-Modified` of embedded files: the file's modification time when the image is
//! generated, in whole seconds, as an IMF-fixdate.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The `Last-Modified` value for a file modified at `modified`: its second, clamped to
/// `SOURCE_DATE_EPOCH` when that is set (reproducible builds: every file then dates from the
/// source's own date at the latest) and never later than `now` (RFC 9110 §8.8.2.1: no date
/// after the response's). `None` for a time before 1970.
pub fn last_modified(
    modified: SystemTime,
    source_date_epoch: Option<u64>,
    now: SystemTime,
) -> Option<String> {
    let seconds = modified.duration_since(UNIX_EPOCH).ok()?.as_secs();
    let now = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let clamped = seconds.min(source_date_epoch.unwrap_or(u64::MAX)).min(now);
    Some(httpdate::fmt_http_date(
        UNIX_EPOCH + Duration::from_secs(clamped),
    ))
}

/// `SOURCE_DATE_EPOCH` from the environment, when it holds a number of seconds.
pub fn source_date_epoch() -> Option<u64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn whole_seconds_as_imf_fixdate_clamped() {
        let modified = at(784_111_777) + Duration::from_millis(900);
        let now = at(2_000_000_000);
        assert_eq!(
            last_modified(modified, None, now).as_deref(),
            Some("Sun, 06 Nov 1994 08:49:37 GMT")
        );
        assert_eq!(
            last_modified(modified, Some(0), now).as_deref(),
            Some("Thu, 01 Jan 1970 00:00:00 GMT")
        );
        assert_eq!(
            last_modified(at(3_000_000_000), None, now).as_deref(),
            Some("Wed, 18 May 2033 03:33:20 GMT")
        );
        assert_eq!(
            last_modified(UNIX_EPOCH - Duration::from_secs(1), None, now),
            None
        );
    }
}
