//! Request handlers for SauceOS unikernels: requests, responses, routing, state, time and logs.
//!
//! A SauceOS app is a `sauce.toml` plus an ordinary `no_std` + `alloc` library crate that
//! depends on this one. Its handlers are `async fn`s taking a [`Request`] (and the app's state)
//! and returning a [`Result`]; `sauce.toml` names them, and the generated board puts them in a
//! [`Router`] that the kernel's HTTP service calls. The same crate compiles for the host, where
//! `testing::TestClient` (feature `std`) runs requests through the router without booting.
//!
//! ```
//! use sauce_app::testing::TestClient;
//! use sauce_app::{handler, Error, Method, Request, Response, Result, Router, Shared};
//!
//! /// The app's state: made once at boot by `init`, shared by every handler.
//! pub struct App { notes: Shared<Vec<String>> }
//!
//! pub fn init() -> App {
//!     App { notes: Shared::new(Vec::new()) }
//! }
//!
//! pub async fn note(request: Request, app: &'static App) -> Result {
//!     let index: usize = request.param("index").unwrap_or_default().parse()?;
//!     let note = app.notes.with(|notes| notes.get(index).cloned());
//!     note.map(Response::text).ok_or_else(|| Error::not_found("no such note"))
//! }
//!
//! pub async fn add(request: Request, app: &'static App) -> Result {
//!     let text = request.text()?.to_owned();
//!     let index = app.notes.with_mut(|notes| { notes.push(text); notes.len() - 1 });
//!     Response::created(format!("/notes/{index}"), &index)
//! }
//!
//! let router = Router::new()
//!     .route("/notes", &[Method::Post], handler!(add))
//!     .route("/notes/{index}", &[Method::Get], handler!(note));
//! let client = TestClient::new(router, init());
//! assert_eq!(client.post("/notes").text("milk").send().header("location"), Some("/notes/0"));
//! assert_eq!(client.get("/notes/0").send().text(), "milk");
//! assert_eq!(client.get("/notes/9").send().status(), 404);
//! assert_eq!(client.delete("/notes/0").send().status(), 405);
//! ```
//!
//! # Map
//! - [`request`]: [`Request`] (method, decoded path, parameters, query, headers, body readers
//!   for text, JSON and forms), [`RequestParts`] for the server, [`RequestBuilder`] for tests.
//! - [`response`]: [`Response`] and its constructors.
//! - [`json`]: responses' JSON, written as `serde_json` writes it with fewer instructions.
//! - [`body`]: [`Body`], a response's bytes (`'static` bytes are not copied).
//! - [`headers`]: [`Headers`], a response's header list.
//! - [`error`](mod@error): [`Error`] (status + message, answered as `{"error": "…"}`) and [`Result`].
//! - [`method`]: [`Method`], with extension methods stored inline.
//! - [`pattern`]: [`Pattern`] (`/todos/{id}`, `/{*rest}`), [`Params`], [`PatternError`].
//! - [`router`]: [`Router`] and [`Route`]: dispatch, 404/405/`OPTIONS`/`HEAD`, body limits.
//! - [`handler`](mod@handler): [`Handler`] pointers and the [`handler!`] macro.
//! - [`shared`]: [`Shared`], lock-free mutable state with closure-scoped access.
//! - [`platform`]: [`AppPlatform`] (what the kernel provides), [`install`], [`env`](fn@env), [`now`],
//!   [`monotonic_ms`], randomness, [`sleep`].
//! - [`time`]: [`Timestamp`] with RFC 3339 and HTTP-date formatting and HTTP-date parsing.
//! - [`log`](mod@log): [`info!`], [`warn!`], [`error!`], [`debug!`], [`log!`] and [`LogRecord`].
//! - [`periodic`](mod@periodic): [`Periodic`] background tasks and the [`periodic!`] macro.
//! - [`status`]: [`reason_phrase`] for status lines.
//! - `form` (private): serde deserialisation of query strings and form bodies.
//! - `percent` (private): percent-decoding and the encoding tests use.
//! - `header` (private): what a response header may hold ([`HeaderError`]).
//! - `testing` (feature `std`): `HostPlatform`, `TestClient`, `block_on`, `run_for`,
//!   `join_all`.
//!
//! # Rules
//! 1. No input from the network panics or allocates beyond its own size: requests are built
//!    with checked indexing and lenient decoding; patterns match with `get`; parsers are
//!    property-tested.
//! 2. A response header never carries CR, LF, NUL or another control character, and never
//!    one of the headers the server owns (`Content-Length`, `Transfer-Encoding`, `Connection`,
//!    `Date`, …): the constructors that take header text return [`Result`].
//! 3. Every error a handler returns reaches the client as its status with a JSON body
//!    `{"error": "<message>"}` and `Content-Type: application/json`; errors of 500 and above
//!    are also logged with the route and request id.
//! 4. Paths are matched decoded and split at `/` (an escaped `%2F` is a slash, as for the
//!    kernel's static routes); a literal segment beats a parameter, a parameter beats a
//!    catch-all; routes of the same shape share a method table.
//! 5. Single-threaded: nothing here is `Send`, nothing takes a lock that a handler can hold;
//!    [`Shared`] borrows end before a handler can `.await`.
//! 6. Machine services come only through the installed [`AppPlatform`]; randomness never
//!    falls back to a constant (without a platform, it panics at the call).
//! 7. The request path allocates a fixed, small number of times (one buffer for the head,
//!    one boxed handler future, the response body); `tests/allocations.rs` counts them.
#![cfg_attr(not(any(test, feature = "std")), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod body;
pub mod error;
mod form;
pub mod handler;
mod header;
pub mod headers;
pub mod json;
pub mod log;
pub mod method;
pub mod pattern;
mod percent;
pub mod periodic;
pub mod platform;
pub mod request;
pub mod response;
pub mod router;
pub mod shared;
pub mod status;
#[cfg(any(test, feature = "std"))]
pub mod testing;
pub mod time;

pub use body::Body;
pub use error::Error;
pub use handler::{BoxFuture, Handler};
pub use header::HeaderError;
pub use headers::{HeaderText, Headers};
pub use log::{Level, LogRecord};
pub use method::{ExtensionMethod, Method};
pub use pattern::{Params, Pattern, PatternError};
pub use periodic::{Periodic, TaskFunction};
pub use platform::{
    env, install, monotonic_ms, now, random_bytes, random_id, random_string, random_u64, sleep,
    AlreadyInstalled, AppPlatform,
};
pub use request::{Request, RequestBuilder, RequestParts};
pub use response::Response;
pub use router::{Call, Route, RouteError, Router};
pub use shared::Shared;
pub use status::reason_phrase;
pub use time::{DateTime, Timestamp};

/// A path as received (`/caf%C3%A9`) decoded (`/café`), as routes match it: bytes that are
/// not UTF-8 once decoded read as U+FFFD.
pub fn decode_path(raw: &[u8]) -> alloc::borrow::Cow<'_, str> {
    percent::decode(raw, false)
}

/// What a handler returns: a [`Response`], or an [`Error`] the router answers for it.
pub type Result<T = Response> = core::result::Result<T, Error>;

/// What the macros expand to; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::handler::HandlerFunction;
    pub use crate::log::emit;
    pub use crate::periodic::TaskFunctionShape;
    pub use alloc::boxed::Box;
}
