//! `HostPlatform`: the machine services for tests — a virtual or real clock, settable
//! configuration, seeded randomness, captured log lines.

use std::boxed::Box;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::string::{String, ToString};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant, SystemTime};
use std::vec::Vec;

use crate::handler::BoxFuture;
use crate::log::LogRecord;
use crate::platform::AppPlatform;
use crate::time::Timestamp;

/// 2024-01-01T00:00:00Z: where the virtual wall clock starts unless told otherwise.
const DEFAULT_START: u64 = 1_704_067_200;

/// Machine services for host tests.
///
/// By default the clock is *virtual*: it starts at 2024-01-01T00:00:00Z (monotonic time at 0)
/// and moves only when [`HostPlatform::advance`] is called or the test driver jumps to the next
/// pending sleep. Randomness comes from a seeded generator (SplitMix64): the same seed gives the
/// same ids in every run. It is **not** for production: the kernel implements
/// [`AppPlatform`] with RDRAND/RDSEED.
///
/// ```
/// use sauce_app::testing::HostPlatform;
/// use std::time::Duration;
///
/// let platform = HostPlatform::new()
///     .with_env("GREETING", "hi")
///     .seed(7)
///     .install_for_this_thread();
/// assert_eq!(sauce_app::env("GREETING"), Some("hi"));
/// assert_eq!(sauce_app::now().rfc3339().to_string(), "2024-01-01T00:00:00Z");
/// platform.advance(Duration::from_secs(90));
/// assert_eq!(sauce_app::now().rfc3339().to_string(), "2024-01-01T00:01:30Z");
/// assert_eq!(sauce_app::monotonic_ms(), 90_000);
/// ```
#[derive(Clone)]
pub struct HostPlatform {
    state: Arc<Mutex<HostState>>,
}

struct HostState {
    clock: Clock,
    sleepers: Vec<(Duration, Waker)>,
    env: BTreeMap<String, &'static str>,
    random: u64,
    logs: Vec<String>,
    echo: bool,
}

#[derive(Clone, Copy)]
enum Clock {
    Virtual {
        wall_start: Timestamp,
        elapsed: Duration,
    },
    Real {
        wall_start: Timestamp,
        started: Instant,
    },
}

impl Default for HostPlatform {
    fn default() -> HostPlatform {
        HostPlatform::new()
    }
}

