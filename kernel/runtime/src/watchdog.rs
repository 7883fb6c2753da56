//! A watchdog for code that must yield: while a watched stretch runs (an app handler's poll),
//! the timer is armed for its limit; if the timer interrupt finds it still running past the
//! limit, the image stops with a fault report (which names the request being handled), as a
//! panic would. An infinite loop in a handler cannot hang the guest silently.
use core::sync::atomic::{AtomicU64, Ordering};

/// When the watched stretch running now must have ended (nanoseconds since boot); 0: none.
static DEADLINE: AtomicU64 = AtomicU64::new(0);
/// Its limit, for the report.
static LIMIT_MS: AtomicU64 = AtomicU64::new(0);

/// Starts watching a stretch of code that must finish within `limit_ms`.
pub fn start(limit_ms: u64) {
    let deadline =
        crate::clock::now_nanoseconds().saturating_add(limit_ms.saturating_mul(1_000_000));
    LIMIT_MS.store(limit_ms, Ordering::Relaxed);
    DEADLINE.store(deadline.max(1), Ordering::Release);
    crate::timer::arm(Some(deadline));
}

/// The watched stretch ended in time. (The timer stays armed: whoever sleeps next re-arms it,
/// and an interrupt that finds nothing watched does nothing.)
pub fn stop() {
    DEADLINE.store(0, Ordering::Release);
}

/// Called by the timer interrupt: stops the image when a watched stretch overran.
pub(crate) fn check() {
    let deadline = DEADLINE.load(Ordering::Acquire);
    if deadline != 0 && crate::clock::now_nanoseconds() >= deadline {
        DEADLINE.store(0, Ordering::Release);
        panic!(
            "watchdog: code ran for more than {} ms without yielding (an endless loop?)",
            LIMIT_MS.load(Ordering::Relaxed)
        );
    }
}
