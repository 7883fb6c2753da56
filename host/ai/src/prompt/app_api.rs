//! The app crate for the system prompt: the handler keys of the intent (issue 12's proposal,
//! until sauce-intent's key table has them), the rules generated code must keep (from the
//! security checks' own lists), and a summary of the `sauce-app` API handlers are written
//! against (from incubator/app's README; update it when that crate settles).

use std::fmt::Write as _;

use crate::security::allowlist::ALLOWED_CRATES;

/// The keys that connect routes to code, as issue 12 proposes them. Used only while
/// sauce-intent's table lacks `handler` ([`super::intent_reference::intent_has_handlers`]).
pub const HANDLER_KEYS: &str = "\
[app] code: string, default \".\" — the app crate's folder (a Cargo.toml beside sauce.toml).
[app] init: string — the function `fn init() -> State` called once at boot; handlers get `&'static State`.
[[http.route]] handler: string \"module::function\" — a handler in the app crate answers this route (a sixth response kind, instead of body/file/dir/json/redirect).
[[http.route]] methods: list of strings, default [\"GET\"] — the methods the handler accepts; OPTIONS and HEAD are answered for it.
Handler routes may have parameters: path = \"/orders/{id}\", and a trailing catch-all \"/files/{*rest}\".
";

/// The `sauce-app` API, as handlers use it.
pub const APP_API: &str = "\
The app crate is an ordinary Rust library: `#![no_std]` with `extern crate alloc;`, depending on `sauce-app`.
  use sauce_app::{Method, Request, Response, Error, Result, Shared};   // Result<T = Response> = core::result::Result<T, Error>
  Handler: `pub async fn name(request: Request, state: &'static State) -> Result` (or `pub async fn name(request: Request) -> Result` without state).
  Request: method() -> Method (Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete …), path(), param(\"id\") -> Option<&str>, query(\"key\") -> Option<String>, header(\"name\") -> Option<&str>,
    body() -> &[u8], text() -> Result<&str>, json::<T>() -> Result<T> (400 when it does not parse, 422 when the shape is wrong), form::<T>().
  Response: Response::text(\"…\"), Response::html(\"…\"), Response::json(&value), Response::redirect(308, \"/to\"),
    Response::no_content(), Response::created(\"/orders/1\", &value), Response::status(202); .with_header(\"name\", \"value\").
  Error (answers {\"error\": message} as JSON): Error::bad_request(m) 400, unauthorized(m) 401, forbidden(m) 403, not_found(m) 404,
    conflict(m) 409, payload_too_large(m) 413, unprocessable(m) 422, too_many_requests(seconds) 429, internal(m) 500. `?` works on serde_json errors.
  State: one value made by `init` at boot. The executor has one thread: wrap mutable parts in `Shared<T>` and touch them only inside
    `state.orders.with(|orders| …)` (never across an `.await`).
  Services: sauce_app::env(\"KEY\") -> Option<&'static str> (run-time settings), now() (UTC; .to_rfc3339()), monotonic_ms(),
    random_u64(), random_id() (URL-safe), sleep(duration).await; log with info!(\"…\"), warn!, error!.
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

    /// Once incubator/app has settled (it has its README), every item the summary names must
    /// exist in its sources.
    #[test]
    fn the_summary_matches_the_app_crate_when_present() {
        let crate_folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app");
        if !crate_folder.join("README.md").is_file() {
            println!(
                "skipped: {} has no README.md yet (the app crate is being written)",
                crate_folder.display()
            );
            return;
        }
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
        for item in [
            "struct Request",
            "Response",
            "enum Method",
            "Shared",
            "fn not_found",
            "fn unprocessable",
            "fn json",
        ] {
            assert!(
                text.contains(item),
                "incubator/app has no `{item}`: update prompt/app_api.rs"
            );
        }
    }
}
