//! Tests of timestamps: calendar arithmetic, formatting, HTTP-date parsing.

use super::civil::{civil_from_days, days_from_civil};
use super::*;
use alloc::string::ToString;
use proptest::prelude::*;

#[test]
fn known_instants_format_correctly() {
    let cases = [
        (0, "1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT"),
        (
            951_825_600,
            "2000-02-29T12:00:00Z",
            "Tue, 29 Feb 2000 12:00:00 GMT",
        ),
        (
            1_709_211_909,
            "2024-02-29T13:05:09Z",
            "Thu, 29 Feb 2024 13:05:09 GMT",
        ),
        (
            4_102_444_799,
            "2099-12-31T23:59:59Z",
            "Thu, 31 Dec 2099 23:59:59 GMT",
        ),
        (
            MAX_SECONDS,
            "9999-12-31T23:59:59Z",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ),
    ];
    for (seconds, rfc3339, http) in cases {
        let time = Timestamp::from_unix_seconds(seconds).unwrap();
        assert_eq!(time.rfc3339().to_string(), rfc3339);
        assert_eq!(time.http_date().to_string(), http);
        assert_eq!(Timestamp::parse_http_date(http), Some(time));
    }
}

#[test]
fn milliseconds_and_arithmetic() {
    let time = Timestamp::from_unix_millis(1_709_211_909_250).unwrap();
    assert_eq!(
        time.rfc3339_millis().to_string(),
        "2024-02-29T13:05:09.250Z"
    );
    assert_eq!(time.unix_millis(), 1_709_211_909_250);
    assert_eq!(time.subsec_nanos(), 250_000_000);
    assert_eq!(time.truncated_to_seconds().subsec_nanos(), 0);
    let later = time.checked_add(Duration::from_millis(1_750)).unwrap();
    assert_eq!(later.unix_millis(), 1_709_211_911_000);
    assert_eq!(
        later.duration_since(time),
        Some(Duration::from_millis(1_750))
    );
    assert_eq!(time.duration_since(later), None);
    assert_eq!(later.checked_sub(Duration::from_millis(1_750)), Some(time));
    assert_eq!(
        Timestamp::UNIX_EPOCH.checked_sub(Duration::from_nanos(1)),
        None
    );
    assert_eq!(Timestamp::MAX.checked_add(Duration::from_nanos(1)), None);
    assert_eq!(Timestamp::new(0, 1_000_000_000), None);
    assert_eq!(Timestamp::from_unix_seconds(MAX_SECONDS + 1), None);
}

#[test]
fn malformed_http_dates_are_refused() {
    for text in [
        "",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 29 Feb 1900 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1969 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov +994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37 GMT trailing",
        "Sün, 06 Nov 1994 08:49:37 GMT",
    ] {
        assert_eq!(Timestamp::parse_http_date(text), None, "{text:?}");
    }
}

#[test]
fn obsolete_forms_and_leap_seconds() {
    let expected = Timestamp::from_unix_seconds(784_111_777);
    assert_eq!(
        Timestamp::parse_http_date("Sun Nov 06 08:49:37 1994"),
        expected
    );
    assert_eq!(
        Timestamp::parse_http_date("  Sun, 06 Nov 1994 08:49:37 GMT "),
        expected
    );
    let two_thousands = Timestamp::parse_http_date("Monday, 01-Jan-24 00:00:00 GMT").unwrap();
    assert_eq!(two_thousands.rfc3339().to_string(), "2024-01-01T00:00:00Z");
    let leap = Timestamp::parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT").unwrap();
    assert_eq!(leap.rfc3339().to_string(), "2016-12-31T23:59:59Z");
}

proptest! {
    #[test]
    fn days_round_trip_through_dates(days in 0i64..2_932_897) {
        let (year, month, day) = civil_from_days(days);
        prop_assert_eq!(days_from_civil(year, month, day), days);
        prop_assert!((1..=12).contains(&month));
        prop_assert!(day >= 1 && day <= super::civil::days_in_month(year, month));
    }

    #[test]
    fn http_dates_round_trip(seconds in 0u64..=MAX_SECONDS) {
        let time = Timestamp::from_unix_seconds(seconds).unwrap();
        let text = time.http_date().to_string();
        prop_assert_eq!(text.len(), 29);
        prop_assert_eq!(Timestamp::parse_http_date(&text), Some(time));
    }

    #[test]
    fn parsing_anything_never_panics(text in ".{0,40}") {
        let _ = Timestamp::parse_http_date(&text);
    }

    #[test]
    fn rfc3339_orders_like_the_timestamps(first in 0u64..=MAX_SECONDS, second in 0u64..=MAX_SECONDS) {
        let left = Timestamp::from_unix_seconds(first).unwrap();
        let right = Timestamp::from_unix_seconds(second).unwrap();
        prop_assert_eq!(
            left.rfc3339().to_string().cmp(&right.rfc3339().to_string()),
            left.cmp(&right)
        );
    }
}
