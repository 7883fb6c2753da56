//! When to send a request again: on 429 and 5xx (and Anthropic's 529 "overloaded"), after the
//! server's `Retry-After` (seconds or an HTTP date; OpenAI's `retry-after-ms` too) or else an
//! exponential backoff, never longer than the policy allows.

use std::time::{Duration, SystemTime};

/// How often and how long to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first request.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it.
    pub initial_backoff: Duration,
    /// The longest backoff.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a server asking for more ends the request with an
    /// error saying how long it asked for.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 4,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

/// Whether a status is worth retrying.
pub fn is_retryable(status: u16) -> bool {
    status == 429 || status == 529 || (500..600).contains(&status) && status != 501 && status != 505
}

impl RetryPolicy {
    /// The backoff before retry number `retry` (1 is the first retry).
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// The wait before retry number `retry`, from the server's headers when it sent any.
    /// `Err` carries a server-requested wait longer than the policy allows.
    pub fn delay(
        &self,
        retry: u32,
        retry_after: Option<&str>,
        retry_after_ms: Option<&str>,
        now: SystemTime,
    ) -> Result<Duration, Duration> {
        let asked = retry_after_ms
            .and_then(|text| text.trim().parse::<u64>().ok())
            .map(Duration::from_millis)
            .or_else(|| retry_after.and_then(|text| parse_retry_after(text, now)));
        match asked {
            Some(asked) if asked > self.max_retry_after => Err(asked),
            Some(asked) => Ok(asked),
            None => Ok(self.backoff(retry)),
        }
    }
}

/// A `Retry-After` value: delay seconds, or an HTTP date (a date in the past is no wait).
pub fn parse_retry_after(text: &str, now: SystemTime) -> Option<Duration> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = text.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::from_secs_f64(seconds.min(1e9)));
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_statuses() {
        for status in [429, 500, 502, 503, 504, 529] {
            assert!(is_retryable(status), "{status}");
        }
        for status in [200, 400, 401, 403, 404, 501, 505] {
            assert!(!is_retryable(status), "{status}");
        }
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = RetryPolicy::default();
        let waits: Vec<u64> = (1..=7)
            .map(|retry| policy.backoff(retry).as_secs())
            .collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30]);
        assert_eq!(policy.backoff(100), Duration::from_secs(30));
    }

    #[test]
    fn retry_after_in_seconds_dates_and_milliseconds() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(1, Some("7"), None, now),
            Ok(Duration::from_secs(7))
        );
        assert_eq!(
            policy.delay(1, Some("Wed, 21 Oct 2015 07:28:10 GMT"), None, now),
            Ok(Duration::from_secs(10))
        );
        assert_eq!(
            policy.delay(1, Some("Wed, 21 Oct 2015 07:20:00 GMT"), None, now),
            Ok(Duration::ZERO)
        );
        assert_eq!(
            policy.delay(1, Some("7"), Some("250"), now),
            Ok(Duration::from_millis(250))
        );
        assert_eq!(
            policy.delay(3, Some("soon"), None, now),
            Ok(Duration::from_secs(4))
        );
        assert_eq!(
            policy.delay(1, Some("3600"), None, now),
            Err(Duration::from_secs(3600))
        );
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_retry_after("-1", now), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,40}", retry in 0u32..1000) {
            let _ = RetryPolicy::default().delay(retry, Some(&text), Some(&text), SystemTime::now());
        }
    }
}
