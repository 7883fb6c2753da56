//! Diagnostics: a problem pinned to a span of a sauce.toml, with a hint to fix it; rendered for
//! people by [`crate::render`] and as data by [`diagnostics_to_json`].

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a problem is. Version 1 of the format only has errors: an intent is either valid or
/// rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The intent cannot be built as written.
    Error,
}

impl Severity {
    /// `error`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
        }
    }
}

/// One problem found in a sauce.toml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// The file the problem is in.
    pub path: PathBuf,
    /// Byte range of the offending text in the file.
    pub span: Range<usize>,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column (in characters) of the span's start.
    pub column: usize,
    /// 1-based line of the span's end (exclusive position).
    pub end_line: usize,
    /// 1-based column of the span's end: the column just after its last character.
    pub end_column: usize,
    /// The text of line [`Diagnostic::line`], shown under the message.
    pub source_line: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at the bytes `span` of `source`, the text of the file at `path`.
    pub fn at(path: &Path, source: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::at_indexed(path, source, &LineIndex::new(source), span, message)
    }

    /// [`Diagnostic::at`] with the source's [`LineIndex`] already made: for a checker that may
    /// report thousands of problems in one file.
    pub fn at_indexed(
        path: &Path,
        source: &str,
        lines: &LineIndex,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = lines.line_and_column(source, span.start);
        let (end_line, end_column) = lines.line_and_column(source, span.end.max(span.start));
        let source_line = lines.line(source, line);
        Self {
            severity: Severity::Error,
            path: path.to_path_buf(),
            span,
            line,
            column,
            end_line,
            end_column,
            source_line: source_line.trim_end_matches('\r').to_owned(),
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
    /// The rustc-like rendering without colour (see [`crate::render`]).
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&crate::render::render(self, false))
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

/// Where each line of a source starts, so many offsets map to lines in logarithmic time (an
/// intent with 10,000 routes records some 40,000 origins).
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line, the first being 0.
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `source`.
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|(_, byte)| *byte == b'\n')
                .map(|(index, _)| index + 1),
        );
        LineIndex { starts }
    }

    /// The text of 1-based line `line` of `source`, without its line break.
    pub fn line<'a>(&self, source: &'a str, line: usize) -> &'a str {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(source.len());
        let end = self.starts.get(line).map_or(source.len(), |next| next - 1);
        source.get(start..end.max(start)).unwrap_or_default()
    }

    /// The 1-based line and column (in characters) of byte `offset` of `source` (the source
    /// this index was made from), clamped to the source; an offset inside a character counts
    /// as that character.
    pub fn line_and_column(&self, source: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|start| *start <= offset);
        let line_start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let column = source
            .get(line_start..offset)
            .map_or(0, |text| text.chars().count())
            + 1;
        (line, column)
    }
}

/// One diagnostic as data (the `--format json` shape).
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    message: &'a str,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    hint: Option<&'a str>,
}

/// `diagnostics` as a JSON array of objects `{severity, message, file, line, column, end_line,
/// end_column, hint}`; lines and columns are 1-based, the end is exclusive, `hint` may be null.
pub fn diagnostics_to_json(diagnostics: &[Diagnostic]) -> String {
    let objects: Vec<JsonDiagnostic<'_>> = diagnostics
        .iter()
        .map(|diagnostic| JsonDiagnostic {
            severity: diagnostic.severity,
            message: &diagnostic.message,
            file: diagnostic.path.display().to_string(),
            line: diagnostic.line,
            column: diagnostic.column,
            end_line: diagnostic.end_line,
            end_column: diagnostic.end_column,
            hint: diagnostic.hint.as_deref(),
        })
        .collect();
    serde_json::to_string_pretty(&objects).unwrap_or_else(|_| "[]".to_owned())
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
    fn a_diagnostic_knows_its_span_and_line() {
        let source = "[app]\r\nname = \"Bad\"\r\n";
        let start = source.find('"').unwrap();
        let diagnostic =
            Diagnostic::at(Path::new("/p/sauce.toml"), source, start..start + 5, "bad");
        assert_eq!((diagnostic.line, diagnostic.column), (2, 8));
        assert_eq!((diagnostic.end_line, diagnostic.end_column), (2, 13));
        assert_eq!(diagnostic.source_line, "name = \"Bad\"");
    }

    #[test]
    fn json_has_every_field() {
        let diagnostic = Diagnostic::at(Path::new("/p/sauce.toml"), "x = 1\n", 4..5, "bad \"x\"")
            .with_hint("fix it");
        let value: serde_json::Value =
            serde_json::from_str(&diagnostics_to_json(&[diagnostic])).unwrap();
        let expected = serde_json::json!([{
            "severity": "error", "message": "bad \"x\"", "file": "/p/sauce.toml",
            "line": 1, "column": 5, "end_line": 1, "end_column": 6, "hint": "fix it"
        }]);
        assert_eq!(value, expected);
        assert_eq!(diagnostics_to_json(&[]), "[]");
    }
}
