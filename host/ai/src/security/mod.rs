//! Security checks on a generated project, each returning findings that the loop feeds back to
//! the model like a compiler error.
//!
//! - [`tokens`]: `unsafe`, FFI, assembly, `env!`, includes outside the project, host access.
//! - [`manifest`]: Cargo.toml: allowlisted dependencies, no build-time code, no source swaps.
//! - [`allowlist`]: the crates sauce allows ([`ALLOWED_CRATES`]).
//! - [`finding`]: [`Finding`] and [`Check`], rendered like compiler errors.
//! - [`addresses`]: outbound addresses the intent does not declare.
//!
//! [`check_sources`] runs before anything is compiled (a build script or proc macro would run
//! on the developer's machine during the build); [`check_budgets`] runs after the build.

pub mod addresses;
pub mod allowlist;
pub mod finding;
pub mod manifest;
pub mod tokens;

use std::time::Duration;

pub use allowlist::{AllowedCrate, ALLOWED_CRATES};
pub use finding::{render_findings, Check, Finding};

use crate::project::ProjectFiles;

/// The lints the integrator's clippy run denies on generated app crates.
pub const CLIPPY_DENY_LINTS: &[&str] = &[
    "clippy::unwrap_used",
    "clippy::expect_used",
    "clippy::panic",
    "clippy::indexing_slicing",
    "clippy::todo",
    "clippy::unimplemented",
    "clippy::dbg_macro",
    "clippy::mem_forget",
    "clippy::exit",
    "warnings",
];

/// Budgets and declarations the checks compare against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityPolicy {
    /// The most bytes of Rust source a generated project may hold.
    pub max_source_bytes: usize,
    /// The most files a generated project may hold.
    pub max_files: usize,
    /// The largest image, in bytes.
    pub max_image_size: u64,
    /// The longest build.
    pub max_build_time: Duration,
    /// Hosts and addresses the project may name besides those sauce.toml declares.
    pub declared_addresses: Vec<String>,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        Self {
            max_source_bytes: 256 << 10,
            max_files: 200,
            max_image_size: 8 << 20,
            max_build_time: Duration::from_secs(300),
            declared_addresses: Vec::new(),
        }
    }
}

/// The checks that read the files only: run before anything is built.
pub fn check_sources(files: &ProjectFiles, policy: &SecurityPolicy) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut declared = policy.declared_addresses.clone();
    if let Some(intent) = files.text("sauce.toml") {
        declared.extend(declared_in_intent(intent));
    }
    let mut source_bytes = 0;
    for (path, contents) in files.iter() {
        if path.as_str() == "Cargo.toml" {
            match std::str::from_utf8(contents) {
                Ok(text) => findings.extend(manifest::check_manifest(text)),
                Err(_) => findings.push(Finding::in_file(
                    Check::Manifest,
                    "Cargo.toml",
                    "Cargo.toml is not UTF-8".to_owned(),
                )),
            }
        }
        if !path.is_rust() {
            continue;
        }
        source_bytes += contents.len();
        let Ok(text) = std::str::from_utf8(contents) else {
            findings.push(Finding::in_file(
                Check::Syntax,
                path.as_str(),
                "the file is not UTF-8".to_owned(),
            ));
            continue;
        };
        findings.extend(tokens::check_rust(
            path,
            text,
            path.as_str() == "src/lib.rs",
        ));
        findings.extend(addresses::check_addresses(path, text, &declared));
    }
    let has_code = files.paths().any(|path| path.as_str().starts_with("src/"));
    if has_code && files.get("src/lib.rs").is_none() {
        findings.push(Finding::project(
            Check::Unsafe,
            "the app crate needs src/lib.rs starting with `#![forbid(unsafe_code)]`".to_owned(),
        ));
    }
    if source_bytes > policy.max_source_bytes {
        findings.push(Finding::project(Check::Budget, format!("the Rust sources hold {source_bytes} bytes, over the budget of {}; write less code", policy.max_source_bytes)));
    }
    if files.len() > policy.max_files {
        findings.push(Finding::project(
            Check::Budget,
            format!(
                "the project holds {} files, over the budget of {}",
                files.len(),
                policy.max_files
            ),
        ));
    }
    findings
}

/// What a build produced, as far as the budgets look at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuildFigures {
    /// The image size, in bytes.
    pub image_size: u64,
    /// How long the build took.
    pub duration: Duration,
}

/// The checks of a finished build against the budgets.
pub fn check_budgets(figures: BuildFigures, policy: &SecurityPolicy) -> Vec<Finding> {
    let mut findings = Vec::new();
    if figures.image_size > policy.max_image_size {
        findings.push(Finding::project(
            Check::Budget,
            format!(
                "the image is {} bytes, over the budget of {}; remove dependencies or code",
                figures.image_size, policy.max_image_size
            ),
        ));
    }
    if figures.duration > policy.max_build_time {
        findings.push(Finding::project(
            Check::Budget,
            format!(
                "the build took {:.0} s, over the budget of {} s; remove dependencies or code",
                figures.duration.as_secs_f64(),
                policy.max_build_time.as_secs()
            ),
        ));
    }
    findings
}

/// Hosts and addresses sauce.toml names: redirect targets, `[network]` addresses, and any URL in
/// a value.
pub fn declared_in_intent(intent: &str) -> Vec<String> {
    let Ok(table) = toml::from_str::<toml::Table>(intent) else {
        return Vec::new();
    };
    let mut hosts = Vec::new();
    collect_hosts(&toml::Value::Table(table), &mut hosts);
    hosts
}

fn collect_hosts(value: &toml::Value, hosts: &mut Vec<String>) {
    match value {
        toml::Value::String(text) => hosts.extend(addresses::hosts_in(text)),
        toml::Value::Array(values) => values.iter().for_each(|value| collect_hosts(value, hosts)),
        toml::Value::Table(table) => table.values().for_each(|value| collect_hosts(value, hosts)),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
