//! Finding and reading a sauce.toml: `PATH` may be the file itself or a folder holding one.

use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::{document, render, Intent, MANIFEST_FILE_NAME};

/// Why an intent could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Nothing exists at the path given.
    #[error("`{path}` does not exist; give a sauce.toml or a folder holding one")]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// The path is a folder without a sauce.toml.
    #[error("`{folder}` holds no {MANIFEST_FILE_NAME}; create one with an `[app]` table, or give another folder")]
    NoManifestInFolder {
        /// The folder given.
        folder: PathBuf,
    },
    /// The file exists but could not be read (permissions, not UTF-8, an I/O error).
    #[error("cannot read `{path}`: {source}; check that it is a readable UTF-8 text file")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The file was read but what it says is invalid: each diagnostic names file:line:column.
    #[error("{}", render_invalid(.path, .diagnostics, false))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found, in source order.
        diagnostics: Vec<Diagnostic>,
    },
}

impl LoadError {
    /// The message for people; `colour` adds ANSI colours to diagnostics (for a terminal).
    pub fn render(&self, colour: bool) -> String {
        match self {
            LoadError::Invalid { path, diagnostics } => render_invalid(path, diagnostics, colour),
            other => other.to_string(),
        }
    }
}

/// Every diagnostic, then a line counting them.
fn render_invalid(path: &Path, diagnostics: &[Diagnostic], colour: bool) -> String {
    let count = match diagnostics.len() {
        1 => "1 problem".to_owned(),
        count => format!("{count} problems"),
    };
    let rendered = render::render_all(diagnostics, colour);
    format!("{rendered}\n\n{count} in `{}`", path.display())
}

/// The sauce.toml `path` refers to: the path itself for a file, `path/sauce.toml` for a folder.
/// The result is absolute.
pub fn locate(path: &Path) -> Result<PathBuf, LoadError> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let manifest = if absolute.is_dir() {
        let manifest = absolute.join(MANIFEST_FILE_NAME);
        if !manifest.is_file() {
            return Err(LoadError::NoManifestInFolder { folder: absolute });
        }
        manifest
    } else if absolute.exists() {
        absolute
    } else {
        return Err(LoadError::NotFound {
            path: path.to_path_buf(),
        });
    };
    Ok(manifest.canonicalize().unwrap_or(manifest))
}

/// Finds, reads and validates the intent at `path` (a sauce.toml or a folder holding one).
pub fn load(path: &Path) -> Result<Intent, LoadError> {
    let manifest = locate(path)?;
    let source = std::fs::read_to_string(&manifest).map_err(|source| LoadError::Read {
        path: manifest.clone(),
        source,
    })?;
    document::parse(&manifest, &source).map_err(|diagnostics| LoadError::Invalid {
        path: manifest,
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temporary_folder(test: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("sauce-intent-{}-{test}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        folder
    }

    #[test]
    fn loads_from_a_folder_or_the_file() {
        let folder = temporary_folder("folder");
        std::fs::write(folder.join("sauce.toml"), "[app]\nname = \"hello\"\n").unwrap();
        let from_folder = load(&folder).unwrap();
        let from_file = load(&folder.join("sauce.toml")).unwrap();
        assert_eq!(from_folder, from_file);
        assert_eq!(from_folder.app.name.as_str(), "hello");
        assert!(from_folder.manifest_path.is_absolute());
        assert_eq!(from_folder.project_folder(), folder.canonicalize().unwrap());
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn missing_paths_are_named() {
        let missing = Path::new("/nonexistent/sauce/project");
        assert!(matches!(load(missing), Err(LoadError::NotFound { .. })));
        let folder = temporary_folder("empty");
        let error = load(&folder).unwrap_err();
        assert!(matches!(error, LoadError::NoManifestInFolder { .. }));
        assert!(error.to_string().contains("holds no sauce.toml"));
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn invalid_files_list_every_problem() {
        let folder = temporary_folder("invalid");
        let manifest = folder.join("sauce.toml");
        std::fs::write(&manifest, "[app]\nname = \"Bad_Name\"\n\n[htp]\n").unwrap();
        let error = load(&manifest).unwrap_err();
        let message = error.to_string();
        assert!(
            message.ends_with(&format!(
                "2 problems in `{}`",
                manifest.canonicalize().unwrap().display()
            )),
            "{message}"
        );
        assert!(
            message.starts_with("error: the app name must start"),
            "{message}"
        );
        assert!(message.contains("sauce.toml:2:8\n"), "{message}");
        assert!(
            message.contains("error: unknown table `[htp]`\n --> "),
            "{message}"
        );
        assert!(message.contains("sauce.toml:4:2\n"), "{message}");
        assert!(
            message.contains("= hint: did you mean `http`?"),
            "{message}"
        );
        assert!(!message.contains('\x1b'));
        assert!(error.render(true).contains("\x1b["));
        std::fs::remove_dir_all(folder).unwrap();
    }
}
