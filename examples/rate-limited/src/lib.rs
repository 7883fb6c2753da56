//! A quote API with a rate limit per client address: at most five requests in any second.
//!
//! # Map
//! - [`quotes`]: the handler and the five quotes.
//! - [`limiter`]: each client's last requests, by address.
//!
//! # Rules
//! 1. Each client address gets at most [`limiter::LIMIT`] answers in any
//!    [`limiter::WINDOW_MS`] milliseconds (a sliding window, not calendar seconds); a request
//!    beyond that is 429 with `Retry-After` (whole seconds until one is accepted again) and a
//!    JSON error, and is not counted.
//! 2. At most [`limiter::MAX_CLIENTS`] clients are remembered: one whose requests have all
//!    left the window is forgotten first; if none has, the one whose last request is oldest.
//! 3. The address is the TCP peer's: behind NAT or QEMU's user networking (where every host
//!    client arrives from the gateway's address), clients that share an address share a limit.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod limiter;
pub mod quotes;

use sauce_app::{handler, Method, Route, Router, Shared};

/// The app's state: made once at boot, shared by every handler.
pub struct App {
    /// Each client's recent requests.
    pub limiter: Shared<limiter::Limiter>,
}

/// Builds the state at boot (`init = "init"` in sauce.toml).
pub fn init() -> App {
    App {
        limiter: Shared::new(limiter::Limiter::default()),
    }
}

/// The handler routes of sauce.toml, for tests.
pub fn router() -> Router<App> {
    Router::new().add_route(
        Route::new("/quote", &[Method::Get], handler!(quotes::quote)).cache_control("no-store"),
    )
}
