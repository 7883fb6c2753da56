//! Machine services behind one trait the kernel implements: configuration, clocks,
//! randomness, sleeping and logging; plus the functions handlers call.
//!
//! The board installs its implementation once at boot with [`install`]. In tests (feature
//! `std`) each thread has its own slot, filled on first use with a default
//! `testing::HostPlatform` (feature `std`), so parallel tests never share a clock or a log.

use alloc::string::String;
use core::time::Duration;

use crate::handler::BoxFuture;
use crate::log::LogRecord;
use crate::time::Timestamp;

/// What the machine provides to apps. The kernel implements it once; tests use
/// `testing::HostPlatform` (feature `std`).
///
/// ```
/// use core::time::Duration;
/// use sauce_app::{AppPlatform, BoxFuture, LogRecord, Timestamp};
///
/// /// A platform whose clock stands still and whose "randomness" is a counter: for a doc test only.
/// struct Frozen;
///
/// impl AppPlatform for Frozen {
///     fn env(&self, key: &str) -> Option<&'static str> {
///         (key == "GREETING").then_some("hello")
///     }
///     fn now(&self) -> Timestamp { Timestamp::UNIX_EPOCH }
///     fn monotonic_ms(&self) -> u64 { 0 }
///     fn random_bytes(&self, destination: &mut [u8]) {
///         for (index, byte) in destination.iter_mut().enumerate() { *byte = index as u8; }
///     }
///     fn sleep(&self, _duration: Duration) -> BoxFuture<()> { Box::pin(async {}) }
///     fn log(&self, record: &LogRecord<'_>) { println!("{record}"); }
/// }
///
/// static FROZEN: Frozen = Frozen;
/// sauce_app::install(&FROZEN).unwrap();
/// assert_eq!(sauce_app::env("GREETING"), Some("hello"));
/// assert_eq!(sauce_app::random_u64(), u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7]));
/// ```
pub trait AppPlatform: Sync {
    /// The run-time configuration value `key` (`[app.env]` defaults, overridden by
    /// `sauce run --env`), or `None` when it is not set.
    fn env(&self, key: &str) -> Option<&'static str>;

    /// The UTC wall clock.
    fn now(&self) -> Timestamp;

    /// Milliseconds since boot, never going backwards.
    fn monotonic_ms(&self) -> u64;

    /// Fills `destination` with unpredictable bytes (RDRAND/RDSEED, or a seeded generator).
    fn random_bytes(&self, destination: &mut [u8]);

    /// A future that completes once `duration` has passed, on the executor's timers.
    fn sleep(&self, duration: Duration) -> BoxFuture<()>;

    /// Writes one log line (the serial console in an image).
    fn log(&self, record: &LogRecord<'_>);
}

/// A platform was installed already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlreadyInstalled;

impl core::fmt::Display for AlreadyInstalled {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.write_str("an app platform is installed already")
    }
}

impl core::error::Error for AlreadyInstalled {}

#[cfg(not(any(test, feature = "std")))]
mod slot {
    use super::{AlreadyInstalled, AppPlatform};

    static PLATFORM: spin::Once<&'static dyn AppPlatform> = spin::Once::new();

    pub(super) fn install(platform: &'static dyn AppPlatform) -> Result<(), AlreadyInstalled> {
        let mut fresh = false;
        PLATFORM.call_once(|| {
            fresh = true;
            platform
        });
        if fresh {
            Ok(())
        } else {
            Err(AlreadyInstalled)
        }
    }

    pub(super) fn installed() -> Option<&'static dyn AppPlatform> {
        PLATFORM.get().copied()
    }
}

#[cfg(any(test, feature = "std"))]
mod slot {
    use super::{AlreadyInstalled, AppPlatform};
    use std::cell::Cell;

    std::thread_local! {
        static PLATFORM: Cell<Option<&'static dyn AppPlatform>> = const { Cell::new(None) };
    }

    pub(super) fn install(platform: &'static dyn AppPlatform) -> Result<(), AlreadyInstalled> {
        if PLATFORM.get().is_some() {
            return Err(AlreadyInstalled);
        }
        PLATFORM.set(Some(platform));
        Ok(())
    }

    pub(super) fn replace(platform: &'static dyn AppPlatform) {
        PLATFORM.set(Some(platform));
    }

    pub(super) fn installed() -> Option<&'static dyn AppPlatform> {
        if PLATFORM.get().is_none() {
            crate::testing::HostPlatform::new().install_for_this_thread();
        }
        PLATFORM.get()
    }
}

/// Installs the machine's services; the board calls this once at boot, before any handler.
/// With feature `std` the slot is per thread (tests).
pub fn install(platform: &'static dyn AppPlatform) -> Result<(), AlreadyInstalled> {
    slot::install(platform)
}

/// Replaces this thread's platform (feature `std`, for tests).
#[cfg(any(test, feature = "std"))]
pub(crate) fn replace_for_this_thread(platform: &'static dyn AppPlatform) {
    slot::replace(platform);
}

/// The installed platform, if any (logging without one is dropped).
pub(crate) fn installed() -> Option<&'static dyn AppPlatform> {
    slot::installed()
}

fn platform() -> &'static dyn AppPlatform {
    match slot::installed() {
        Some(platform) => platform,
        None => {
            panic!("no AppPlatform installed: the board installs one at boot (sauce_app::install)")
        }
    }
}

/// The run-time configuration value `key`, or `None` when it is not set.
///
/// ```
/// assert_eq!(sauce_app::env("SURELY_NOT_SET"), None);
/// ```
pub fn env(key: &str) -> Option<&'static str> {
    slot::installed().and_then(|platform| platform.env(key))
}

/// The UTC wall clock.
///
/// # Panics
/// When no platform is installed (a wiring mistake; with `std` there always is one).
pub fn now() -> Timestamp {
    platform().now()
}

/// Milliseconds since boot, never going backwards.
///
/// # Panics
/// When no platform is installed.
pub fn monotonic_ms() -> u64 {
    platform().monotonic_ms()
}

/// Fills `destination` with unpredictable bytes.
///
/// # Panics
/// When no platform is installed: never zeros in place of randomness.
pub fn random_bytes(destination: &mut [u8]) {
    platform().random_bytes(destination);
}

/// A random `u64`.
pub fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    random_bytes(&mut bytes);
    u64::from_le_bytes(bytes)
}

/// A random URL-safe id of 22 characters (`A–Z a–z 0–9 - _`, 132 bits): unguessable.
///
/// ```
/// let id = sauce_app::random_id();
/// assert_eq!(id.len(), 22);
/// assert!(id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
/// ```
pub fn random_id() -> String {
    random_string(22)
}

/// A random URL-safe string of `length` characters (6 bits each), e.g. short link codes.
pub fn random_string(length: usize) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut text = String::with_capacity(length);
    let mut bytes = [0u8; 32];
    while text.len() < length {
        random_bytes(&mut bytes);
        for byte in bytes.iter().take(length - text.len()) {
            // 256 is a multiple of 64: taking the low six bits keeps every character equally likely.
            text.push(char::from(ALPHABET[usize::from(byte & 63)]));
        }
    }
    text
}

/// Waits `duration` without blocking other requests (the executor runs them meanwhile).
///
/// # Panics
/// When no platform is installed.
pub async fn sleep(duration: Duration) {
    platform().sleep(duration).await;
}
