//! Diagnostics as the model and the user see them: the scratch folder's path replaced (by
//! nothing for the model, so it sees `src/lib.rs:3:5`; by the user's folder for people), colour
//! codes removed, and trimmed to a size limit at a line boundary.

use std::path::Path;

/// `diagnostics` with every spelling of `scratch` (as given and canonical, with and without a
/// trailing `/`) replaced by `replacement` (empty: project-relative paths).
pub fn rewrite_paths(diagnostics: &str, scratch: &Path, replacement: &str) -> String {
    let mut spellings = vec![scratch.display().to_string()];
    if let Ok(canonical) = scratch.canonicalize() {
        spellings.push(canonical.display().to_string());
    }
    spellings.sort_by_key(|spelling| std::cmp::Reverse(spelling.len()));
    spellings.dedup();
    let mut text = diagnostics.to_owned();
    for spelling in spellings.iter().filter(|spelling| spelling.len() > 1) {
        let with_separator = format!("{spelling}/");
        let replacement_with_separator = if replacement.is_empty() {
            String::new()
        } else {
            format!("{}/", replacement.trim_end_matches('/'))
        };
        text = text.replace(&with_separator, &replacement_with_separator);
        text = text.replace(
            spelling.as_str(),
            if replacement.is_empty() {
                "."
            } else {
                replacement
            },
        );
    }
    text
}

/// rustc's output trimmed to the user's files: a diagnostic block (from an `error`/`warning`
/// line to the next) whose ` --> ` location is an absolute path outside `project` (a
/// dependency's or the generated board's code) is dropped, with a count of what was dropped;
/// blocks without a location (`error: could not compile …`) stay. When every located block is
/// outside, everything is kept, so the cause is never hidden.
pub fn keep_project_diagnostics(text: &str, project: &Path) -> String {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in text.lines() {
        let starts = line.starts_with("error") || line.starts_with("warning");
        match blocks.last_mut() {
            Some(block) if !starts => block.push(line),
            _ => blocks.push(vec![line]),
        }
    }
    let project = project.display().to_string();
    let outside = |block: &Vec<&str>| {
        block
            .iter()
            .find_map(|line| line.trim_start().strip_prefix("--> "))
            .is_some_and(|location| location.starts_with('/') && !location.starts_with(&project))
    };
    let dropped = blocks.iter().filter(|block| outside(block)).count();
    let located = blocks
        .iter()
        .filter(|block| {
            block
                .iter()
                .any(|line| line.trim_start().starts_with("--> "))
        })
        .count();
    if dropped == 0 || dropped == located {
        return text.to_owned();
    }
    let mut kept: Vec<String> = blocks
        .iter()
        .filter(|block| !outside(block))
        .map(|block| block.join("\n"))
        .collect();
    kept.push(format!(
        "({dropped} diagnostic{} in code outside the project not shown)",
        if dropped == 1 { "" } else { "s" }
    ));
    kept.join("\n")
}

/// `text` without ANSI escape sequences.
pub fn strip_colour(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        if character == '\u{1b}' {
            if characters.peek() == Some(&'[') {
                characters.next();
                for next in characters.by_ref() {
                    if next.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        plain.push(character);
    }
    plain
}

/// The first whole lines of `text` that fit in `limit` bytes, and a line saying how many were
/// left out.
pub fn trim(text: &str, limit: usize) -> String {
    let text = text.trim_end();
    if text.len() <= limit {
        return text.to_owned();
    }
    let mut kept = String::new();
    let mut lines = text.lines();
    for line in lines.by_ref() {
        if kept.len() + line.len() + 1 > limit {
            let left = 1 + lines.count();
            kept.push_str(&format!(
                "… ({left} more line{} not shown)",
                if left == 1 { "" } else { "s" }
            ));
            return kept;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    kept.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_the_users() {
        let scratch = Path::new("/tmp/.sauce-ai-x1");
        let text = "error[E0308]: mismatched types\n --> /tmp/.sauce-ai-x1/src/lib.rs:3:5\n  in /tmp/.sauce-ai-x1";
        assert_eq!(
            rewrite_paths(text, scratch, ""),
            "error[E0308]: mismatched types\n --> src/lib.rs:3:5\n  in ."
        );
        assert_eq!(
            rewrite_paths(text, scratch, "shop"),
            "error[E0308]: mismatched types\n --> shop/src/lib.rs:3:5\n  in shop"
        );
    }

    #[test]
    fn diagnostics_outside_the_project_are_dropped() {
        let project = Path::new("/tmp/.sauce-ai-x1");
        let text = "error[E0308]: mismatched types\n --> /tmp/.sauce-ai-x1/src/lib.rs:3:5\n  |\nwarning: unused import\n --> /home/u/.cargo/registry/src/heapless/lib.rs:1:1\nerror: could not compile `hello` (lib) due to 1 previous error";
        assert_eq!(
            keep_project_diagnostics(text, project),
            "error[E0308]: mismatched types\n --> /tmp/.sauce-ai-x1/src/lib.rs:3:5\n  |\nerror: could not compile `hello` (lib) due to 1 previous error\n(1 diagnostic in code outside the project not shown)"
        );
        let only_outside = "error: boom\n --> /board/src/main.rs:1:1";
        assert_eq!(
            keep_project_diagnostics(only_outside, project),
            only_outside
        );
        assert_eq!(
            keep_project_diagnostics("error: plain", project),
            "error: plain"
        );
    }

    #[test]
    fn colours_are_removed() {
        assert_eq!(strip_colour("\u{1b}[1;31merror\u{1b}[0m: x"), "error: x");
    }

    #[test]
    fn trimming_keeps_whole_lines() {
        let text = "first line\nsecond line\nthird line\n";
        assert_eq!(trim(text, 100), "first line\nsecond line\nthird line");
        assert_eq!(
            trim(text, 25),
            "first line\nsecond line\n… (1 more line not shown)"
        );
        assert_eq!(trim(text, 5), "… (3 more lines not shown)");
    }
}
