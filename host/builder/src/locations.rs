//! Where things are: the SauceOS source tree that images compile from, and the cache folder
//! holding generated crates and the shared cargo target directory.
//!
//! The source tree is, in order: `SAUCE_HOME` (the developer's override); the tree this
//! `sauce` was compiled from, when the running binary lives inside it (`target/…/sauce`); else
//! the sources bundled into `sauce`, unpacked into the cache (an installed `sauce` needs no
//! clone; record 0015).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The source tree this `sauce` was compiled from (`host/builder/../..`).
const COMPILED_SOURCE_ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
/// A file every SauceOS source tree holds; its absence means the path is wrong.
pub(crate) const SOURCE_TREE_MARKER: &str = "kernel/runtime/Cargo.toml";

/// Why the source tree or the cache folder could not be found.
#[derive(Debug, thiserror::Error)]
pub enum LocateError {
    /// The folder is not a SauceOS source tree: it lacks `kernel/runtime/Cargo.toml`.
    #[error("`{}` is not a SauceOS source tree (it has no {SOURCE_TREE_MARKER}){}; set SAUCE_HOME to the folder holding the SauceOS sources", .root.display(), if *.from_variable { " as SAUCE_HOME says" } else { "" })]
    NotASourceTree {
        /// The folder tried.
        root: PathBuf,
        /// Whether it came from `SAUCE_HOME` (otherwise from where `sauce` was compiled).
        from_variable: bool,
    },
    /// The bundled sources could not be unpacked into the cache.
    #[error("cannot unpack the SauceOS sources bundled into sauce into {}: {source}; set SAUCE_CACHE to a writable folder, or SAUCE_HOME to a SauceOS source tree", .folder.display())]
    Unpack {
        /// The folder unpacked into.
        folder: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// None of `SAUCE_CACHE`, `XDG_CACHE_HOME` and `HOME` is set.
    #[error("cannot choose a cache folder: none of SAUCE_CACHE, XDG_CACHE_HOME and HOME is set; set SAUCE_CACHE to a writable folder")]
    NoCacheFolder,
}

/// The SauceOS source tree: `SAUCE_HOME` if set; else the tree `sauce` was compiled from, if
/// the running binary lives inside it; else the bundled sources, unpacked into the cache.
pub fn source_root() -> Result<PathBuf, LocateError> {
    if let Some(home) = non_empty_variable("SAUCE_HOME") {
        return source_root_from(Some(home));
    }
    if let Some(tree) = compiled_tree_in_use() {
        return Ok(tree);
    }
    let cache = cache_root()?;
    crate::sources::unpacked(&cache).map_err(|source| LocateError::Unpack {
        folder: cache.join("sources"),
        source,
    })
}

/// The tree this `sauce` was compiled from, when the running binary was built inside it.
fn compiled_tree_in_use() -> Option<PathBuf> {
    let root = Path::new(COMPILED_SOURCE_ROOT).canonicalize().ok()?;
    if !root.join(SOURCE_TREE_MARKER).is_file() {
        return None;
    }
    let executable = std::env::current_exe().ok()?.canonicalize().ok()?;
    executable.starts_with(&root).then_some(root)
}

/// [`source_root`] given the value of `SAUCE_HOME`.
pub fn source_root_from(sauce_home: Option<OsString>) -> Result<PathBuf, LocateError> {
    let from_variable = sauce_home.is_some();
    let root = sauce_home.map_or_else(|| PathBuf::from(COMPILED_SOURCE_ROOT), PathBuf::from);
    let root = root.canonicalize().unwrap_or(root);
    if root.join(SOURCE_TREE_MARKER).is_file() {
        Ok(root)
    } else {
        Err(LocateError::NotASourceTree {
            root,
            from_variable,
        })
    }
}

/// Folders of out-of-tree components, `SAUCE_COMPONENT_PATH` (separated like `PATH`): each
/// subfolder holding a `component.toml` joins the catalog (components/README.md).
pub fn component_path() -> Vec<PathBuf> {
    non_empty_variable("SAUCE_COMPONENT_PATH")
        .map(|value| std::env::split_paths(&value).map(absolute).collect())
        .unwrap_or_default()
}

/// The cache folder: `SAUCE_CACHE`, else `$XDG_CACHE_HOME/sauce`, else `$HOME/.cache/sauce`.
pub fn cache_root() -> Result<PathBuf, LocateError> {
    cache_root_from(non_empty_variable)
}

/// [`cache_root`] reading variables through `variable`.
pub fn cache_root_from(
    variable: impl Fn(&str) -> Option<OsString>,
) -> Result<PathBuf, LocateError> {
    if let Some(cache) = variable("SAUCE_CACHE") {
        return Ok(absolute(PathBuf::from(cache)));
    }
    if let Some(xdg) = variable("XDG_CACHE_HOME") {
        return Ok(absolute(Path::new(&xdg).join("sauce")));
    }
    let home = variable("HOME").ok_or(LocateError::NoCacheFolder)?;
    Ok(absolute(Path::new(&home).join(".cache").join("sauce")))
}

/// The value of the environment variable `name`, unless unset or empty.
pub(crate) fn non_empty_variable(name: &str) -> Option<OsString> {
    std::env::var_os(name).filter(|value| !value.is_empty())
}

fn absolute(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variables(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let pairs: Vec<(String, OsString)> = pairs
            .iter()
            .map(|(name, value)| (name.to_string(), OsString::from(value)))
            .collect();
        move |wanted| {
            pairs
                .iter()
                .find(|(name, _)| name == wanted)
                .map(|(_, value)| value.clone())
        }
    }

    #[test]
    fn cache_root_prefers_sauce_cache_then_xdg_then_home() {
        let all = [
            ("SAUCE_CACHE", "/c"),
            ("XDG_CACHE_HOME", "/x"),
            ("HOME", "/h"),
        ];
        assert_eq!(cache_root_from(variables(&all)).unwrap(), Path::new("/c"));
        assert_eq!(
            cache_root_from(variables(&all[1..])).unwrap(),
            Path::new("/x/sauce")
        );
        assert_eq!(
            cache_root_from(variables(&all[2..])).unwrap(),
            Path::new("/h/.cache/sauce")
        );
        assert!(matches!(
            cache_root_from(variables(&[])),
            Err(LocateError::NoCacheFolder)
        ));
    }

    #[test]
    fn a_relative_cache_is_made_absolute() {
        let root = cache_root_from(variables(&[("SAUCE_CACHE", "relative/cache")])).unwrap();
        assert!(root.is_absolute() && root.ends_with("relative/cache"));
    }

    #[test]
    fn a_folder_without_the_kernel_is_not_a_source_tree() {
        let error = source_root_from(Some(OsString::from("/"))).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("as SAUCE_HOME says") && message.contains("set SAUCE_HOME"),
            "{message}"
        );
    }

    #[test]
    fn the_compiled_source_root_is_this_repository() {
        let root = PathBuf::from(COMPILED_SOURCE_ROOT).canonicalize().unwrap();
        assert!(root.join("host/builder/Cargo.toml").is_file());
        if root.join(SOURCE_TREE_MARKER).is_file() {
            assert_eq!(source_root_from(None).unwrap(), root);
        }
    }
}
