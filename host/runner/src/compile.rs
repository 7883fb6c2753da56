//! Compiling images: write the generated crate into the cache, run cargo for
//! `x86_64-unknown-none` from the source tree, copy the ELF out.
//!
//! Cargo runs with the source tree as its working directory, so that its `rust-toolchain.toml`
//! and `.cargo/config.toml` (which holds the kernel's linker flags) apply, and with one target
//! directory, `<cache>/target`, shared by every app so components compile once.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sauce_intent::Intent;

use crate::child_environment;
use crate::locations::{cache_root, source_root, LocateError};

/// The target every image is compiled for.
pub const KERNEL_TARGET: &str = "x86_64-unknown-none";

/// Why an image could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The source tree or the cache folder could not be found.
    #[error(transparent)]
    Locate(#[from] LocateError),
    /// The generated crate could not be written into the cache.
    #[error(transparent)]
    WriteGenerated(#[from] sauce_codegen::WriteError),
    /// `cargo` is not on PATH.
    #[error("`cargo` was not found on PATH; install Rust with rustup (https://rustup.rs), which also installs the toolchain pinned by the SauceOS sources")]
    CargoNotFound,
    /// `cargo` exists but could not be started.
    #[error("cannot start `cargo`: {source}; check that it is an executable Rust installation")]
    CargoSpawn {
        /// What the operating system said.
        source: io::Error,
    },
    /// cargo ran and failed: its output names the cause.
    #[error("cargo failed to build `{binary}` ({status}); its output:\n{stderr}")]
    CargoFailed {
        /// The binary being built.
        binary: String,
        /// cargo's exit status.
        status: std::process::ExitStatus,
        /// What cargo printed on stderr.
        stderr: String,
    },
    /// cargo succeeded but the expected ELF is not where it should be.
    #[error("cargo reported success but `{}` does not exist; does the crate define a binary named `{binary}`?", .path.display())]
    MissingArtifact {
        /// Where the ELF was expected.
        path: PathBuf,
        /// The binary name.
        binary: String,
    },
    /// The ELF could not be copied to the output path.
    #[error("cannot copy the image to `{}`: {source}; check that its folder is writable", .to.display())]
    CopyImage {
        /// The output path.
        to: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
}

/// A built image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltImage {
    /// Where the ELF is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// Wall time from generating the crate to the copied image.
    pub duration: Duration,
}

/// The source tree to compile from and the cache to compile into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildContext {
    /// The SauceOS source tree ([`source_root`]).
    pub source_root: PathBuf,
    /// The cache folder ([`cache_root`]).
    pub cache_root: PathBuf,
}

impl BuildContext {
    /// The context this process's environment describes.
    pub fn from_environment() -> Result<Self, LocateError> {
        Ok(Self {
            source_root: source_root()?,
            cache_root: cache_root()?,
        })
    }

    /// The shared cargo target directory.
    pub fn target_directory(&self) -> PathBuf {
        self.cache_root.join("target")
    }

    /// Where the generated crate of app `name` is written.
    pub fn app_folder(&self, name: &str) -> PathBuf {
        self.cache_root.join("apps").join(name)
    }

    /// Generates the crate for `intent`, compiles it, and copies the image to `output`.
    pub fn build_app(&self, intent: &Intent, output: &Path) -> Result<BuiltImage, BuildError> {
        let started = Instant::now();
        let name = intent.app.name.as_str();
        let folder = self.app_folder(name);
        let generated = sauce_codegen::generate(intent, &self.source_root);
        sauce_codegen::write_if_changed(&generated, &folder)?;
        let elf = self.build_kernel_crate(&folder.join("Cargo.toml"), name)?;
        let copy_error = |source| BuildError::CopyImage {
            to: output.to_path_buf(),
            source,
        };
        if let Some(parent) = output.parent() {
            std::fs::create_dir_all(parent).map_err(copy_error)?;
        }
        // Copying a file onto itself would truncate it.
        let same_file = output
            .canonicalize()
            .is_ok_and(|output| elf.canonicalize().is_ok_and(|elf| elf == output));
        let size_bytes = if same_file {
            std::fs::metadata(output).map_err(copy_error)?.len()
        } else {
            std::fs::copy(&elf, output).map_err(copy_error)?
        };
        Ok(BuiltImage {
            path: output.to_path_buf(),
            size_bytes,
            duration: started.elapsed(),
        })
    }

