//! Images from intents: the generated crate compiled by cargo for `x86_64-unknown-none` into a
//! shared cache, stripped, with its symbols kept for fault reports. The fourth stage of the
//! pipeline (ARCHITECTURE.md, "The pipeline"); launching is `sauce-runner`'s.
//!
//! # Map
//! - [`locations`]: the SauceOS source tree (`SAUCE_HOME`, the compiled tree, or the bundled
//!   sources) and the cache folder (`SAUCE_CACHE`).
//! - [`sources`]: the kernel and component sources bundled into `sauce` by `build.rs`, unpacked
//!   into the cache by version.
//! - [`compile`]: generated crate → cargo → ELF image, with one target directory for all apps,
//!   one folder per project, and the cache's build lock.
//! - [`build_key`]: the build cache key; an unchanged intent skips cargo.
//! - [`child_environment`]: which variables an outer cargo leaks that a nested build must drop.
//! - [`symbols`]: stripping images, keeping their symbols in the cache, and naming the
//!   functions of a fault report's `backtrace:` line.
//! - [`elf`]: telling an ELF image from an intent path.
//!
//! # Rules
//! 1. Builds into one cache are serialised by its lock; a project's folder and cached image are
//!    named after its path, so same-named projects never share them.
//! 2. An image is written whole (a temporary file renamed into place), never half-copied.
//! 3. Nothing here starts a virtual machine.

#![forbid(unsafe_code)]

pub mod build_key;
pub mod child_environment;
pub mod compile;
pub mod elf;
pub mod locations;
pub mod sources;
pub mod symbols;

pub use compile::{build_kernel_crate, default_image_path, BuildContext, BuildError, BuiltImage};
pub use locations::{cache_root, source_root, LocateError};
