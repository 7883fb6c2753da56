//! A webhook receiver: JSON deliveries signed with HMAC-SHA256, counted once verified.
//!
//! The sender signs each body with a secret both sides know and puts the hex digest in the
//! `X-Signature` header; the secret reaches the image at run time as `WEBHOOK_SECRET`
//! (`sauce run --env WEBHOOK_SECRET=…`), so the image itself holds none.
//!
//! # Map
//! - [`deliveries`]: the handlers and the count of accepted deliveries.
//! - [`signature`]: the HMAC-SHA256 check of a body against its header.
//!
//! # Rules
//! 1. A delivery is accepted (204) only when `X-Signature` is the HMAC-SHA256 of the exact body
//!    bytes under the secret, as 64 hex digits (optionally after `sha256=`); the digests are
//!    compared in constant time.
//! 2. A missing, malformed or wrong signature is 401; without a configured secret every
//!    signed delivery is 503 (never accepted); a verified body that is not JSON is 400. The
//!    body is read only after its signature is verified.
//! 3. The secret is never logged or answered.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod deliveries;
pub mod signature;

use sauce_app::{handler, Method, Route, Router, Shared};

/// The run-time setting that holds the shared secret.
pub const SECRET_KEY: &str = "WEBHOOK_SECRET";
/// The largest delivery `POST /webhook` accepts, in bytes (larger bodies get 413).
pub const BODY_LIMIT: usize = 64 << 10;

/// The app's state: made once at boot, shared by every handler.
pub struct App {
    /// Deliveries accepted since boot.
    pub accepted: Shared<u64>,
}

/// Builds the state at boot (`init = "init"` in sauce.toml).
pub fn init() -> App {
    App {
        accepted: Shared::new(0),
    }
}

/// The handler routes of sauce.toml, for tests.
pub fn router() -> Router<App> {
    Router::new()
        .add_route(
            Route::new("/webhook", &[Method::Post], handler!(deliveries::receive))
                .body_limit(BODY_LIMIT),
        )
        .add_route(
            Route::new(
                "/webhook/count",
                &[Method::Get],
                handler!(deliveries::count),
            )
            .cache_control("no-store"),
        )
}
