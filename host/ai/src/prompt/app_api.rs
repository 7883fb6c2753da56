//! The app crate for the system prompt: the rules generated code must keep (from the security
//! checks' own lists) and a summary of the `sauce-app` API (kernel/app) handlers are written
//! against. The handler keys themselves come from sauce-intent's table with the rest.

use std::fmt::Write as _;

use crate::security::allowlist::ALLOWED_CRATES;

/// The `sauce-app` API, as handlers use it (kernel/app; a test checks every item named here
/// against its sources).
pub const APP_API: &str = "\
The app crate is an ordinary Rust library: `#![no_std]` with `extern crate alloc;`, depending on `sauce-app`.
  use sauce_app::{Method, Request, Response, Error, Result, Shared};   // Result<T = Response> = core::result::Result<T, Error>
  Handler: `pub async fn name(request: Request, state: &'static State) -> Result` (or `pub async fn name(request: Request) -> Result` without state).
  Request: method() -> Method (Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete …, compare with ==), path(), param(\"id\") -> Option<&str>,
    query(\"key\") -> Option<Cow<str>>, query_as::<T>()?, header(\"name\") -> Option<&str>, body() -> &[u8], text()? -> &str,
    json::<T>()? (400 when it does not parse, 422 when the shape is wrong), form::<T>()?.
  Response: Response::text(\"…\"), Response::html(\"…\"), Response::json(&value), Response::no_content(), Response::from_status(202),
    and these return Result<Response>: Response::redirect(308, \"/to\"), Response::created(\"/orders/1\", &value), response.with_header(\"name\", \"value\"),
    response.with_cache_control(\"no-store\"); response.with_status(201) changes the status.
  Error (answers {\"error\": message} as JSON): Error::bad_request(m) 400, unauthorized(m) 401, forbidden(m) 403, not_found(m) 404,
    conflict(m) 409, payload_too_large(m) 413, unprocessable(m) 422, too_many_requests(seconds) 429, internal(m) 500, Error::new(status, m).
    `?` converts serde_json, number-parsing and UTF-8 errors.
  State: one value made by `init` at boot. The executor has one thread: wrap mutable parts in `Shared<T>` (Shared::new(value)) and touch them
    only inside `state.orders.with(|orders| …)` (read) or `state.orders.with_mut(|orders| …)` (change), never across an `.await`.
  Periodic work: `[[app.every]] seconds = 60, task = \"tick\"` runs `pub async fn tick(state: &'static State)` (or without the state).
  Services: sauce_app::env(\"KEY\") -> Option<&'static str> (run-time settings, defaults in [app.env]), now() (UTC; .rfc3339(), .unix_seconds()),
    monotonic_ms(), random_u64(), random_id() (URL-safe), sleep(duration).await; log with info!(\"…\"), warn!, error! (sauce_app::info etc.).
  Collections: alloc::{vec::Vec, string::String, collections::BTreeMap, format}; serde derive for request and response types.";

/// The rules generated code keeps, from the security checks' lists.
pub fn code_rules() -> String {
    let mut text = String::from(
        "Rules for code (a security check refuses anything else, like a compiler error):\n\
         - src/lib.rs starts with `#![no_std]` and `#![forbid(unsafe_code)]`; no `unsafe` anywhere.\n\
         - No build.rs, no [build-dependencies], no proc-macro crates, no [patch]/[replace], no git or path dependencies.\n\
         - No `extern` blocks, `#[no_mangle]`, `asm!`, `env!`/`option_env!`; `include_str!`/`include_bytes!` only of files inside the project.\n\
         - No std::process, std::fs, std::net, std::env (also not in tests); no network addresses in code.\n\
         - Dependencies only from this list, declared exactly like this:\n",
    );
    for allowed in ALLOWED_CRATES {
        let _ = writeln!(text, "    {}", allowed.example);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_name_every_allowed_crate() {
        let rules = code_rules();
        for allowed in ALLOWED_CRATES {
            assert!(rules.contains(allowed.example), "{}", allowed.name);
        }
    }

    /// Every item the summary names exists in the app API's sources (kernel/app).
    #[test]
    fn the_summary_matches_the_app_crate() {
        let crate_folder =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../kernel/app");
        let mut text = String::new();
        let mut folders = vec![crate_folder.join("src")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    text.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
                }
            }
        }
        assert!(
            text.len() > 10_000,
            "{} holds no sources",
            crate_folder.display()
        );
        for item in [
            "pub struct Request",
            "pub struct Response",
            "pub enum Method",
            "pub struct Shared",
            "pub type Result",
            "pub fn param(",
            "pub fn query(",
            "pub fn query_as<",
            "pub fn header(",
            "pub fn body(",
            "pub fn text(",
            "pub fn json<",
            "pub fn form<",
            "pub fn html(",
            "pub fn no_content(",
            "pub fn from_status(",
            "pub fn redirect(status: u16, location: impl Into<HeaderText>) -> crate::Result<Response>",
            "pub fn created<",
            "pub fn with_header(",
            "pub fn with_cache_control(mut self, value: impl Into<HeaderText>) -> crate::Result<Response>",
            "pub fn with_status(",
            "pub fn bad_request(",
            "pub fn unauthorized(",
            "pub fn forbidden(",
            "pub fn not_found(",
            "pub fn conflict(",
            "pub fn payload_too_large(",
            "pub fn unprocessable(",
            "pub fn too_many_requests(",
            "pub fn internal(",
            "pub fn with<R>(&self, read: impl FnOnce(&T) -> R) -> R",
            "pub fn with_mut<R>(&self, change: impl FnOnce(&mut T) -> R) -> R",
            "pub fn env(key: &str) -> Option<&'static str>",
            "pub fn now()",
            "pub fn rfc3339(",
            "pub fn unix_seconds(",
            "pub fn monotonic_ms()",
            "pub fn random_u64()",
            "pub fn random_id()",
            "pub async fn sleep(",
            "macro_rules! info",
            "macro_rules! warn",
            "macro_rules! error",
        ] {
            assert!(
                text.contains(item),
                "kernel/app has no `{item}`: update prompt/app_api.rs"
            );
        }
    }
}
