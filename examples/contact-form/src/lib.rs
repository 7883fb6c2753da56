//! A contact form's handler: messages posted from an HTML form, kept in memory, listed as JSON.
//!
//! The form (`/`) and the thank-you page (`/thanks`) are static files of the image; this crate
//! handles `POST /contact` and `GET /messages`.
//!
//! # Map
//! - [`messages`]: the handlers and the kept messages.
//!
//! # Rules
//! 1. A message needs a `name` (1–[`messages::NAME_LIMIT`] characters) and a `message`
//!    (1–[`messages::MESSAGE_LIMIT`] characters), neither blank; else 422 with a JSON error.
//! 2. A kept message answers 303 to `/thanks` (post/redirect/get: reloading the thank-you
//!    page sends nothing again).
//! 3. The newest [`messages::MAX_MESSAGES`] messages are kept, oldest first; an older one is
//!    dropped when a new one arrives.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod messages;

use sauce_app::{handler, Method, Route, Router, Shared};

/// The largest form `POST /contact` accepts, in bytes (larger bodies get 413).
pub const BODY_LIMIT: usize = 8 << 10;

/// The app's state: made once at boot, shared by every handler.
pub struct App {
    /// The kept messages, oldest first.
    pub messages: Shared<messages::Inbox>,
}

/// Builds the state at boot (`init = "init"` in sauce.toml).
pub fn init() -> App {
    App {
        messages: Shared::new(messages::Inbox::default()),
    }
}

/// The handler routes of sauce.toml, for tests.
pub fn router() -> Router<App> {
    Router::new()
        .add_route(
            Route::new("/contact", &[Method::Post], handler!(messages::contact))
                .body_limit(BODY_LIMIT),
        )
        .add_route(
            Route::new("/messages", &[Method::Get], handler!(messages::list))
                .cache_control("no-store"),
        )
}
