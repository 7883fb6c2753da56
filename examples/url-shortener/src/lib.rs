//! A URL shortener over HTTP: short codes for http(s) URLs, a redirect per code, visits counted.
//!
//! `sauce.toml` names the handlers and the `init` function; the board calls `init` once at boot
//! and hands its value to every handler as `&'static App`. [`router`] builds the same route
//! table for the tests, which run on the host with `cargo test`.
//!
//! # Map
//! - [`links`]: the handlers and the store of links.
//! - [`url`]: which URLs a link may point to.
//!
//! # Rules
//! 1. A link points only to an `http` or `https` URL of printable ASCII, with a host and
//!    without a user name or password, at most [`url::MAX_LENGTH`] bytes; anything else is 422.
//! 2. Codes are [`links::CODE_LENGTH`] random characters (`A–Z a–z 0–9 - _`), never reused
//!    while the image runs; the store holds at most [`links::MAX_LINKS`] links (507 beyond).
//! 3. Every visit to `GET /{code}` counts once and answers 308 with `Cache-Control: no-store`,
//!    so a browser asks again next time; every error is JSON `{"error": "…"}`.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod links;
pub mod url;

use sauce_app::{handler, Method, Route, Router, Shared};

/// The longest request body `POST /links` accepts, in bytes (larger bodies get 413).
pub const BODY_LIMIT: usize = 4096;

/// The app's state: made once at boot, shared by every handler.
pub struct App {
    /// The links, by code.
    pub links: Shared<links::Store>,
}

/// Builds the state at boot (`init = "init"` in sauce.toml).
pub fn init() -> App {
    App {
        links: Shared::new(links::Store::default()),
    }
}

/// The handler routes of sauce.toml, for tests.
pub fn router() -> Router<App> {
    Router::new()
        .add_route(
            Route::new("/links", &[Method::Post], handler!(links::create)).body_limit(BODY_LIMIT),
        )
        .add_route(
            Route::new(
                "/links/{code}/stats",
                &[Method::Get],
                handler!(links::stats),
            )
            .cache_control("no-store"),
        )
        .add_route(
            Route::new("/{code}", &[Method::Get], handler!(links::follow))
                .cache_control("no-store"),
        )
}
