//! Reading an existing project's allowlisted files from disk (for `fix` and `explain`), with size
//! caps and without following symbolic links.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{ProjectFiles, ProjectPath, MAX_FILES, MAX_FILE_SIZE, MAX_PROJECT_SIZE};

/// Why a project could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadProjectError {
    /// the folder holds no sauce.toml
    #[error("{} holds no sauce.toml", .0.display())]
    NoIntent(PathBuf),
    /// the project is larger than the caps allow
    #[error("the project is too large to send to a model (more than {MAX_FILES} files or {} MiB)", MAX_PROJECT_SIZE >> 20)]
    TooLarge,
    /// a file or folder could not be read
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

/// A project read from disk, and what was left out.
#[derive(Clone, Debug, Default)]
pub struct LoadedProject {
    /// The allowlisted files.
    pub files: ProjectFiles,
    /// Files left out, each with the reason (symbolic link, too large, not on the allowlist
    /// inside `src/`, `tests/` or `public/`).
    pub skipped: Vec<(PathBuf, String)>,
}

/// Reads `sauce.toml`, `Cargo.toml`, `README.md`, `DESCRIPTION.md` and everything under `src/`,
/// `tests/` and `public/` that the file-name rules accept. `folder` may be the project folder or
/// its sauce.toml.
pub fn load_project(folder: &Path) -> Result<LoadedProject, LoadProjectError> {
    let folder = if folder.file_name().is_some_and(|name| name == "sauce.toml") {
        folder.parent().unwrap_or(Path::new("."))
    } else {
        folder
    };
    let mut loaded = LoadedProject::default();
    let mut total = 0;
    for name in ["sauce.toml", "Cargo.toml", "README.md", "DESCRIPTION.md"] {
        add_file(folder, &folder.join(name), &mut loaded, &mut total)?;
    }
    if loaded.files.get("sauce.toml").is_none() {
        return Err(LoadProjectError::NoIntent(folder.to_owned()));
    }
    for subfolder in ["src", "tests", "public"] {
        walk(folder, &folder.join(subfolder), &mut loaded, &mut total, 0)?;
    }
    Ok(loaded)
}

fn walk(
    root: &Path,
    folder: &Path,
    loaded: &mut LoadedProject,
    total: &mut usize,
    depth: usize,
) -> Result<(), LoadProjectError> {
    let metadata = match fs::symlink_metadata(folder) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(io(folder, source)),
    };
    if metadata.file_type().is_symlink() {
        loaded
            .skipped
            .push((folder.to_owned(), "a symbolic link".to_owned()));
        return Ok(());
    }
    if !metadata.is_dir() || depth > super::path::MAX_PATH_DEPTH {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(folder)
        .map_err(|source| io(folder, source))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()
        .map_err(|source| io(folder, source))?;
    entries.sort();
    for entry in entries {
        let metadata = fs::symlink_metadata(&entry).map_err(|source| io(&entry, source))?;
        if metadata.is_dir() {
            walk(root, &entry, loaded, total, depth + 1)?;
        } else {
            add_file(root, &entry, loaded, total)?;
        }
    }
    Ok(())
}

fn add_file(
    root: &Path,
    file: &Path,
    loaded: &mut LoadedProject,
    total: &mut usize,
) -> Result<(), LoadProjectError> {
    let metadata = match fs::symlink_metadata(file) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(io(file, source)),
    };
    let relative = file.strip_prefix(root).unwrap_or(file);
    let name = relative
        .components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let path = match ProjectPath::parse(&name) {
        Ok(path) => path,
        Err(refusal) => {
            loaded.skipped.push((file.to_owned(), refusal.to_string()));
            return Ok(());
        }
    };
    if metadata.file_type().is_symlink() {
        loaded
            .skipped
            .push((file.to_owned(), "a symbolic link".to_owned()));
        return Ok(());
    }
    if !metadata.is_file() {
        return Ok(());
    }
    let size = usize::try_from(metadata.len()).unwrap_or(usize::MAX);
    if size > MAX_FILE_SIZE {
        loaded.skipped.push((
            file.to_owned(),
            format!("larger than {} MiB", MAX_FILE_SIZE >> 20),
        ));
        return Ok(());
    }
    *total = total.saturating_add(size);
    if *total > MAX_PROJECT_SIZE || loaded.files.len() >= MAX_FILES {
        return Err(LoadProjectError::TooLarge);
    }
    let contents = fs::read(file).map_err(|source| io(file, source))?;
    loaded.files.insert(path, contents);
    Ok(())
}

fn io(path: &Path, source: io::Error) -> LoadProjectError {
    LoadProjectError::Io {
        path: path.to_owned(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_allowlisted_files_only() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path();
        fs::write(folder.join("sauce.toml"), "[app]\nname = \"a\"\n").unwrap();
        fs::write(folder.join("Cargo.lock"), "lock").unwrap();
        fs::create_dir_all(folder.join("src/routes")).unwrap();
        fs::write(folder.join("src/lib.rs"), "//! a\n").unwrap();
        fs::write(folder.join("src/routes/a.rs"), "//! b\n").unwrap();
        fs::write(folder.join("src/notes.txt"), "x").unwrap();
        fs::create_dir_all(folder.join("public")).unwrap();
        fs::write(folder.join("public/logo.png"), [0u8, 1, 2]).unwrap();
        fs::create_dir_all(folder.join("target/debug")).unwrap();
        fs::write(folder.join("target/debug/x.rs"), "x").unwrap();
        let loaded = load_project(&folder.join("sauce.toml")).unwrap();
        let names: Vec<_> = loaded.files.paths().map(ProjectPath::as_str).collect();
        assert_eq!(
            names,
            [
                "public/logo.png",
                "sauce.toml",
                "src/lib.rs",
                "src/routes/a.rs"
            ]
        );
        assert_eq!(loaded.skipped.len(), 1, "{:?}", loaded.skipped);
        assert!(loaded.skipped[0].0.ends_with("src/notes.txt"));
    }

    #[test]
    fn needs_an_intent() {
        let root = tempfile::tempdir().unwrap();
        let error = load_project(root.path()).unwrap_err();
        assert!(error.to_string().contains("holds no sauce.toml"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn skips_symbolic_links() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.rs"), "secret").unwrap();
        fs::write(root.path().join("sauce.toml"), "[app]\n").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("src")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.rs"),
            root.path().join("README.md"),
        )
        .unwrap();
        let loaded = load_project(root.path()).unwrap();
        assert_eq!(loaded.files.len(), 1);
        assert_eq!(loaded.skipped.len(), 2, "{:?}", loaded.skipped);
    }
}
