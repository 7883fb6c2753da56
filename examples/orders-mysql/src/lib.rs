//! Orders kept in MySQL or MariaDB: an order and its lines are written in one transaction
//! across two tables, so a client never sees an order without its lines, or lines without
//! their order.
//!
//! - `POST /orders` `{"customer": "…", "lines": [{"item": "…", "quantity": n, "price_cents":
//!   n}, …]}` → 201 with `Location` and the order as stored (its `total_cents` summed).
//! - `GET /orders`: every order (`id`, `customer`, `total_cents`), by id.
//! - `GET /orders/{id}`: one order with its lines.
//!
//! The database is sauce.toml's `[[database]] main`, whose URL is given at run time (`sauce
//! run --env DATABASE_URL=mysql://…`); handlers reach its pool with `sauce_mysql::pool("main")`.
//!
//! # Map
//! - [`orders`]: the handlers and the queries.
//! - [`database`]: the pool, the tables created once, database errors as HTTP errors.
//!
//! # Rules
//! 1. An order is stored whole or not at all: the tables check each line (`quantity > 0`,
//!    `price_cents >= 0`, lengths), and a refused line rolls back the order (422).
//! 2. Values reach SQL only as bound parameters of prepared statements.
//! 3. Every error is JSON `{"error": "…"}`: 400 unparsable body, 404 unknown or non-numeric id,
//!    422 invalid fields, 503 (with `Retry-After`) while the database cannot be reached.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod database;
pub mod orders;

use sauce_app::{handler, Method, Route, Router, Shared};

/// The longest request body, in bytes (larger bodies get 413).
pub const BODY_LIMIT: usize = 16 * 1024;

/// The app's state: whether the tables are known to exist.
pub struct App {
    /// Set once both `CREATE TABLE IF NOT EXISTS` succeeded in this boot.
    pub tables_ready: Shared<bool>,
}

/// Builds the state at boot (`init = "init"` in sauce.toml).
pub fn init() -> App {
    App {
        tables_ready: Shared::new(false),
    }
}

/// The routes of sauce.toml, for tests.
pub fn router() -> Router<App> {
    Router::new()
        .add_route(
            Route::new(
                "/orders",
                &[Method::Get, Method::Post],
                handler!(orders::collection),
            )
            .body_limit(BODY_LIMIT),
        )
        .add_route(Route::new(
            "/orders/{id}",
            &[Method::Get],
            handler!(orders::item),
        ))
}
