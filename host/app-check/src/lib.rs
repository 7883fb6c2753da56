//! Checks the app crate beside a sauce.toml — its handlers, its crate root, its dependencies —
//! by reading its sources, without compiling anything.
//!
//! `sauce check` (and so `plan`, `build` and `run`) calls [`check`] after the intent is valid:
//! a misspelt handler, a wrong signature, a missing `#![no_std]` or a dependency that needs
//! `std` is reported at its sauce.toml line in milliseconds, naming the Rust item's
//! `file:line`, instead of surfacing minutes later as a compile error in generated code.
//!
//! # Map
//! - [`tree`]: the crate's modules, from `src/lib.rs` through `mod` declarations (syn).
//! - [`resolve`]: the function a sauce.toml path names, through `pub` modules and re-exports.
//! - [`shape`]: the signatures sauce calls (handler, `init`, task) and what one gets wrong.
//! - [`functions`]: the functions sauce.toml names, checked, as diagnostics.
//! - [`crate_root`]: `#![no_std]` and `#![forbid(unsafe_code)]`.
//! - [`manifest`]: the app's Cargo.toml: library root, dependencies with spans, vouched crates.
//! - [`known_crates`]: crates known to build without `std` (and how), or never.
//! - [`dependencies`]: each dependency checked against that knowledge.
//! - [`attributes`]: `cfg(test)`, `path`, `no_std`, `forbid`, also inside `cfg_attr`.
//! - [`source`]: a file read, and `file:line` locations shown from the project folder.
//!
//! # Rules
//! 1. It reads files only: no cargo, no build script, no macro expansion, no network.
//! 2. It reports only what is certainly wrong. What it cannot see through — items made by
//!    macros, re-exports from other crates, files it could not read, `cfg` — passes, and is
//!    left to the compiler.
//! 3. Each problem with a function, the crate root or a dependency is one [`Diagnostic`] at
//!    the sauce.toml key that asks for it (`http.route.3.handler`, `app.init`,
//!    `app.every.0.task`, `app.code`), its message naming the Rust item as `file:line` from
//!    the project folder. A file that does not parse is reported in that file.
//! 4. It is bounded: at most [`tree::MAXIMUM_FILES`] files of [`tree::MAXIMUM_FILE_BYTES`]
//!    and [`tree::MAXIMUM_TOTAL_BYTES`] in all, each read once, modules 32 deep, 8 re-exports
//!    per name; no input makes it panic.
//! 5. An intent without app code has nothing to check: [`check`] returns no diagnostics.

#![forbid(unsafe_code)]

pub mod attributes;
pub mod crate_root;
pub mod dependencies;
pub mod functions;
pub mod known_crates;
pub mod manifest;
pub mod resolve;
pub mod shape;
pub mod source;
pub mod tree;

use sauce_intent::{Diagnostic, Intent, RouteResponse};

use manifest::Manifest;
use source::SourceFile;
use tree::Crate;

/// Every problem of the app crate `intent` names (`intent.app.code`), in the order: the
/// manifest, files that do not parse, the crate root, the functions, the dependencies.
pub fn check(intent: &Intent) -> Vec<Diagnostic> {
    let Some(code) = &intent.app.code else {
        return Vec::new();
    };
    let key = code_key(intent);
    let manifest_path = code.folder.join("Cargo.toml");
    let text = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => text,
        Err(error) => {
            let message = format!(
                "cannot read the app crate's {}: {error}",
                manifest_path.display()
            );
            return vec![intent
                .diagnostic_at(&key, message)
                .with_hint("`code` names a folder holding the app crate's Cargo.toml")];
        }
    };
    let manifest_file = SourceFile::new(manifest_path.clone(), text);
    let manifest = match Manifest::parse(&code.folder, &manifest_file.text) {
        Ok(manifest) => manifest,
        Err((message, span)) => {
            let message = format!("the app crate's Cargo.toml does not parse: {message}");
            return vec![Diagnostic::at(
                &manifest_path,
                &manifest_file.text,
                span,
                message,
            )];
        }
    };
    let krate = match Crate::load(&manifest.library_root) {
        Ok(krate) => krate,
        Err(unreadable) => {
            let message = format!(
                "the app crate has no readable library root {}: {}",
                unreadable.path.display(),
                unreadable.error
            );
            return vec![intent.diagnostic_at(&key, message).with_hint(
                "an app crate is a library: its handlers live in src/lib.rs and the modules it declares",
            )];
        }
    };
    let mut diagnostics = krate.syntax_errors.clone();
    let root_parsed = krate
        .modules
        .first()
        .is_some_and(|root| root.file.is_some());
    if root_parsed {
        diagnostics.extend(crate_root::check(intent, &key, &krate));
    }
    diagnostics.extend(functions::check(intent, &krate));
    diagnostics.extend(dependencies::check(intent, &key, &manifest_file, &manifest));
    diagnostics
}

/// The sauce.toml key that stands for the whole app crate: `app.code` when written, else the
/// first key that implies it (a handler, a task, `init`), else `[app]`.
fn code_key(intent: &Intent) -> String {
    let handler = intent
        .http
        .iter()
        .flat_map(|http| http.routes.iter())
        .position(|route| matches!(route.response, RouteResponse::Handler(_)))
        .map(|index| format!("http.route.{index}.handler"));
    let candidates = ["app.code".to_owned()]
        .into_iter()
        .chain(handler)
        .chain(["app.every.0.task".to_owned(), "app.init".to_owned()]);
    candidates
        .into_iter()
        .find(|key| intent.origins.get(key).is_some())
        .unwrap_or_else(|| "app".to_owned())
}
