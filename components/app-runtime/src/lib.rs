//! Runs a SauceOS app's own code in the image: the app API's platform over the kernel, the
//! app's router behind the HTTP server, handlers and periodic tasks on the executor.
//!
//! The HTTP server hands a complete request for one of the app's paths to the
//! [`Dispatcher`](dispatch::Dispatcher), which polls the route's handler once, immediately (most
//! answer there, in the same turn of the network loop); a handler that waits becomes a task,
//! whose response comes back through a queue the HTTP service drains when the task raises the
//! network loop's signal. A handler that panics ends the guest with the route, the request id and the
//! message on serial (exit status 3), and `sauce run --restart on-failure` boots it again in
//! milliseconds (record 0016).
//!
//! # Map
//! - [`routes`]: [`AppRouter`](routes::AppRouter), the app's patterns as the HTTP server asks
//!   about them.
//! - [`dispatch`]: [`Dispatcher`](dispatch::Dispatcher): requests in, tasks spawned, responses
//!   out; `AppRequest` → `sauce_app::Request`, `sauce_app::Response` → `AppResponse`.
//! - [`environment`]: run-time values: `[app.env]` defaults and `sauce.env.KEY=` on the kernel
//!   command line (percent-encoded by `sauce run --env`).
//! - `kernel` (images only): the [`AppPlatform`](sauce_app::AppPlatform) over the runtime.
//! - `board` (images only): the component's contract with the generated board.
//!
//! # Rules
//! 1. Responses leave in request order per connection (the server reads no further request
//!    until the app answered), whatever order handlers finish in.
//! 2. A response for a connection that ended meanwhile is dropped, never sent to another.
//! 3. Run-time values never come from the image: `[app.env]` gives defaults, the command line
//!    overrides them; neither is logged.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

/// `[config.*]` of component.toml: the generated board fills every field from the manifest's
/// defaults or the intent's `[app]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Configuration {
    /// How long a handler or periodic task may run without yielding (`[app] watchdog`).
    pub watchdog_ms: u64,
    /// How long a request whose handler waits may wait for a free task slot before it is
    /// answered 503 with `Retry-After`.
    pub queue_timeout_ms: u64,
}

impl Configuration {
    /// component.toml's defaults.
    pub const DEFAULT: Configuration = Configuration {
        watchdog_ms: 5_000,
        queue_timeout_ms: 1_000,
    };
}

pub mod dispatch;
pub mod environment;
pub mod routes;

#[cfg(target_os = "none")]
pub mod board;
#[cfg(target_os = "none")]
mod kernel;
