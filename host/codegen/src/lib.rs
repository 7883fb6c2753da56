//! Intent + component graph → the Rust crate of one bootable image: deterministic generation
//! from templates.
//!
//! The third stage of the pipeline (ARCHITECTURE.md, "The pipeline"). Given the same intent, graph, files and
//! source root, [`generate`] returns byte-identical files; [`write_if_changed`] puts them on disk
//! without touching files whose contents did not change, so cargo's fingerprints stay warm.
//!
//! # Map
//! - `templates/` (embedded at compile time): `Cargo.toml.j2` and `board.rs.j2` (the board: one
//!   initialisation per component, stage by stage, like a Tock board). It knows no component:
//!   it places what each component's snippet renders.
//! - [`snippets`]: each selected component's `board.rs.j2`, rendered section by section with
//!   the variables its manifest declares (record 0014).
//! - [`configuration`]: every component's `Configuration` from its manifest's defaults and the
//!   intent keys they name.
//! - [`model`]: the view the templates render: literals and comments prepared in Rust.
//! - [`app`]: the app's own code as the board wires it (handlers, state, tasks, env).
//! - [`assets`]: files of `file` and `dir` routes, with content types, lengths and ETags.
//! - [`budget`]: the heap an image reserves and the smallest guest memory it runs in.
//! - [`database`]: each `[[database]]` as its client's snippet places it.
//! - [`manifest`]: the generated `Cargo.toml`'s dependencies and optimisation level.
//! - [`literal`]: Rust and TOML literals, comment-safe text.
//! - [`mod@write`]: writing the files to a folder, only where contents changed.
//!
//! # Rules
//! 1. The generated crate depends on `sauce-runtime` and the selected components only: a
//!    component not selected contributes zero bytes.
//! 2. Configuration is typed constants; nothing is parsed at boot except the command line.
//! 3. A component's wiring is its own snippet; a snippet that names a variable its manifest
//!    does not declare fails to render (strict undefined), never renders nothing.
//! 4. Every configuration field is written in the board with where its value came from; the
//!    manifest holds the only default.

#![forbid(unsafe_code)]

pub mod app;
pub mod assets;
pub mod budget;
pub mod configuration;
pub mod database;
pub mod literal;
pub mod manifest;
pub mod model;
pub mod snippets;
mod templates;
pub mod write;

use std::path::{Path, PathBuf};

use sauce_catalog::ComponentGraph;
use sauce_intent::Intent;

pub use assets::AssetError;
pub use budget::MemoryBudget;
pub use templates::template_names;
pub use write::{write_if_changed, WriteError};

/// The files of one generated crate, in a fixed order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedCrate {
    /// `(path relative to the crate folder, contents)`.
    pub files: Vec<(PathBuf, String)>,
    /// The memory plan of the image.
    pub budget: MemoryBudget,
}

impl GeneratedCrate {
    /// The contents of the file at `relative_path`, if generated.
    pub fn file(&self, relative_path: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(path, _)| path == Path::new(relative_path))
            .map(|(_, contents)| contents.as_str())
    }
}

/// Why a crate could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// A file of a `file` or `dir` route could not be embedded.
    #[error(transparent)]
    Asset(#[from] AssetError),
    /// A template failed to render: a snippet naming what its manifest does not declare, or
    /// a template bug.
    #[error("code generation failed: {0:#}")]
    Template(#[from] minijinja::Error),
    /// A manifest's `[config.*]` default is not a value of its type.
    #[error(transparent)]
    Configuration(#[from] configuration::ConfigurationError),
    /// The selected components break the snippet contract (two `finish` sections).
    #[error("code generation failed: {0}")]
    Contract(String),
}

/// The crate for `intent` with the components of `graph`, depending on the kernel and
/// component sources under `source_root` (absolute).
pub fn generate(
    intent: &Intent,
    graph: &ComponentGraph,
    source_root: &Path,
) -> Result<GeneratedCrate, GenerateError> {
    let board = model::board(intent, graph)?;
    let main = templates::render_board(&board)?;
    let cargo = manifest::render(intent, graph, source_root)?;
    Ok(GeneratedCrate {
        files: vec![
            (PathBuf::from("Cargo.toml"), cargo),
            (PathBuf::from("src/main.rs"), main),
        ],
        budget: board.budget,
    })
}

#[cfg(test)]
mod tests;
