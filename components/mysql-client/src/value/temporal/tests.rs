//! Calendar checks, server text, and display/parse round trips.
use super::*;
use alloc::string::ToString;
use proptest::prelude::*;

#[test]
fn the_calendar_is_checked_for_new_values() {
    assert!(Date::new(2024, 2, 29).is_some());
    assert!(Date::new(2023, 2, 29).is_none());
    assert!(Date::new(1900, 2, 29).is_none());
    assert!(Date::new(2000, 2, 29).is_some());
    assert!(Date::new(2024, 13, 1).is_none());
    assert!(Date::new(2024, 1, 0).is_none());
    let date = Date::new(2024, 1, 31).unwrap();
    assert!(DateTime::new(date, 24, 0, 0, 0).is_none());
    assert!(DateTime::new(date, 23, 59, 59, 999_999).is_some());
    assert!(Time::new(true, 34, 22, 59, 59, 0).is_some());
    assert!(Time::new(false, 0, 24, 0, 0, 0).is_none());
}

#[test]
fn server_text_parses_including_zero_dates_and_fractions() {
    assert_eq!(Date::parse(b"0000-00-00"), Some(Date::default()));
    assert_eq!(
        DateTime::parse(b"2024-03-05 07:08:09.25"),
        Some(DateTime {
            date: Date::new(2024, 3, 5).unwrap(),
            hour: 7,
            minute: 8,
            second: 9,
            microsecond: 250_000
        })
    );
    let time = Time::parse(b"-838:59:59.000001").unwrap();
    assert!(time.negative);
    assert_eq!((time.days, time.hours), (34, 22));
    assert_eq!(time.microseconds, 1);
    assert_eq!(time.to_string(), "-838:59:59.000001");
    assert_eq!(Time::parse(b"00:00:00"), Some(Time::default()));
    for bad in [
        &b"2024-3-05"[..],
        b"2024-03-05 7:08:09",
        b"2024-03-05 07:08:09.",
        b"2024-03-05 07:08:09.1234567",
        b"2024-13-01 00:00:00",
        b"2024-03-05 07:60:00",
        b"2024-03-05T07:08:09",
    ] {
        assert_eq!(DateTime::parse(bad), None, "{bad:?}");
    }
    assert_eq!(Time::parse(b"1234567890:00:00"), None);
    assert_eq!(Time::parse(b"-"), None);
}

proptest! {
    #[test]
    fn display_and_parse_round_trip(year in 0u16..=9999, month in 0u8..=12, day in 0u8..=31, hour in 0u8..24, minute in 0u8..60, second in 0u8..60, microsecond in 0u32..1_000_000) {
        let value = DateTime { date: Date { year, month, day }, hour, minute, second, microsecond };
        prop_assert_eq!(DateTime::parse(value.to_string().as_bytes()), Some(value));
        prop_assert_eq!(Date::parse(value.date.to_string().as_bytes()), Some(value.date));
    }

    #[test]
    fn times_round_trip(negative in any::<bool>(), days in 0u32..40_000_000, hours in 0u8..24, minutes in 0u8..60, seconds in 0u8..60, microseconds in 0u32..1_000_000) {
        let value = Time { negative, days, hours, minutes, seconds, microseconds };
        prop_assert_eq!(Time::parse(value.to_string().as_bytes()), Some(value));
    }

    #[test]
    fn arbitrary_text_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        let _ = (Date::parse(&bytes), DateTime::parse(&bytes), Time::parse(&bytes));
    }
}
