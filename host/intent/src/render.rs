//! Diagnostics for people, laid out like rustc's:
//!
//! ```text
//! error: unknown table `[htp]`
//!  --> /home/me/web/sauce.toml:4:2
//!   |
//! 4 | [htp]
//!   |  ^^^
//!   = hint: did you mean `http`?
//! ```
//!
//! Deterministic; ANSI colour only when the caller asks for it (a terminal). Control characters
//! from the file (a CR, LF or ESC inside a value, a path) are shown escaped (`\u{1b}`), never
//! sent to the terminal.

use std::borrow::Cow;
use std::fmt::Write;

use crate::diagnostic::Diagnostic;

const RED: &str = "\x1b[1;31m";
const BLUE: &str = "\x1b[1;34m";
const CYAN: &str = "\x1b[1;36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// One diagnostic, without a trailing newline; `colour` adds ANSI colours.
pub fn render(diagnostic: &Diagnostic, colour: bool) -> String {
    let paint = |style: &'static str| if colour { style } else { "" };
    let (red, blue, cyan, bold, reset) = (
        paint(RED),
        paint(BLUE),
        paint(CYAN),
        paint(BOLD),
        paint(RESET),
    );
    let line_number = diagnostic.line.to_string();
    let pad = " ".repeat(line_number.len());
    let severity = diagnostic.severity.as_str();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{red}{severity}{reset}{bold}: {}{reset}",
        visible(&diagnostic.message)
    );
    let _ = writeln!(
        text,
        "{pad}{blue}-->{reset} {}:{}:{}",
        visible(&diagnostic.path.display().to_string()),
        diagnostic.line,
        diagnostic.column
    );
    let _ = writeln!(text, "{pad} {blue}|{reset}");
    let source_line = diagnostic.source_line.replace('\t', " ");
    let shown = visible(&source_line);
    let _ = writeln!(text, "{blue}{line_number} |{reset} {shown}");
    let before: String = source_line
        .chars()
        .take(diagnostic.column.saturating_sub(1))
        .collect();
    let offset = visible(&before).chars().count();
    let _ = write!(
        text,
        "{pad} {blue}|{reset} {}{red}{}{reset}",
        " ".repeat(offset),
        "^".repeat(underline_length(diagnostic, &source_line))
    );
    if let Some(hint) = &diagnostic.hint {
        let label = "= hint: ";
        let continuation = format!("\n{pad} {}", " ".repeat(label.len()));
        let hint = hint
            .split('\n')
            .map(visible)
            .collect::<Vec<_>>()
            .join(&continuation);
        let _ = write!(text, "\n{pad} {blue}={reset} {cyan}hint{reset}: {hint}");
    }
    text
}

/// Every diagnostic, separated by blank lines, without a trailing newline.
pub fn render_all(diagnostics: &[Diagnostic], colour: bool) -> String {
    let rendered: Vec<String> = diagnostics
        .iter()
        .map(|diagnostic| render(diagnostic, colour))
        .collect();
    rendered.join("\n\n")
}

/// Carets under the span on its first line (as shown, escapes included): at least one, at
/// most to the end of the line.
fn underline_length(diagnostic: &Diagnostic, source_line: &str) -> usize {
    let start = diagnostic.column.saturating_sub(1);
    let end = if diagnostic.end_line == diagnostic.line {
        diagnostic.end_column.saturating_sub(1).max(start)
    } else {
        source_line.chars().count()
    };
    let span: String = source_line.chars().skip(start).take(end - start).collect();
    visible(&span).chars().count().max(1)
}

/// `text` with every control character (C0, DEL, C1) written as an escape: `\r`, `\n`, `\t`,
/// `\u{1b}`. Terminal control sequences in a file never reach the terminal.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '\r' => escaped.push_str("\\r"),
            '\n' => escaped.push_str("\\n"),
            '\t' => escaped.push_str("\\t"),
            control if control.is_control() => {
                let _ = write!(escaped, "\\u{{{:x}}}", u32::from(control));
            }
            other => escaped.push(other),
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn control_characters_are_escaped_everywhere() {
        let source = "content_type = \"text/plain\"\n";
        let mut diagnostic = Diagnostic::at(
            Path::new("/p/evil\u{1b}[2J/sauce.toml"),
            source,
            15..27,
            "`text/\u{1b}[31mred\r\nX-Injected: 1` is not a media type",
        )
        .with_hint("line one\nline \u{7} two");
        diagnostic.source_line = "content_type = \"a\u{1b}b\"".to_owned();
        let rendered = render(&diagnostic, false);
        assert!(
            !rendered.contains('\u{1b}') && !rendered.contains('\r') && !rendered.contains('\u{7}'),
            "{rendered:?}"
        );
        assert!(
            rendered.contains("`text/\\u{1b}[31mred\\r\\nX-Injected: 1`"),
            "{rendered}"
        );
        assert!(rendered.contains("evil\\u{1b}[2J"), "{rendered}");
        assert!(rendered.contains("line \\u{7} two"), "{rendered}");
        // The hint's own line break stays a line break.
        assert_eq!(rendered.matches('\n').count(), 6, "{rendered}");
    }

    fn diagnostic(source: &str, needle: &str, hint: Option<&str>) -> Diagnostic {
        let start = source.find(needle).unwrap();
        let diagnostic = Diagnostic::at(
            Path::new("/p/sauce.toml"),
            source,
            start..start + needle.len(),
            "unknown table `[htp]`",
        );
        match hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        }
    }

    #[test]
    fn renders_like_rustc() {
        let source = "[app]\nname = \"a\"\n\n[htp]\n";
        let rendered = render(
            &diagnostic(source, "htp", Some("did you mean `http`?")),
            false,
        );
        let expected = "error: unknown table `[htp]`\n --> /p/sauce.toml:4:2\n  |\n4 | [htp]\n  |  ^^^\n  = hint: did you mean `http`?";
        assert_eq!(rendered, expected);
    }

    #[test]
    fn wide_line_numbers_multi_line_spans_and_hints() {
        let source = format!("{}body = \"\"\"\nline\n\"\"\"\n", "\n".repeat(11));
        let rendered = render(
            &diagnostic(&source, "\"\"\"\nline\n\"\"\"", Some("first\nsecond")),
            false,
        );
        let expected = "error: unknown table `[htp]`\n  --> /p/sauce.toml:12:8\n   |\n12 | body = \"\"\"\n   |        ^^^\n   = hint: first\n           second";
        assert_eq!(rendered, expected);
    }

    #[test]
    fn empty_spans_get_one_caret_and_colour_is_optional() {
        let source = "";
        let plain = render(&diagnostic(source, "", None), false);
        assert!(plain.ends_with("1 | \n  | ^"), "{plain:?}");
        let coloured = render(&diagnostic(source, "", None), true);
        assert!(coloured.contains("\x1b[1;31merror\x1b[0m"));
        assert!(!plain.contains('\x1b'));
        let both = render_all(
            &[diagnostic(source, "", None), diagnostic(source, "", None)],
            false,
        );
        assert_eq!(both, format!("{plain}\n\n{plain}"));
    }
}
