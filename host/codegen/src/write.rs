//! Writing a generated crate to a folder, leaving unchanged files untouched so that their
//! modification times, and with them cargo's fingerprints, stay as they were.

use std::io;
use std::path::{Path, PathBuf};

use crate::GeneratedCrate;

/// Why a generated crate could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A folder could not be created: check permissions and free space (or set `SAUCE_CACHE`
    /// to a writable folder).
    #[error("cannot create folder `{path}`: {source}; check its permissions and free space, or set SAUCE_CACHE to a writable folder")]
    CreateFolder {
        /// The folder.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// A file could not be written: check permissions and free space.
    #[error("cannot write `{path}`: {source}; check its permissions and free space")]
    WriteFile {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
}

/// Writes each file of `generated` under `folder`, skipping files whose contents are already
/// the same. Returns the files written. Each write goes to a temporary file that is then renamed
/// into place, so a reader never sees half a file.
pub fn write_if_changed(
    generated: &GeneratedCrate,
    folder: &Path,
) -> Result<Vec<PathBuf>, WriteError> {
    let mut written = Vec::new();
    for (relative_path, contents) in &generated.files {
        let path = folder.join(relative_path);
        if std::fs::read(&path).is_ok_and(|existing| existing == contents.as_bytes()) {
            continue;
        }
        let parent = path.parent().unwrap_or(folder);
        std::fs::create_dir_all(parent).map_err(|source| WriteError::CreateFolder {
            path: parent.to_path_buf(),
            source,
        })?;
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy())
            .unwrap_or_default();
        let temporary = parent.join(format!(".{file_name}.{}.tmp", std::process::id()));
        let write = || -> io::Result<()> {
            std::fs::write(&temporary, contents)?;
            std::fs::rename(&temporary, &path)
        };
        if let Err(source) = write() {
            let _ = std::fs::remove_file(&temporary);
            return Err(WriteError::WriteFile { path, source });
        }
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_what_changed() {
        let folder =
            std::env::temp_dir().join(format!("sauce-codegen-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        let mut generated = GeneratedCrate {
            files: vec![
                (PathBuf::from("Cargo.toml"), "one".to_owned()),
                (PathBuf::from("src/main.rs"), "two".to_owned()),
            ],
            budget: crate::budget::plan(0, 0, 0, &[], 0),
        };
        assert_eq!(write_if_changed(&generated, &folder).unwrap().len(), 2);
        assert_eq!(
            std::fs::read_to_string(folder.join("src/main.rs")).unwrap(),
            "two"
        );
        assert!(write_if_changed(&generated, &folder).unwrap().is_empty());
        generated.files[1].1 = "three".to_owned();
        assert_eq!(
            write_if_changed(&generated, &folder).unwrap(),
            [folder.join("src/main.rs")]
        );
        assert_eq!(
            std::fs::read_to_string(folder.join("src/main.rs")).unwrap(),
            "three"
        );
        let leftovers = std::fs::read_dir(folder.join("src")).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn reports_the_folder_it_cannot_create() {
        let blocker =
            std::env::temp_dir().join(format!("sauce-codegen-blocker-{}", std::process::id()));
        std::fs::write(&blocker, "a file, not a folder").unwrap();
        let generated = GeneratedCrate {
            files: vec![(PathBuf::from("src/main.rs"), String::new())],
            budget: crate::budget::plan(0, 0, 0, &[], 0),
        };
        let error = write_if_changed(&generated, &blocker).unwrap_err();
        assert!(matches!(error, WriteError::CreateFolder { .. }), "{error}");
        std::fs::remove_file(blocker).unwrap();
    }
}