impl HostPlatform {
    /// A virtual clock at 2024-01-01T00:00:00Z, no configuration, seed 0, logs captured.
    pub fn new() -> HostPlatform {
        let wall_start = Timestamp::from_unix_seconds(DEFAULT_START).unwrap_or_default();
        HostPlatform {
            state: Arc::new(Mutex::new(HostState {
                clock: Clock::Virtual {
                    wall_start,
                    elapsed: Duration::ZERO,
                },
                sleepers: Vec::new(),
                env: BTreeMap::new(),
                random: 0,
                logs: Vec::new(),
                echo: false,
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HostState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts the virtual wall clock at `time`.
    pub fn starting_at(self, time: Timestamp) -> HostPlatform {
        if let Clock::Virtual { wall_start, .. } = &mut self.lock().clock {
            *wall_start = time;
        }
        self
    }

    /// Uses the real clocks (the system's wall clock and `Instant`); sleeps really wait.
    pub fn real_clock(self) -> HostPlatform {
        let since_epoch = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        let wall_start =
            Timestamp::new(since_epoch.as_secs(), since_epoch.subsec_nanos()).unwrap_or_default();
        self.lock().clock = Clock::Real {
            wall_start,
            started: Instant::now(),
        };
        self
    }

    /// Seeds the random generator.
    pub fn seed(self, seed: u64) -> HostPlatform {
        self.lock().random = seed;
        self
    }

    /// Sets a configuration value (as `sauce run --env KEY=VALUE` would).
    pub fn with_env(self, key: &str, value: &str) -> HostPlatform {
        self.set_env(key, value);
        self
    }

    /// Sets a configuration value now. Values live as long as the test process (they are
    /// `&'static str`, as in an image).
    pub fn set_env(&self, key: &str, value: &str) {
        let value: &'static str = Box::leak(value.to_string().into_boxed_str());
        self.lock().env.insert(key.to_string(), value);
    }

    /// Removes a configuration value.
    pub fn remove_env(&self, key: &str) {
        self.lock().env.remove(key);
    }

    /// Also prints each log line to standard error (shown by `cargo test` for failing tests).
    pub fn echo_logs(self, echo: bool) -> HostPlatform {
        self.lock().echo = echo;
        self
    }

    /// Installs this platform for the current thread (replacing any), and returns it.
    pub fn install_for_this_thread(self) -> &'static HostPlatform {
        let platform: &'static HostPlatform = Box::leak(Box::new(self));
        crate::platform::replace_for_this_thread(platform);
        super::set_host(platform);
        platform
    }

    /// Every log line so far, formatted like `INFO /todos/{id} #3: created`.
    pub fn log_lines(&self) -> Vec<String> {
        self.lock().logs.clone()
    }

    /// The log lines so far, forgetting them.
    pub fn take_log_lines(&self) -> Vec<String> {
        std::mem::take(&mut self.lock().logs)
    }

    /// Moves the virtual clock forward, waking the sleeps that are due.
    ///
    /// # Panics
    /// With the real clock, which no test can move.
    pub fn advance(&self, duration: Duration) {
        let target = self.elapsed() + duration;
        self.advance_to(target);
    }

    /// Time since the platform was made (virtual or real).
    pub fn elapsed(&self) -> Duration {
        match self.lock().clock {
            Clock::Virtual { elapsed, .. } => elapsed,
            Clock::Real { started, .. } => started.elapsed(),
        }
    }

    /// How many sleeps are waiting on the virtual clock.
    pub fn pending_timers(&self) -> usize {
        self.lock().sleepers.len()
    }

    pub(super) fn is_virtual(&self) -> bool {
        matches!(self.lock().clock, Clock::Virtual { .. })
    }

    /// The earliest pending sleep's deadline on the virtual clock.
    pub(super) fn next_timer(&self) -> Option<Duration> {
        self.lock()
            .sleepers
            .iter()
            .map(|(deadline, _)| *deadline)
            .min()
    }

    /// Sets the virtual clock to `target` (if later) and wakes every sleep due by then.
    pub(super) fn advance_to(&self, target: Duration) {
        let due: Vec<Waker> = {
            let mut state = self.lock();
            match &mut state.clock {
                Clock::Virtual { elapsed, .. } => *elapsed = (*elapsed).max(target),
                Clock::Real { .. } => panic!("HostPlatform::advance needs the virtual clock"),
            }
            let now = target;
            let (due, waiting): (Vec<_>, Vec<_>) = state
                .sleepers
                .drain(..)
                .partition(|(deadline, _)| *deadline <= now);
            state.sleepers = waiting;
            due.into_iter().map(|(_, waker)| waker).collect()
        };
        due.into_iter().for_each(Waker::wake);
    }
}

impl AppPlatform for HostPlatform {
    fn env(&self, key: &str) -> Option<&'static str> {
        self.lock().env.get(key).copied()
    }

    fn now(&self) -> Timestamp {
        let (wall_start, elapsed) = match self.lock().clock {
            Clock::Virtual {
                wall_start,
                elapsed,
            } => (wall_start, elapsed),
            Clock::Real {
                wall_start,
                started,
            } => (wall_start, started.elapsed()),
        };
        wall_start.checked_add(elapsed).unwrap_or(Timestamp::MAX)
    }

    fn monotonic_ms(&self) -> u64 {
        u64::try_from(self.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn random_bytes(&self, destination: &mut [u8]) {
        let mut state = self.lock();
        for chunk in destination.chunks_mut(8) {
            // SplitMix64: a small, well-mixed, seedable generator.
            state.random = state.random.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut value = state.random;
            value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            value ^= value >> 31;
            let bytes = value.to_le_bytes();
            chunk.copy_from_slice(bytes.get(..chunk.len()).unwrap_or_default());
        }
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<()> {
        Box::pin(HostSleep {
            platform: self.clone(),
            duration,
            deadline: None,
            waker_thread_started: false,
        })
    }

    fn log(&self, record: &LogRecord<'_>) {
        let line = record.to_string();
        let mut state = self.lock();
        if state.echo {
            std::eprintln!("{line}");
        }
        state.logs.push(line);
    }
}

/// A sleep on either clock: virtual sleeps queue for the test driver, real ones spawn a
/// thread that wakes them.
struct HostSleep {
    platform: HostPlatform,
    duration: Duration,
    deadline: Option<Duration>,
    waker_thread_started: bool,
}

impl Future for HostSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        let now = self.platform.elapsed();
        let duration = self.duration;
        let deadline = *self.deadline.get_or_insert(now + duration);
        if now >= deadline {
            return Poll::Ready(());
        }
        if self.platform.is_virtual() {
            let waker = context.waker().clone();
            self.platform.lock().sleepers.push((deadline, waker));
        } else if !self.waker_thread_started {
            self.waker_thread_started = true;
            let waker = context.waker().clone();
            let wait = deadline - now;
            std::thread::spawn(move || {
                std::thread::sleep(wait);
                waker.wake();
            });
        }
        Poll::Pending
    }
}

#[cfg(test)]
#[path = "host_platform_tests.rs"]
mod tests;
