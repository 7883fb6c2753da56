//! A hit counter and a rate limiter whose state lives in Redis, so every guest serving the
//! same Redis shares it and a restart keeps it.
//!
//! - `GET /hits`: `INCR hits`, answered as `{"hits": n}`.
//! - `GET /limited`: at most [`LIMIT`] requests per client address per [`WINDOW_SECONDS`]-second
//!   window (fixed windows: the first request of a window starts it); beyond, 429 with
//!   `Retry-After` (the window's seconds left).
//!
//! The database is sauce.toml's `[[database]] cache`, whose URL is given at run time (`sauce
//! run --env REDIS_URL=redis://…`); handlers reach its pool with `sauce_redis::pool("cache")`.
//!
//! # Rules
//! 1. One round trip per request: `/limited` pipelines `INCR`, `EXPIRE … NX` and `TTL`, so a
//!    window's counter always expires (even if this guest stops between the commands).
//! 2. Without Redis (no URL given, or the server down) both routes answer 503 with
//!    `Retry-After`: a limiter that cannot count does not let requests through.
//! 3. Every error is JSON `{"error": "…"}`.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

use alloc::format;
use alloc::string::String;

use sauce_app::{handler, warn, Error, Method, Request, Response, Result, Route, Router};
use sauce_redis::{ErrorKind, Pipeline, Value};

/// sauce.toml's `[[database]] name`.
pub const DATABASE: &str = "cache";
/// Requests `/limited` allows per client address per window.
pub const LIMIT: i64 = 5;
/// The window, in seconds.
pub const WINDOW_SECONDS: u64 = 10;

/// The routes of sauce.toml, for tests.
pub fn router() -> Router<()> {
    Router::new()
        .add_route(Route::new("/hits", &[Method::Get], handler!(hits)))
        .add_route(Route::new("/limited", &[Method::Get], handler!(limited)))
}

/// The pool: 503 when this boot has none (the boot log says why).
fn pool() -> Result<&'static sauce_redis::board::ImagePool> {
    sauce_redis::pool(DATABASE).ok_or_else(|| Error::unavailable(5))
}

/// `GET /hits`: one more hit, and how many there have been.
pub async fn hits(_request: Request, _state: &'static ()) -> Result {
    let hits = pool()?
        .run(async |client| client.incr(b"hits").await)
        .await
        .map_err(http_error)?;
    Ok(Response::json(&HitCount { hits }))
}

/// `{"hits": n}`.
#[derive(serde::Serialize)]
struct HitCount {
    hits: i64,
}

/// `GET /limited`: counted in the client's window; 429 beyond [`LIMIT`].
pub async fn limited(request: Request, _state: &'static ()) -> Result {
    let key = window_key(&request);
    let window = format!("{WINDOW_SECONDS}");
    let mut pipeline = Pipeline::new();
    pipeline
        .command(&[b"INCR", key.as_bytes()])
        .command(&[b"EXPIRE", key.as_bytes(), window.as_bytes(), b"NX"])
        .command(&[b"TTL", key.as_bytes()]);
    let replies = pool()?.pipeline(&pipeline).await.map_err(http_error)?;
    let (count, seconds_left) = match replies.as_slice() {
        [Value::Integer(count), Value::Integer(_), Value::Integer(ttl)] => (*count, *ttl),
        other => {
            warn!("unexpected replies to the limiter's pipeline: {other:?}");
            return Err(Error::new(502, "the cache answered unexpectedly"));
        }
    };
    verdict(count, seconds_left)?;
    Ok(Response::json(&Allowed {
        allowed: true,
        remaining: LIMIT - count,
    }))
}

/// `{"allowed": true, "remaining": n}`.
#[derive(serde::Serialize)]
struct Allowed {
    allowed: bool,
    remaining: i64,
}

/// The counter of the client's window: `limited:<address>`.
pub fn window_key(request: &Request) -> String {
    format!("limited:{}", request.peer().ip())
}

/// Whether the `count`-th request of a window with `seconds_left` passes: 429 with
/// `Retry-After` (at least 1 s) beyond [`LIMIT`].
pub fn verdict(count: i64, seconds_left: i64) -> Result<()> {
    if count <= LIMIT {
        return Ok(());
    }
    let seconds = seconds_left.clamp(1, WINDOW_SECONDS as i64);
    Err(Error::too_many_requests(seconds as u32))
}

/// A Redis error as the client sees it: 503 with `Retry-After` while Redis cannot be reached,
/// 504 on a timeout, else its status; the error itself is logged, not sent.
pub fn http_error(error: sauce_redis::Error) -> Error {
    warn!("database {DATABASE}: {error}");
    match error.kind() {
        ErrorKind::Unavailable => {
            let seconds = error.retry_after_ms().unwrap_or(1000).div_ceil(1000).max(1);
            Error::unavailable(u32::try_from(seconds).unwrap_or(u32::MAX))
        }
        ErrorKind::Timeout => Error::new(504, "the cache did not answer in time"),
        kind => Error::new(kind.http_status(), "cache error"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_pass_then_429_with_the_window_left() {
        for count in 1..=LIMIT {
            assert!(verdict(count, 9).is_ok());
        }
        let refused = verdict(LIMIT + 1, 7).unwrap_err();
        assert_eq!(refused.status(), 429);
        assert_eq!(refused.headers().get("Retry-After"), Some("7"));
        // A key Redis has not timed (-1) or that just expired (-2) still asks for a second.
        assert_eq!(
            verdict(LIMIT + 1, -1)
                .unwrap_err()
                .headers()
                .get("Retry-After"),
            Some("1")
        );
    }
}
