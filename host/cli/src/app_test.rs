//! `sauce test [PATH] [-- ARGS…]`: the app crate's tests on this machine — `cargo test` in the
//! crate's folder with sauce's `sauce-app` (and database clients) patched in, cargo's output
//! streamed, its exit status sauce's.

use std::path::PathBuf;
use std::process::Command;

use clap::Args;

use crate::app_patches;
use crate::arguments::Format;
use crate::outcome::{Failure, Outcome};
use crate::pipeline;

/// `sauce test`.
#[derive(Debug, Args)]
pub struct TestArguments {
    /// A sauce.toml, or a folder holding one.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Passed on to `cargo test`: a test name, `--release`, `-- --nocapture`.
    #[arg(last = true, value_name = "CARGO_TEST_ARGUMENTS")]
    pub cargo: Vec<String>,
}

/// Variables an outer cargo sets for the program it runs (when `sauce` itself runs under
/// `cargo run` or `cargo test`): they describe that build, not the app's. The user's own
/// settings (`CARGO_TARGET_DIR`, `RUSTFLAGS`, the toolchain) pass through.
const OUTER_CARGO: [&str; 8] = [
    "CARGO",
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
    "CARGO_RUSTC_CURRENT_DIR",
    "CARGO_MAKEFLAGS",
    "OUT_DIR",
];
const OUTER_CARGO_PREFIXES: [&str; 5] = [
    "CARGO_PKG_",
    "CARGO_BIN_EXE_",
    "CARGO_CRATE_",
    "CARGO_CFG_",
    "DEP_",
];

/// Runs the app's tests; a project without app code has nothing to test (and succeeds).
pub fn test(arguments: &TestArguments) -> Result<Outcome, Failure> {
    let intent = pipeline::load(&arguments.path, Format::Human)?;
    let Some(code) = &intent.app.code else {
        println!(
            "nothing to test: {} names no app code (a route's `handler`, an `[[app.every]]` task or `[app] code`)",
            arguments.path.join("sauce.toml").display()
        );
        return Ok(Outcome::Success);
    };
    let source_root = sauce_builder::locations::source_root()
        .map_err(|error| Failure::environment(error.to_string()))?;
    let patches = app_patches::for_intent(&intent, &source_root);
    app_patches::refresh(&code.folder, &patches, false)?;
    let mut command = Command::new("cargo");
    command
        .arg("test")
        .args(app_patches::config_arguments(&patches))
        .args(&arguments.cargo)
        .current_dir(&code.folder);
    for (name, _) in std::env::vars_os() {
        let outer = name.to_str().is_some_and(|name| {
            OUTER_CARGO.contains(&name)
                || OUTER_CARGO_PREFIXES
                    .iter()
                    .any(|prefix| name.starts_with(prefix))
        });
        if outer {
            command.env_remove(&name);
        }
    }
    let status = command.status().map_err(|error| {
        Failure::environment(format!(
            "cannot run `cargo test`: {error}; install Rust (https://rustup.rs) so `cargo` is on PATH"
        ))
    })?;
    match status.code() {
        Some(0) => Ok(Outcome::Success),
        Some(code) => {
            eprintln!("error: the app's tests failed (`cargo test` exited with status {code})");
            // cargo's own status, as `cargo test` would end: 101 for failing tests.
            std::process::exit(code)
        }
        None => Ok(Outcome::Interrupted),
    }
}
