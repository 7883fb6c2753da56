//! One file of the app crate as read: its path, its text, and where a parsed span falls in it.

use std::path::{Path, PathBuf};

use sauce_intent::Diagnostic;

/// A file read from the app crate.
#[derive(Debug)]
pub struct SourceFile {
    /// Its path, as found from the crate's folder.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// The byte offset where each line starts.
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// The file at `path` holding `text`.
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
            .collect();
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// The byte offset of a parsed position: 1-based `line`, 0-based `column` in characters
    /// (proc-macro2's convention); clamped to the text.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = self.text.get(start..).unwrap_or_default();
        let line_text = rest.split('\n').next().unwrap_or_default();
        let within = line_text
            .char_indices()
            .nth(column)
            .map_or(line_text.len(), |(index, _)| index);
        start + within
    }

    /// A diagnostic at the parsed span `span` of this file.
    pub fn diagnostic(&self, span: proc_macro2::Span, message: impl Into<String>) -> Diagnostic {
        let start = self.offset(span.start().line, span.start().column);
        let end = self.offset(span.end().line, span.end().column).max(start);
        Diagnostic::at(&self.path, &self.text, start..end, message)
    }
}

/// Where something is in the app crate: a file and a 1-based line, shown as `src/todos.rs:78`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// Its 1-based line.
    pub line: usize,
}

impl Location {
    /// The line where `span` starts in `path` (spans come from a parse of that file alone).
    pub fn of_span(path: &Path, span: proc_macro2::Span) -> Location {
        Location {
            path: path.to_path_buf(),
            line: span.start().line.max(1),
        }
    }

    /// `file:line`, the file relative to `base` (the sauce.toml's folder) when inside it, so
    /// messages keep the user's own short paths.
    pub fn shown_from(&self, base: &Path) -> String {
        format!("{}:{}", relative(&self.path, base).display(), self.line)
    }
}

/// `path` relative to `base` when it lies inside it, else `path` as it is.
pub fn relative<'a>(path: &'a Path, base: &Path) -> &'a Path {
    match path.strip_prefix(base) {
        Ok(inside) if !inside.as_os_str().is_empty() => inside,
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_shown_from_the_project_folder() {
        let location = Location {
            path: PathBuf::from("/project/src/todos.rs"),
            line: 78,
        };
        assert_eq!(
            location.shown_from(Path::new("/project")),
            "src/todos.rs:78"
        );
        assert_eq!(
            location.shown_from(Path::new("/elsewhere")),
            "/project/src/todos.rs:78"
        );
    }

    #[test]
    fn positions_map_to_offsets() {
        let file = SourceFile::new(PathBuf::from("a.rs"), "a\nbü c\nd".to_owned());
        assert_eq!(file.offset(1, 0), 0);
        assert_eq!(file.offset(2, 0), 2);
        assert_eq!(file.offset(2, 2), 5);
        assert_eq!(file.offset(2, 99), 7);
        assert_eq!(file.offset(9, 0), file.text.len());
    }
}
