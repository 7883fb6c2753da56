//! The build cache's key: a digest of everything an image is made from, so an unchanged intent
//! skips cargo entirely.
//!
//! The key covers the version of `sauce`, the generated crate (which holds everything the
//! intent says), the toolchain pin and linker settings of the source tree, its lock file, every
//! source file of the kernel and of the selected components, and the files the intent embeds.
//! Files are hashed by content, so a touched but unchanged file changes nothing. Not the app's
//! name: two projects of one name are told apart by their folder (`project_folder`) and their
//! contents.

use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Files of the source tree that shape every build.
const TREE_FILES: [&str; 3] = ["rust-toolchain.toml", ".cargo/config.toml", "Cargo.lock"];
/// Folders of the source tree that every image compiles.
const KERNEL_FOLDERS: [&str; 1] = ["kernel"];

/// What goes into one key.
pub struct KeyInputs<'a> {
    /// The SauceOS source tree.
    pub source_root: &'a Path,
    /// The version of the `sauce` that builds (its code generator shapes the crate).
    pub tool_version: &'a str,
    /// The generated crate's files.
    pub generated: &'a [(PathBuf, String)],
    /// Folders of the selected components.
    pub component_folders: Vec<PathBuf>,
    /// Files and folders the intent embeds.
    pub embedded: Vec<PathBuf>,
}

/// The key as 64 hex digits.
pub fn compute(inputs: &KeyInputs<'_>) -> io::Result<String> {
    let mut hasher = Sha256::new();
    feed(&mut hasher, b"sauce", inputs.tool_version.as_bytes());
    for (path, contents) in inputs.generated {
        feed(
            &mut hasher,
            path.to_string_lossy().as_bytes(),
            contents.as_bytes(),
        );
    }
    for file in TREE_FILES {
        let path = inputs.source_root.join(file);
        let contents = std::fs::read(&path).unwrap_or_default();
        feed(&mut hasher, file.as_bytes(), &contents);
    }
    let mut folders: Vec<PathBuf> = KERNEL_FOLDERS
        .iter()
        .map(|folder| inputs.source_root.join(folder))
        .collect();
    folders.extend(inputs.component_folders.iter().cloned());
    folders.extend(inputs.embedded.iter().cloned());
    for folder in folders {
        hash_tree(&mut hasher, &folder)?;
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}

/// Feeds a name and contents, each length-prefixed so no two inputs run together.
fn feed(hasher: &mut Sha256, name: &[u8], contents: &[u8]) {
    hasher.update((name.len() as u64).to_le_bytes());
    hasher.update(name);
    hasher.update((contents.len() as u64).to_le_bytes());
    hasher.update(contents);
}

/// Hashes every file under `path` (or `path` itself), in name order, skipping build outputs.
fn hash_tree(hasher: &mut Sha256, path: &Path) -> io::Result<()> {
    if path.is_file() {
        feed(
            hasher,
            path.to_string_lossy().as_bytes(),
            &std::fs::read(path)?,
        );
        return Ok(());
    }
    if !path.is_dir() {
        feed(hasher, path.to_string_lossy().as_bytes(), b"(missing)");
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name == "target"
            || name == "fuzz"
            || name == ".sauce"
            || name.to_string_lossy().starts_with('.')
        {
            continue;
        }
        hash_tree(hasher, &entry.path())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> PathBuf {
        let root = std::env::temp_dir().join(format!(
            "sauce-key-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("kernel/core/src")).unwrap();
        std::fs::create_dir_all(root.join("kernel/core/target")).unwrap();
        std::fs::write(root.join("kernel/core/src/lib.rs"), "// core").unwrap();
        std::fs::write(root.join("Cargo.lock"), "# lock").unwrap();
        root
    }

    fn key(root: &Path, main: &str) -> String {
        let generated = [(PathBuf::from("src/main.rs"), main.to_owned())];
        compute(&KeyInputs {
            source_root: root,
            tool_version: "0",
            generated: &generated,
            component_folders: vec![],
            embedded: vec![],
        })
        .unwrap()
    }

    #[test]
    fn the_key_follows_generated_code_and_sources_but_not_build_outputs() {
        let root = tree();
        let first = key(&root, "fn main() {}");
        assert_eq!(key(&root, "fn main() {}"), first);
        assert_ne!(key(&root, "fn main() { }"), first);
        std::fs::write(root.join("kernel/core/target/junk"), "x").unwrap();
        assert_eq!(key(&root, "fn main() {}"), first);
        std::fs::write(root.join("kernel/core/src/lib.rs"), "// core, changed").unwrap();
        assert_ne!(key(&root, "fn main() {}"), first);
        std::fs::remove_dir_all(root).unwrap();
    }
}
