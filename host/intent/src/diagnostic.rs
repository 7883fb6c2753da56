//! Diagnostics: an error pinned to `file:line:column` in a sauce.toml, with a hint to fix it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem found in a sauce.toml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub path: PathBuf,
    /// 1-based line of the problem's start.
    pub line: usize,
    /// 1-based column (in characters) of the problem's start.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic for the bytes `span` of `source`, the text of the file at `path`.
    pub fn at(path: &Path, source: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let (line, column) = line_and_column(source, span.start);
        Self {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
            hint: None,
        }
    }

    /// The same diagnostic with a hint attached.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{}:{}:{}: error: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(formatter, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The 1-based line and column (counted in characters) of byte `offset` in `source`.
///
/// An offset past the end, or inside a multi-byte character, is clamped to the nearest
/// character boundary before it.
pub fn line_and_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_character_is_line_one_column_one() {
        assert_eq!(line_and_column("abc", 0), (1, 1));
    }

    #[test]
    fn counts_lines_and_characters() {
        let source = "[app]\nname = \"é x\"\n";
        assert_eq!(line_and_column(source, 6), (2, 1));
        let x = source.find('x').unwrap();
        assert_eq!(line_and_column(source, x), (2, 11));
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        assert_eq!(line_and_column("a\nb", 99), (2, 2));
    }

    #[test]
    fn display_shows_location_and_hint() {
        let diagnostic = Diagnostic::at(Path::new("/p/sauce.toml"), "x\ny", 2..3, "bad thing")
            .with_hint("do the good thing");
        assert_eq!(
            diagnostic.to_string(),
            "/p/sauce.toml:2:1: error: bad thing\n  hint: do the good thing"
        );
    }
}
