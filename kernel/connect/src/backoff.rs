//! Reconnect pacing for pools: exponential, capped, with jitter from a caller-supplied random value.
use alloc::string::String;

/// When the next connection attempt may be made after consecutive failures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Backoff {
    /// Consecutive failed attempts.
    failures: u32,
    /// No attempt before this time (clock milliseconds).
    next_attempt_ms: u64,
    /// Why the last attempt failed.
    reason: String,
}

impl Backoff {
    /// Milliseconds until an attempt is allowed, and why the last one failed; `None` when an
    /// attempt may be made now.
    pub fn waiting(&self, now_ms: u64) -> Option<(u64, &str)> {
        (self.failures > 0 && now_ms < self.next_attempt_ms)
            .then(|| (self.next_attempt_ms - now_ms, self.reason.as_str()))
    }

    /// Records a failed attempt at `now_ms`; `random` is any 64-bit random value.
    pub fn failed(
        &mut self,
        now_ms: u64,
        random: u64,
        initial_ms: u64,
        max_ms: u64,
        reason: String,
    ) {
        self.failures = self.failures.saturating_add(1);
        self.next_attempt_ms =
            now_ms.saturating_add(delay(self.failures, initial_ms, max_ms, random));
        self.reason = reason;
    }

    /// Records a successful attempt: the next failure starts from the initial delay again.
    pub fn succeeded(&mut self) {
        self.failures = 0;
        self.reason.clear();
    }
}

/// The pause after `failures` consecutive failures: the ceiling doubles from `initial_ms` up
/// to `max_ms`, and the pause is drawn from the upper half of it ("equal jitter"), so
/// clients that failed together do not retry together.
pub fn delay(failures: u32, initial_ms: u64, max_ms: u64, random: u64) -> u64 {
    let doublings = failures.saturating_sub(1).min(32);
    let ceiling = initial_ms
        .saturating_mul(1u64 << doublings)
        .min(max_ms)
        .max(1);
    let half = ceiling / 2;
    half + random % (ceiling - half + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_up_to_the_cap_with_jitter_in_the_upper_half() {
        assert_eq!(delay(1, 100, 10_000, 0), 50);
        assert_eq!(delay(1, 100, 10_000, 50), 100);
        assert_eq!(delay(1, 100, 10_000, 51), 50);
        assert_eq!(delay(2, 100, 10_000, 0), 100);
        assert_eq!(delay(3, 100, 10_000, 0), 200);
        assert_eq!(delay(40, 100, 10_000, 0), 5_000);
        for random in 0..1000 {
            let pause = delay(8, 100, 10_000, random * 7919);
            assert!((5_000..=10_000).contains(&pause), "{pause}");
        }
    }

    #[test]
    fn waiting_ends_at_the_next_attempt_and_success_resets() {
        let mut backoff = Backoff::default();
        assert_eq!(backoff.waiting(0), None);
        backoff.failed(1_000, 0, 100, 10_000, String::from("refused"));
        assert_eq!(backoff.waiting(1_000), Some((50, "refused")));
        assert_eq!(backoff.waiting(1_050), None);
        backoff.failed(1_050, 0, 100, 10_000, String::from("refused"));
        assert_eq!(backoff.waiting(1_050), Some((100, "refused")));
        backoff.succeeded();
        assert_eq!(backoff.waiting(1_050), None);
    }
}
