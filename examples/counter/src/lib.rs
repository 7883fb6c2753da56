//! Counts requests and reports the rate over the last minute: app state plus a periodic task.
//!
//! Each request to `/` adds one to the current second; [`tick`] runs every second and moves
//! that count into a window of the last 60 seconds, which `GET /stats` sums.
//!
//! # Map
//! - [`init`], [`router`], [`every_second`]: what the board (or a test) wires.
//! - [`hello`], [`stats`]: the handlers; [`tick`]: the periodic task.
//!
//! # Rules
//! 1. The window holds exactly the last 60 completed seconds; the current second is not in it.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

use core::time::Duration;

use sauce_app::{handler, periodic, Method, Periodic, Request, Response, Result, Router, Shared};
use serde::Serialize;

/// Seconds the window covers.
pub const WINDOW: usize = 60;

/// Requests per second over the last minute.
pub struct Counts {
    /// Requests in the second going on now.
    current: u64,
    /// Requests in each of the last [`WINDOW`] seconds (a ring; `next` is the oldest).
    seconds: [u64; WINDOW],
    next: usize,
}

impl Default for Counts {
    fn default() -> Counts {
        Counts {
            current: 0,
            seconds: [0; WINDOW],
            next: 0,
        }
    }
}

/// The app's state.
pub struct App {
    /// The counts, changed by the handlers and by [`tick`].
    pub counts: Shared<Counts>,
}

/// Builds the state at boot.
pub fn init() -> App {
    App {
        counts: Shared::new(Counts::default()),
    }
}

/// The routes of sauce.toml.
pub fn router() -> Router<App> {
    Router::new()
        .route("/", &[Method::Get], handler!(hello))
        .route("/stats", &[Method::Get], handler!(stats))
}

/// The periodic task of sauce.toml.
pub fn every_second() -> Periodic<App> {
    periodic!(Duration::from_secs(1), tick)
}

/// `GET /`: counted.
pub async fn hello(_request: Request, app: &'static App) -> Result {
    app.counts.with_mut(|counts| counts.current += 1);
    Ok(Response::text("hello\n"))
}

/// What `GET /stats` answers.
#[derive(Serialize)]
struct Stats {
    last_minute: u64,
    per_second: f64,
}

/// `GET /stats`: requests over the last minute, and the average per second.
pub async fn stats(_request: Request, app: &'static App) -> Result {
    let last_minute: u64 = app.counts.with(|counts| counts.seconds.iter().sum());
    Response::json(&Stats {
        last_minute,
        per_second: last_minute as f64 / WINDOW as f64,
    })
    .with_cache_control("no-store")
}

/// Every second: the current second's count enters the window, the oldest leaves.
pub async fn tick(app: &'static App) {
    app.counts.with_mut(|counts| {
        let slot = counts.next;
        if let Some(oldest) = counts.seconds.get_mut(slot) {
            *oldest = core::mem::take(&mut counts.current);
        }
        counts.next = (slot + 1) % WINDOW;
    });
}
