//! [`ExecutorClock`]: `sauce_connect::Clock` over the executor's clock and timers, for the
//! timeouts and backoff of clients running as tasks.
use core::time::Duration;

/// The running executor's clock; sleeping is the executor's timer. Use it from tasks (outside
/// a running executor `now_ms` is 0 and sleeping panics, as `sauce_executor::sleep` does).
#[derive(Clone, Copy, Debug, Default)]
pub struct ExecutorClock;

impl sauce_connect::Clock for ExecutorClock {
    fn now_ms(&self) -> u64 {
        sauce_executor::try_now().map_or(0, |now| now.as_nanoseconds() / 1_000_000)
    }

    async fn sleep_ms(&self, milliseconds: u64) {
        sauce_executor::sleep(Duration::from_millis(milliseconds)).await;
    }
}
