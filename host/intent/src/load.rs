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
    let bytes = std::fs::read(&manifest).map_err(|source| LoadError::Read {
        path: manifest.clone(),
        source,
    })?;
    let source = match String::from_utf8(bytes) {
        Ok(source) => source,
        Err(error) => {
            let diagnostic = not_utf8(&manifest, error.as_bytes(), error.utf8_error());
            return Err(LoadError::Invalid {
                path: manifest,
                diagnostics: vec![diagnostic],
            });
        }
    };
    document::parse(&manifest, &source).map_err(|diagnostics| LoadError::Invalid {
        path: manifest,
        diagnostics,
    })
}

/// The diagnostic for a file that is not UTF-8: at the line and column of its first bad byte
/// (the column counts the characters before it on its line), showing the line with the bad
/// bytes replaced.
fn not_utf8(manifest: &Path, bytes: &[u8], error: std::str::Utf8Error) -> Diagnostic {
    let start = error.valid_up_to();
    let length = error.error_len().unwrap_or(bytes.len() - start).max(1);
    let bad: Vec<String> = bytes
        .get(start..start + length)
        .unwrap_or_default()
        .iter()
        .map(|byte| format!("0x{byte:02X}"))
        .collect();
    // The valid prefix maps offsets to lines and columns; the rest of the line is shown lossily.
    let prefix = String::from_utf8_lossy(bytes.get(..start).unwrap_or_default()).into_owned();
    let line_end = bytes
        .get(start..)
        .and_then(|rest| rest.iter().position(|byte| *byte == b'\n'))
        .map_or(bytes.len(), |offset| start + offset);
    let rest = String::from_utf8_lossy(bytes.get(start..line_end).unwrap_or_default());
    let source = format!("{prefix}{rest}");
    let bad_span = start..start + rest.chars().next().map_or(1, char::len_utf8);
    Diagnostic::at(
        manifest,
        &source,
        bad_span,
        format!(
            "the file is not UTF-8: byte {} cannot start or continue a character",
            bad.join(" ")
        ),
    )
    .with_hint("save sauce.toml as UTF-8 text (TOML files are UTF-8)")
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
    fn a_file_that_is_not_utf8_is_located_at_its_first_bad_byte() {
        let folder = temporary_folder("not-utf8");
        let manifest = folder.join("sauce.toml");
        std::fs::write(
            &manifest,
            b"[app]\nname = \"h\xC3\xA9llo\"\n# caf\xE9 \xFF\n",
        )
        .unwrap();
        let Err(LoadError::Invalid { diagnostics, .. }) = load(&manifest) else {
            panic!("accepted a file that is not UTF-8");
        };
        let diagnostic = &diagnostics[0];
        assert_eq!((diagnostic.line, diagnostic.column), (3, 6));
        assert!(
            diagnostic.message.contains("0xE9"),
            "{}",
            diagnostic.message
        );
        let rendered = crate::render::render(diagnostic, false);
        assert!(rendered.contains("sauce.toml:3:6"), "{rendered}");
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
