//! Arbitrary text as dates, times and connection URLs; what parses prints back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sauce_mysql::{DatabaseUrl, Date, DateTime, Time};

fuzz_target!(|data: &[u8]| {
    if let Some(date) = Date::parse(data) {
        assert_eq!(Date::parse(date.to_string().as_bytes()), Some(date));
    }
    if let Some(moment) = DateTime::parse(data) {
        assert_eq!(DateTime::parse(moment.to_string().as_bytes()), Some(moment));
    }
    if let Some(time) = Time::parse(data) {
        assert_eq!(Time::parse(time.to_string().as_bytes()), Some(time));
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(url) = DatabaseUrl::parse(text) {
            assert!(!url.host.is_empty());
            let shown = url.to_string();
            if !url.password.is_empty() {
                assert!(shown.contains(":***@"));
            }
        }
    }
});
