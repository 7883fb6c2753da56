//! A to-do list over HTTP: the reference SauceOS app (`sauce new --template rust-api`).
//!
//! `sauce.toml` names the handlers and the `init` function; the board calls `init` once at
//! boot and hands its value to every handler as `&'static App`. [`router`] builds the same
//! route table for the tests, which run on the host with `sauce test` (or `cargo test`).
//!
//! # Map
//! - [`todos`]: the handlers and the store of to-dos.
//!
//! # Rules
//! 1. Ids start at 1 and only increase; a deleted id is never reused.
//! 2. Every error is JSON `{"error": "…"}`: 400 unparsable body, 404 unknown or non-numeric id,
//!    413 body over [`BODY_LIMIT`], 422 invalid fields.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod todos;

use sauce_app::{handler, Method, Route, Router, Shared};

/// The longest request body a route accepts, in bytes (larger bodies get 413).
pub const BODY_LIMIT: usize = 4096;

/// The app's state: made once at boot, shared by every handler.
pub struct App {
    /// The to-dos. `Shared` gives access inside a closure, so no borrow outlives an `.await`.
    pub todos: Shared<todos::Store>,
}

/// Builds the state at boot (`init = "init"` in sauce.toml).
pub fn init() -> App {
    App {
        todos: Shared::new(todos::Store::default()),
    }
}

/// The routes of sauce.toml, for tests.
pub fn router() -> Router<App> {
    use Method::{Delete, Get, Patch, Post, Put};
    Router::new()
        .add_route(
            Route::new("/todos", &[Get, Post], handler!(todos::collection)).body_limit(BODY_LIMIT),
        )
        .add_route(
            Route::new(
                "/todos/{id}",
                &[Get, Put, Patch, Delete],
                handler!(todos::item),
            )
            .body_limit(BODY_LIMIT),
        )
}
