//! The crate root's promises: `#![no_std]` (an image has no operating system) and
//! `#![forbid(unsafe_code)]` unless sauce.toml says `allow_unsafe = true`.

use std::path::Path;

use sauce_intent::{Diagnostic, Intent};

use crate::attributes;
use crate::manifest::Manifest;
use crate::source::Location;
use crate::tree::Crate;

/// The crate root's problems, at sauce.toml's `key` naming the root file.
pub fn check(intent: &Intent, key: &str, krate: &Crate) -> Vec<Diagnostic> {
    let Some(root) = krate.files.first() else {
        return Vec::new();
    };
    let base = intent.manifest_path.parent().unwrap_or(Path::new("/"));
    let location = Location {
        path: root.path.clone(),
        line: 1,
    }
    .shown_from(base);
    let shown = crate::source::relative(&root.path, base)
        .display()
        .to_string();
    let mut diagnostics = Vec::new();
    if !attributes::declares_no_std(&krate.root_attributes) {
        diagnostics.push(
            intent
                .diagnostic_at(
                    key,
                    format!("the app crate's root ({location}) has no `#![no_std]`: an image has no operating system, so no `std`"),
                )
                .with_hint(format!(
                    "start {shown} with `#![no_std]` and `extern crate alloc;` (for `String`, `Vec`, `format!`); the tests may still use `std`"
                )),
        );
    }
    let allow_unsafe = intent
        .app
        .code
        .as_ref()
        .is_some_and(|code| code.allow_unsafe);
    if !allow_unsafe && !attributes::forbids_unsafe_code(&krate.root_attributes) {
        diagnostics.push(
            intent
                .diagnostic_at(
                    key,
                    format!("the app crate's root ({location}) does not forbid `unsafe` code"),
                )
                .with_hint(format!(
                    "add `#![forbid(unsafe_code)]` to {shown}, or write `allow_unsafe = true` in [app] if the crate needs `unsafe`"
                )),
        );
    }
    diagnostics
}

/// Whether the crate in `folder` (a path dependency) is certainly not `no_std`: its root reads
/// and parses, and says nothing of `no_std`. Unreadable crates are left to cargo.
pub fn path_dependency_needs_std(folder: &Path) -> bool {
    let root = std::fs::read_to_string(folder.join("Cargo.toml"))
        .ok()
        .and_then(|text| Manifest::parse(folder, &text).ok())
        .map_or_else(
            || folder.join("src").join("lib.rs"),
            |manifest| manifest.library_root,
        );
    let Ok(text) = std::fs::read_to_string(root) else {
        return false;
    };
    syn::parse_file(&text).is_ok_and(|file| !attributes::declares_no_std(&file.attrs))
}
