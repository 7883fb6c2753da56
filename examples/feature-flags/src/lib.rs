//! A feature-flag service: named on/off flags, the enabled ones at start from `FLAGS`.
//!
//! # Map
//! - [`flags`]: the handlers and the flag table.
//!
//! # Rules
//! 1. A flag name is 1–[`flags::NAME_LIMIT`] ASCII letters, digits, `-`, `_` or `.`
//!    (case-sensitive); `PUT` of another name is 422, a `FLAGS` entry of another name is
//!    skipped with a warning.
//! 2. `FLAGS` is read once, when the first request arrives (the run-time settings are in place
//!    by then): every name it lists starts enabled.
//! 3. At most [`flags::MAX_FLAGS`] flags exist; `PUT` of a new one beyond that is 507.
//! 4. Flags live in memory: a restarted image starts again from `FLAGS`.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod flags;

use sauce_app::{handler, Method, Route, Router, Shared};

/// The run-time setting that lists the flags enabled at start.
pub const FLAGS_KEY: &str = "FLAGS";
/// The largest body `PUT /flags/{name}` accepts, in bytes (larger bodies get 413).
pub const BODY_LIMIT: usize = 1024;

/// The app's state: made once at boot, shared by every handler.
pub struct App {
    /// The flags; `None` until the first request reads `FLAGS`.
    pub flags: Shared<Option<flags::Flags>>,
}

/// Builds the state at boot (`init = "init"` in sauce.toml).
pub fn init() -> App {
    App {
        flags: Shared::new(None),
    }
}

/// The handler routes of sauce.toml, for tests.
pub fn router() -> Router<App> {
    Router::new()
        .add_route(
            Route::new("/flags", &[Method::Get], handler!(flags::list)).cache_control("no-store"),
        )
        .add_route(
            Route::new(
                "/flags/{name}",
                &[Method::Get, Method::Put],
                handler!(flags::flag),
            )
            .body_limit(BODY_LIMIT)
            .cache_control("no-store"),
        )
}
