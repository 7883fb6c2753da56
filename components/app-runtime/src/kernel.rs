//! The app API's platform over the kernel: env from the command line and `[app.env]`, the
//! wall clock from `sauce.time=` plus the time stamp counter, randomness (the entropy
//! component's generator), the executor's
//! timers, and the serial log.
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use sauce_app::{AppPlatform, BoxFuture, LogRecord, Timestamp};

use sauce_entropy::{RngCore, SystemRandom};

/// What the app reads of the machine.
pub(crate) struct KernelPlatform {
    /// Run-time values, leaked once at boot.
    env: Vec<(&'static str, &'static str)>,
    /// The host's wall clock at launch, in Unix milliseconds (`sauce.time=`), if given.
    launched_at_ms: Option<u64>,
}

impl KernelPlatform {
    pub(crate) fn new(env: Vec<(String, String)>, launched_at_ms: Option<u64>) -> KernelPlatform {
        let env = env
            .into_iter()
            .map(|(key, value)| {
                let key: &'static str = Box::leak(key.into_boxed_str());
                let value: &'static str = Box::leak(value.into_boxed_str());
                (key, value)
            })
            .collect();
        KernelPlatform {
            env,
            launched_at_ms,
        }
    }
}

fn milliseconds() -> u64 {
    sauce_runtime::clock::now_nanoseconds() / 1_000_000
}

impl AppPlatform for KernelPlatform {
    fn env(&self, key: &str) -> Option<&'static str> {
        self.env
            .iter()
            .find(|(known, _)| *known == key)
            .map(|(_, value)| *value)
    }

    fn now(&self) -> Timestamp {
        let now = self
            .launched_at_ms
            .unwrap_or(0)
            .saturating_add(milliseconds());
        Timestamp::from_unix_millis(now).unwrap_or_default()
    }

    fn monotonic_ms(&self) -> u64 {
        milliseconds()
    }

    fn random_bytes(&self, destination: &mut [u8]) {
        // The image's one generator (the entropy component, seeded at boot).
        SystemRandom.fill_bytes(destination);
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<()> {
        Box::pin(sauce_executor::sleep(duration))
    }

    fn log(&self, record: &LogRecord<'_>) {
        let level = match record.level {
            sauce_app::Level::Debug => sauce_runtime::sauce_core::log::Level::Debug,
            sauce_app::Level::Info => sauce_runtime::sauce_core::log::Level::Info,
            sauce_app::Level::Warn => sauce_runtime::sauce_core::log::Level::Warn,
            sauce_app::Level::Error => sauce_runtime::sauce_core::log::Level::Error,
        };
        match (record.route.is_empty(), record.request_id) {
            (true, _) => sauce_runtime::log::log(level, format_args!("app: {}", record.message)),
            (false, None) => sauce_runtime::log::log(
                level,
                format_args!("app {}: {}", record.route, record.message),
            ),
            (false, Some(id)) => sauce_runtime::log::log(
                level,
                format_args!("app {} #{id}: {}", record.route, record.message),
            ),
        }
    }
}
