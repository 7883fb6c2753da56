//! The SauceOS sources carried inside `sauce` (bundled by `build.rs`), unpacked into the cache
//! the first time an installed `sauce` needs them: `<cache>/sources/<version>-<digest>`.
//!
//! Unpacking writes into a temporary folder and renames it into place, so two `sauce`
//! processes starting at once never see a half-written tree: the loser of the rename finds the
//! winner's folder and uses it.

use std::io;
use std::path::{Path, PathBuf};

/// The bundle: `<path>\n<length>\n<bytes>` for each file.
static BUNDLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/sources.bundle"));
/// Names the unpacked folder: the version, and a digest of the bundle.
const FOLDER_NAME: &str = concat!(env!("CARGO_PKG_VERSION"), "-", env!("SAUCE_SOURCES_DIGEST"));

/// Each file of the bundle: its relative path and contents.
pub fn files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    let mut rest = BUNDLE;
    std::iter::from_fn(move || {
        let (path, after) = split_line(rest)?;
        let (length, after) = split_line(after)?;
        let length: usize = std::str::from_utf8(length).ok()?.parse().ok()?;
        let contents = after.get(..length)?;
        rest = &after[length..];
        Some((std::str::from_utf8(path).ok()?, contents))
    })
}

fn split_line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = bytes.iter().position(|byte| *byte == b'\n')?;
    Some((&bytes[..end], &bytes[end + 1..]))
}

/// The unpacked sources under `cache_root`, unpacking them first if needed.
pub fn unpacked(cache_root: &Path) -> io::Result<PathBuf> {
    let folders = cache_root.join("sources");
    let folder = folders.join(FOLDER_NAME);
    if folder.join(crate::locations::SOURCE_TREE_MARKER).is_file() {
        return Ok(folder);
    }
    std::fs::create_dir_all(&folders)?;
    let temporary = folders.join(format!(".{FOLDER_NAME}.{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&temporary);
    for (path, contents) in files() {
        let target = temporary.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, contents)?;
    }
    match std::fs::rename(&temporary, &folder) {
        Ok(()) => Ok(folder),
        // Another `sauce` unpacked it first.
        Err(_) if folder.join(crate::locations::SOURCE_TREE_MARKER).is_file() => {
            let _ = std::fs::remove_dir_all(&temporary);
            Ok(folder)
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundle_holds_the_kernel_the_components_and_the_pins() {
        let paths: Vec<&str> = files().map(|(path, _)| path).collect();
        for expected in [
            "Cargo.toml",
            "Cargo.lock",
            "rust-toolchain.toml",
            ".cargo/config.toml",
            "kernel/runtime/Cargo.toml",
            "components/tcp-ip/component.toml",
            "components/tcp-ip/board.rs.j2",
        ] {
            assert!(paths.contains(&expected), "{expected} missing");
        }
        assert!(!paths
            .iter()
            .any(|path| path.starts_with("host/") || path.contains("/target/")));
        let workspace = files().find(|(path, _)| *path == "Cargo.toml").unwrap().1;
        let workspace = std::str::from_utf8(workspace).unwrap();
        assert!(workspace.contains("members = [\"kernel/core\", \"kernel/arch-x86_64\", \"kernel/runtime\", \"components/*\"]"));
        assert!(!workspace.contains("host/*") && workspace.contains("[workspace.lints.clippy]"));
    }

    #[test]
    fn unpacking_twice_reuses_the_folder() {
        let cache = std::env::temp_dir().join(format!("sauce-sources-{}", std::process::id()));
        let first = unpacked(&cache).unwrap();
        assert!(first.join("kernel/runtime/Cargo.toml").is_file());
        let marker = first.join("kernel/runtime/Cargo.toml");
        let before = std::fs::metadata(&marker).unwrap().modified().unwrap();
        assert_eq!(unpacked(&cache).unwrap(), first);
        assert_eq!(
            std::fs::metadata(&marker).unwrap().modified().unwrap(),
            before
        );
        std::fs::remove_dir_all(cache).unwrap();
    }
}
