//! Clippy on a generated app crate, at [`CLIPPY_DENY_LINTS`], for the image's target: the
//! compile errors and lints of the user's own code, fast (a check build, no LTO), before the
//! image is built.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sauce_builder::BuildContext;

use super::StageFailure;
use crate::security::CLIPPY_DENY_LINTS;

/// The target the app crate is checked for: the image's.
const TARGET: &str = "x86_64-unknown-none";

/// How to run clippy on app crates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clippy {
    /// The SauceOS source tree: clippy runs there (its `rust-toolchain.toml` picks the toolchain
    /// images are built with) and `sauce-app` is patched to its `kernel/app`.
    pub source_root: PathBuf,
    /// Cargo's target folder for these checks (kept apart from the image builds').
    pub target_directory: PathBuf,
}

impl Clippy {
    /// Clippy for the source tree and cache of `context`.
    pub fn new(context: &BuildContext) -> Self {
        Self {
            source_root: context.source_root.clone(),
            target_directory: context.cache_root.join("ai-clippy"),
        }
    }

    /// The command that checks the app crate in `folder`.
    pub fn command(&self, folder: &Path) -> Command {
        let api = self.source_root.join("kernel").join("app");
        let mut command = Command::new("cargo");
        command
            .args(["clippy", "--quiet", "--lib", "--target", TARGET])
            .arg("--manifest-path")
            .arg(folder.join("Cargo.toml"))
            .arg("--config")
            .arg(format!(
                "patch.crates-io.sauce-app.path = {}",
                toml_string(&api.display().to_string())
            ))
            .args(["--color", "never", "--"]);
        for lint in CLIPPY_DENY_LINTS {
            command.arg("-D").arg(lint);
        }
        command.current_dir(&self.source_root).stdin(Stdio::null());
        sauce_builder::child_environment::clean(&mut command);
        command.env("CARGO_TARGET_DIR", &self.target_directory);
        command
    }

    /// Checks the app crate in `folder`; a project without a Cargo.toml has none and passes.
    /// A failure carries clippy's (and rustc's) diagnostics, paths relative to `folder`.
    pub fn check(&self, folder: &Path) -> Result<(), StageFailure> {
        if !folder.join("Cargo.toml").is_file() {
            return Ok(());
        }
        let output = self.command(folder).output().map_err(|error| {
            StageFailure::new(format!(
                "could not run cargo clippy: {error}; install the toolchain with `rustup component add clippy`"
            ))
        })?;
        if output.status.success() {
            return Ok(());
        }
        let mut diagnostics = String::from_utf8_lossy(&output.stderr).into_owned();
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !stdout.trim().is_empty() {
            diagnostics.push_str(&stdout);
        }
        Err(StageFailure::new(diagnostics))
    }
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clippy() -> Clippy {
        Clippy {
            source_root: PathBuf::from("/sauce/source"),
            target_directory: PathBuf::from("/sauce/cache/ai-clippy"),
        }
    }

    #[test]
    fn the_command_denies_every_lint_and_patches_the_app_api() {
        let command = clippy().command(Path::new("/scratch/project"));
        let arguments: Vec<String> = command
            .get_args()
            .map(|argument| argument.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            arguments[..8],
            [
                "clippy",
                "--quiet",
                "--lib",
                "--target",
                "x86_64-unknown-none",
                "--manifest-path",
                "/scratch/project/Cargo.toml",
                "--config"
            ]
        );
        assert_eq!(
            arguments[8],
            "patch.crates-io.sauce-app.path = \"/sauce/source/kernel/app\""
        );
        for lint in CLIPPY_DENY_LINTS {
            assert!(
                arguments
                    .windows(2)
                    .any(|pair| pair[0] == "-D" && pair[1] == *lint),
                "{lint} is not denied: {arguments:?}"
            );
        }
        assert_eq!(command.get_current_dir(), Some(Path::new("/sauce/source")));
        assert!(command
            .get_envs()
            .any(|(name, value)| name == "CARGO_TARGET_DIR"
                && value == Some(std::ffi::OsStr::new("/sauce/cache/ai-clippy"))));
    }

    #[test]
    fn a_project_without_a_crate_passes_without_running_cargo() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("sauce.toml"), "[app]\nname = \"a\"\n").unwrap();
        let unreachable = Clippy {
            source_root: PathBuf::from("/nonexistent/source"),
            target_directory: PathBuf::from("/nonexistent/target"),
        };
        assert_eq!(unreachable.check(folder.path()), Ok(()));
    }
}
