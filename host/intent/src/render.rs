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
//! Deterministic; ANSI colour only when the caller asks for it (a terminal).

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
        diagnostic.message
    );
    let _ = writeln!(
        text,
        "{pad}{blue}-->{reset} {}:{}:{}",
        diagnostic.path.display(),
        diagnostic.line,
        diagnostic.column
    );
    let _ = writeln!(text, "{pad} {blue}|{reset}");
    let shown = diagnostic.source_line.replace('\t', " ");
    let _ = writeln!(text, "{blue}{line_number} |{reset} {shown}");
    let _ = write!(
        text,
        "{pad} {blue}|{reset} {}{red}{}{reset}",
        " ".repeat(diagnostic.column.saturating_sub(1)),
        "^".repeat(underline_length(diagnostic, &shown))
    );
    if let Some(hint) = &diagnostic.hint {
        let label = "= hint: ";
        let continuation = format!("\n{pad} {}", " ".repeat(label.len()));
        let hint = hint.replace('\n', &continuation);
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

/// Carets under the span on its first line: at least one, at most to the end of the line.
fn underline_length(diagnostic: &Diagnostic, shown: &str) -> usize {
    let to_line_end = (shown.chars().count() + 1).saturating_sub(diagnostic.column);
    let length = if diagnostic.end_line == diagnostic.line {
        diagnostic.end_column.saturating_sub(diagnostic.column)
    } else {
        to_line_end
    };
    length.max(1)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

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
