//! Compiling images: write the generated crate into the cache, run cargo for
//! `x86_64-unknown-none` from the source tree, copy the ELF out.
//!
//! Cargo runs with the source tree as its working directory, so that its `rust-toolchain.toml`
//! and `.cargo/config.toml` (which holds the kernel's linker flags) apply, and with one target
//! directory, `<cache>/target`, shared by every app so components compile once.

use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sauce_catalog::{Catalog, CatalogError, ComponentGraph, SelectError};
use sauce_codegen::{GenerateError, MemoryBudget};
use sauce_intent::{Intent, Machine, RouteResponse};

use sha2::Digest;

use crate::build_key::{self, KeyInputs};
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
    /// The component catalog could not be read.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// No image can be made from the intent with this catalog.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// The crate could not be generated.
    #[error(transparent)]
    Generate(#[from] GenerateError),
    /// The sources could not be read to compute the build key.
    #[error("cannot read the sources to decide whether to rebuild: {source}")]
    Hash {
        /// What the operating system said.
        source: io::Error,
    },
    /// The cache's build lock could not be taken.
    #[error("cannot lock `{}` to build: {source}; check that the cache folder is writable (SAUCE_CACHE)", .path.display())]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
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
#[derive(Clone, Debug, PartialEq)]
pub struct BuiltImage {
    /// Where the ELF is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// Wall time from generating the crate to the copied image.
    pub duration: Duration,
    /// Whether the last build was reused (nothing changed, cargo did not run).
    pub reused: bool,
    /// The components in the image.
    pub graph: ComponentGraph,
    /// Its memory plan.
    pub budget: MemoryBudget,
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

    /// The folder of `intent`'s generated crate for `machine`: named after the app and the
    /// machine for people, and after the project's own path, so two projects that share an
    /// `[app] name` never share a folder (or a cached image).
    pub fn project_folder(&self, intent: &Intent, machine: Machine) -> PathBuf {
        let manifest = std::fs::canonicalize(&intent.manifest_path)
            .unwrap_or_else(|_| intent.manifest_path.clone());
        let digest = sha2::Sha256::digest(manifest.to_string_lossy().as_bytes());
        let tag: String = digest
            .iter()
            .take(6)
            .map(|byte| format!("{byte:02x}"))
            .collect();
        self.app_folder(&format!("{}-{}-{tag}", intent.app.name, machine.as_str()))
    }

    /// Takes the cache's build lock, waiting for any other `sauce` building into the same
    /// cache: generated crates, the shared target folder and the cached images are written by
    /// one build at a time, so concurrent builds can neither interleave nor read a half-written
    /// image. (Cargo locks the target folder too, but not what is written around it.)
    pub fn lock(&self) -> Result<BuildLock, BuildError> {
        let error = |source| BuildError::Lock {
            path: self.cache_root.join("build.lock"),
            source,
        };
        std::fs::create_dir_all(&self.cache_root).map_err(error)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.cache_root.join("build.lock"))
            .map_err(error)?;
        file.lock().map_err(error)?;
        Ok(BuildLock { _file: file })
    }

    /// The component graph of `intent` on `machine`: the catalog of this source tree, selected.
    pub fn plan(&self, intent: &Intent, machine: Machine) -> Result<ComponentGraph, BuildError> {
        let catalog = Catalog::load_with(&self.source_root, &crate::locations::component_path())?;
        let request = sauce_catalog::intent_needs::request(intent, machine);
        Ok(sauce_catalog::select(&catalog, &request)?)
    }

    /// Builds `intent` for the machine its `[target]` names into `output`.
    pub fn build_app(&self, intent: &Intent, output: &Path) -> Result<BuiltImage, BuildError> {
        let machine = sauce_intent::Machine::for_intent(intent, None, None);
        self.build_app_for(intent, machine, output, &mut |_| {})
    }

    /// Selects, generates and compiles `intent` for `machine`, and copies the image to `output`.
    /// Nothing is compiled when the build key matches the last build's; `progress` receives
    /// cargo's status lines (`Compiling sauce-tcp-ip …`) as they come.
    pub fn build_app_for(
        &self,
        intent: &Intent,
        machine: Machine,
        output: &Path,
        progress: &mut dyn FnMut(&str),
    ) -> Result<BuiltImage, BuildError> {
        let graph = self.plan(intent, machine)?;
        self.build_planned(intent, graph, output, progress)
    }

    /// [`Self::build_app_for`] with the components already selected (by [`Self::plan`]).
    pub fn build_planned(
        &self,
        intent: &Intent,
        graph: ComponentGraph,
        output: &Path,
        progress: &mut dyn FnMut(&str),
    ) -> Result<BuiltImage, BuildError> {
        let started = Instant::now();
        let name = intent.app.name.as_str();
        let machine = graph.platform.machine;
        let _lock = self.lock()?;
        let folder = self.project_folder(intent, machine);
        let generated = sauce_codegen::generate(intent, &graph, &self.source_root)?;
        sauce_codegen::write_if_changed(&generated, &folder)?;
        let lock = self.source_root.join("Cargo.lock");
        if lock.is_file() && !folder.join("Cargo.lock").is_file() {
            // The repository's versions, pruned by cargo to what this image uses.
            let _ = std::fs::copy(&lock, folder.join("Cargo.lock"));
        }
        let key = build_key::compute(&KeyInputs {
            source_root: &self.source_root,
            tool_version: env!("CARGO_PKG_VERSION"),
            generated: &generated.files,
            component_folders: graph
                .components
                .iter()
                .map(|component| component.folder.clone())
                .collect(),
            embedded: embedded_paths(intent),
        })
        .map_err(|source| BuildError::Hash { source })?;
        let cached_image = folder.join("image.elf");
        let stamp = folder.join("build-key");
        let reused =
            cached_image.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|last| last == key);
        if !reused {
            let elf =
                self.build_kernel_crate_with_progress(&folder.join("Cargo.toml"), name, progress)?;
            let copy_error = |source| BuildError::CopyImage {
                to: cached_image.clone(),
                source,
            };
            // The stamp goes first, so a build interrupted between the two never pairs a new
            // key with an old image.
            let _ = std::fs::remove_file(&stamp);
            self.keep_stripped(&elf, &cached_image)
                .map_err(copy_error)?;
            std::fs::write(&stamp, &key).map_err(copy_error)?;
        }
        let copy_error = |source| BuildError::CopyImage {
            to: output.to_path_buf(),
            source,
        };
        if let Some(parent) = output.parent() {
            std::fs::create_dir_all(parent).map_err(copy_error)?;
        }
        let size_bytes = copy_atomically(&cached_image, output).map_err(copy_error)?;
        Ok(BuiltImage {
            path: output.to_path_buf(),
            size_bytes,
            duration: started.elapsed(),
            reused,
            graph,
            budget: generated.budget,
        })
    }

    /// Writes `elf` stripped of its symbols to `image` (atomically) and keeps the symbols in
    /// the cache under the stripped image's digest ([`crate::symbols`]).
    fn keep_stripped(&self, elf: &Path, image: &Path) -> io::Result<()> {
        let unstripped = std::fs::read(elf)?;
        let stripped = crate::symbols::strip(&unstripped)
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))?;
        let symbols = crate::symbols::symbols_path(&self.cache_root, &stripped);
        if let Some(folder) = symbols.parent() {
            std::fs::create_dir_all(folder)?;
        }
        copy_atomically(elf, &symbols)?;
        let temporary = image.with_extension("stripped.partial");
        std::fs::write(&temporary, &stripped)?;
        std::fs::rename(&temporary, image)
    }

    /// Compiles the binary `binary_name` of the crate at `manifest_path` for
    /// [`KERNEL_TARGET`] in release mode; returns the ELF's path inside the target directory.
    pub fn build_kernel_crate(
        &self,
        manifest_path: &Path,
        binary_name: &str,
    ) -> Result<PathBuf, BuildError> {
        self.build_kernel_crate_with_progress(manifest_path, binary_name, &mut |_| {})
    }

    /// [`Self::build_kernel_crate`], handing each of cargo's status lines to `progress`.
    pub fn build_kernel_crate_with_progress(
        &self,
        manifest_path: &Path,
        binary_name: &str,
        progress: &mut dyn FnMut(&str),
    ) -> Result<PathBuf, BuildError> {
        let mut command = self.cargo_command(manifest_path, binary_name);
        command.stdout(Stdio::null()).stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => BuildError::CargoNotFound,
            _ => BuildError::CargoSpawn { source },
        })?;
        let mut stderr = String::new();
        if let Some(pipe) = child.stderr.take() {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                progress(line.trim());
                stderr.push_str(&line);
                stderr.push('\n');
            }
        }
        let status = child
            .wait()
            .map_err(|source| BuildError::CargoSpawn { source })?;
        if !status.success() {
            return Err(BuildError::CargoFailed {
                binary: binary_name.to_owned(),
                status,
                stderr,
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

/// Held while a build writes into the cache; dropping it releases the lock.
#[derive(Debug)]
pub struct BuildLock {
    _file: std::fs::File,
}

/// Copies `from` to `to` through a temporary file renamed into place, so a reader never sees a
/// half-copied image; returns the bytes copied.
fn copy_atomically(from: &Path, to: &Path) -> io::Result<u64> {
    let file_name = to
        .file_name()
        .map_or_else(Default::default, |name| name.to_os_string());
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(&file_name);
    temporary_name.push(format!(".{}.partial", std::process::id()));
    let temporary = to.with_file_name(temporary_name);
    let copied = std::fs::copy(from, &temporary)?;
    std::fs::rename(&temporary, to).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })?;
    Ok(copied)
}

/// Files and folders an image is made of besides the sources: the app crate, and what the
/// routes embed.
fn embedded_paths(intent: &Intent) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = intent
        .app
        .code
        .iter()
        .map(|code| code.folder.clone())
        .collect();
    paths.extend(file_paths(intent));
    paths
}

/// Files and folders the intent's routes embed.
fn file_paths(intent: &Intent) -> Vec<PathBuf> {
    let Some(http) = &intent.http else {
        return Vec::new();
    };
    let responses = http.routes.iter().map(|route| &route.response);
    let not_found = http.not_found.iter().map(|not_found| &not_found.response);
    responses
        .chain(not_found)
        .filter_map(|response| match response {
            RouteResponse::File(path) | RouteResponse::Dir(path) => Some(path.clone()),
            _ => None,
        })
        .collect()
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
        let manifest = Path::new("/work/hello/sauce.toml");
        let intent = sauce_intent::document::parse(manifest, "[app]\nname = \"hello\"\n").unwrap();
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
