//! Notes kept in Postgres: examples/todo-api's HTTP contract under `/notes`, each note a row of
//! the `notes` table, so they survive a restart of the guest.
//!
//! The database is sauce.toml's `[[database]] main`; its URL is given at run time (`sauce run
//! --env DATABASE_URL=postgres://…`), and the board makes its pool at boot. Handlers reach it
//! with `sauce_postgres::pool("main")`; without one (no URL given, or the server down) they
//! answer 503 with `Retry-After`, and they recover by themselves when it comes up.
//!
//! # Map
//! - [`notes`]: the handlers, the table and its queries.
//! - [`database`]: the pool, the table created once, database errors as HTTP errors.
//!
//! # Rules
//! 1. Ids start at 1 and only increase; a deleted id is never reused (an identity column).
//! 2. Every error is JSON `{"error": "…"}`: 400 unparsable body, 404 unknown or non-numeric id,
//!    413 body over [`BODY_LIMIT`], 422 invalid fields, 503 (with `Retry-After`) while the
//!    database cannot be reached, 504 when it does not answer within the pool's timeout.
//! 3. Values reach SQL only as bound parameters; the request is checked before the database
//!    is asked, so a bad request is answered the same with or without it.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod database;
pub mod notes;

use sauce_app::{handler, Method, Route, Router, Shared};

/// The longest request body a route accepts, in bytes (larger bodies get 413).
pub const BODY_LIMIT: usize = 4096;

/// The app's state: whether the table is known to exist.
pub struct App {
    /// Set once `CREATE TABLE IF NOT EXISTS` succeeded in this boot.
    pub table_ready: Shared<bool>,
}

/// Builds the state at boot (`init = "init"` in sauce.toml).
pub fn init() -> App {
    App {
        table_ready: Shared::new(false),
    }
}

/// The routes of sauce.toml, for tests.
pub fn router() -> Router<App> {
    use Method::{Delete, Get, Patch, Post, Put};
    Router::new()
        .add_route(
            Route::new("/notes", &[Get, Post], handler!(notes::collection)).body_limit(BODY_LIMIT),
        )
        .add_route(
            Route::new(
                "/notes/{id}",
                &[Get, Put, Patch, Delete],
                handler!(notes::item),
            )
            .body_limit(BODY_LIMIT),
        )
}