    /// Compiles the binary `binary_name` of the crate at `manifest_path` for
    /// [`KERNEL_TARGET`] in release mode; returns the ELF's path inside the target directory.
    pub fn build_kernel_crate(
        &self,
        manifest_path: &Path,
        binary_name: &str,
    ) -> Result<PathBuf, BuildError> {
        let mut command = self.cargo_command(manifest_path, binary_name);
        let output = command.output().map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => BuildError::CargoNotFound,
            _ => BuildError::CargoSpawn { source },
        })?;
        if !output.status.success() {
            return Err(BuildError::CargoFailed {
                binary: binary_name.to_owned(),
                status: output.status,
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        let elf = self
            .target_directory()
            .join(KERNEL_TARGET)
            .join("release")
            .join(binary_name);
        if elf.is_file() {
            Ok(elf)
        } else {
            Err(BuildError::MissingArtifact {
                path: elf,
                binary: binary_name.to_owned(),
            })
        }
    }

    /// The cargo invocation [`Self::build_kernel_crate`] runs.
    pub fn cargo_command(&self, manifest_path: &Path, binary_name: &str) -> Command {
        let mut command = Command::new("cargo");
        command
            .args([
                "build",
                "--release",
                "--target",
                KERNEL_TARGET,
                "--bin",
                binary_name,
            ])
            .arg("--manifest-path")
            .arg(manifest_path)
            .current_dir(&self.source_root)
            .stdin(Stdio::null());
        child_environment::clean(&mut command);
        command.env("CARGO_TARGET_DIR", self.target_directory());
        command
    }
}

/// [`BuildContext::build_kernel_crate`] in the context the environment describes; the in-guest
/// test runner uses it for `tests/guest`.
pub fn build_kernel_crate(manifest_path: &Path, binary_name: &str) -> Result<PathBuf, BuildError> {
    BuildContext::from_environment()?.build_kernel_crate(manifest_path, binary_name)
}

/// Where `sauce build` puts an app's image by default: `<project folder>/.sauce/<name>.elf`.
pub fn default_image_path(intent: &Intent) -> PathBuf {
    intent
        .project_folder()
        .join(".sauce")
        .join(format!("{}.elf", intent.app.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> BuildContext {
        BuildContext {
            source_root: PathBuf::from("/src/sauceos"),
            cache_root: PathBuf::from("/cache"),
        }
    }

    #[test]
    fn cargo_runs_from_the_source_tree_into_the_shared_target() {
        let command = context().cargo_command(Path::new("/cache/apps/hello/Cargo.toml"), "hello");
        assert_eq!(command.get_program(), "cargo");
        assert_eq!(command.get_current_dir(), Some(Path::new("/src/sauceos")));
        let arguments: Vec<_> = command
            .get_args()
            .map(|argument| argument.to_string_lossy())
            .collect();
        assert_eq!(
            arguments,
            [
                "build",
                "--release",
                "--target",
                "x86_64-unknown-none",
                "--bin",
                "hello",
                "--manifest-path",
                "/cache/apps/hello/Cargo.toml"
            ]
        );
        let target = command
            .get_envs()
            .find(|(name, _)| *name == "CARGO_TARGET_DIR");
        assert_eq!(
            target.and_then(|(_, value)| value),
            Some(std::ffi::OsStr::new("/cache/target"))
        );
    }

    #[test]
    fn outer_cargo_variables_are_removed() {
        // This test runs under cargo, so CARGO_MANIFEST_DIR and CARGO_PKG_NAME are set here.
        let command = context().cargo_command(Path::new("/m/Cargo.toml"), "m");
        let removed: Vec<_> = command
            .get_envs()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name)
            .collect();
        assert!(removed.contains(&std::ffi::OsStr::new("CARGO_MANIFEST_DIR")));
        assert!(removed.contains(&std::ffi::OsStr::new("CARGO_PKG_NAME")));
    }

    #[test]
    fn images_go_to_the_project_dot_sauce_folder() {
        let intent = sauce_intent::Intent {
            manifest_path: PathBuf::from("/work/hello/sauce.toml"),
            app: sauce_intent::App {
                name: sauce_intent::AppName::new("hello").unwrap(),
            },
            resources: Default::default(),
            http: None,
            network: Default::default(),
            source: String::new(),
            build: Default::default(),
            target: Default::default(),
            origins: Default::default(),
        };
        assert_eq!(
            default_image_path(&intent),
            Path::new("/work/hello/.sauce/hello.elf")
        );
        assert_eq!(
            context().app_folder("hello"),
            Path::new("/cache/apps/hello")
        );
    }
}
