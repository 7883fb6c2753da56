//! Intent → the Rust crate of one bootable image: pure, deterministic text generation.
//!
//! The third stage of the pipeline (design brief §1). Given the same intent and source root,
//! [`generate`] returns byte-identical files; [`write_if_changed`] puts them on disk without
//! touching files whose contents did not change, so cargo's fingerprints stay warm.
//!
//! - [`manifest`]: the generated `Cargo.toml` (package, binary, path dependencies, profiles).
//! - [`board`]: the generated `src/main.rs` of a serial-only app.
//! - [`http_board`]: the generated `src/main.rs` of an HTTP service (heap, virtio-net, TCP/IP,
//!   routes, the network task), stage by stage.
//! - [`mod@write`]: writing the files to a folder, only where contents changed.
//!
//! This thin first version wires the kernel runtime and a serial-only app; a later version takes
//! the catalog's component graph as input.

#![forbid(unsafe_code)]

pub mod board;
pub mod http_board;
pub mod manifest;
pub mod write;

use std::path::{Path, PathBuf};

use sauce_intent::Intent;

pub use write::{write_if_changed, WriteError};

/// The files of one generated crate, in a fixed order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedCrate {
    /// `(path relative to the crate folder, contents)`.
    pub files: Vec<(PathBuf, String)>,
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

/// The crate for `intent`, depending on the kernel sources under `source_root` (absolute).
pub fn generate(intent: &Intent, source_root: &Path) -> GeneratedCrate {
    GeneratedCrate {
        files: vec![
            (
                PathBuf::from("Cargo.toml"),
                manifest::render(intent, source_root),
            ),
            (PathBuf::from("src/main.rs"), match &intent.http {
                Some(http) => http_board::render(intent, http),
                None => board::render(intent),
            }),
        ],
    }
}

/// `path` as text safe inside a `//` comment: line breaks and other control characters escaped.
pub(crate) fn comment_safe(path: &Path) -> String {
    let mut safe = String::new();
    for character in path.display().to_string().chars() {
        if character.is_control() {
            safe.extend(character.escape_debug());
        } else {
            safe.push(character);
        }
    }
    safe
}

#[cfg(test)]
mod hello_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_cannot_be_broken_by_a_path() {
        assert_eq!(comment_safe(Path::new("/a b/\"c\"/d's")), "/a b/\"c\"/d's");
        assert_eq!(comment_safe(Path::new("/x\ny")), "/x\\ny");
    }
}
