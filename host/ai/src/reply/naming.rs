//! Which file a fenced block is: from its info string (```` ```rust src/lib.rs ````,
//! ```` ```sauce.toml ````, ```` ```rust title="src/lib.rs" ````), from the line before it
//! (`**src/lib.rs**`, `File: src/lib.rs`), from a comment on its first line (`// src/lib.rs`),
//! or, for TOML, from its contents (`[app]` is sauce.toml, `[package]` is Cargo.toml).

/// Language words models put first in an info string.
const LANGUAGES: &[&str] = &[
    "toml",
    "rust",
    "rs",
    "markdown",
    "md",
    "html",
    "htm",
    "css",
    "javascript",
    "js",
    "json",
    "text",
    "txt",
    "plaintext",
    "svg",
    "xml",
    "ini",
    "shell",
    "sh",
    "bash",
    "console",
];

/// Extensions a bare word must end with to be taken for a file name.
const EXTENSIONS: &[&str] = &[
    "toml", "rs", "md", "html", "htm", "css", "js", "json", "txt", "svg", "png", "ico", "jpg",
    "jpeg", "gif", "webp", "xml", "lock", "bashrc", "profile", "sh", "exe", "dll",
];

/// How a block got its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedBy {
    /// The info string.
    Info,
    /// The prose line before the block.
    LineBefore,
    /// A comment on the block's first line.
    FirstLine,
    /// Its contents (a TOML `[app]` or `[package]` table).
    Contents,
}

/// The language and file name an info string gives, either possibly absent.
pub fn split_info(info: &str) -> (Option<String>, Option<String>) {
    let mut language = None;
    let mut name = None;
    for (index, token) in info.split_whitespace().enumerate() {
        let token = token.trim_matches(|character| character == ',' || character == ';');
        if let Some((key, value)) = token.split_once('=') {
            if ["title", "file", "filename", "path", "name"]
                .contains(&key.to_ascii_lowercase().as_str())
            {
                name = name.or_else(|| Some(unquote(value).to_owned()));
            }
            continue;
        }
        if let Some((first, rest)) = token.split_once(':') {
            if LANGUAGES.contains(&first.to_ascii_lowercase().as_str()) && !rest.is_empty() {
                language = Some(first.to_ascii_lowercase());
                name = name.or_else(|| Some(unquote(rest).to_owned()));
                continue;
            }
        }
        if index == 0 && LANGUAGES.contains(&token.to_ascii_lowercase().as_str()) {
            language = Some(token.to_ascii_lowercase());
        } else if name.is_none() && looks_like_path(unquote(token)) {
            name = Some(unquote(token).to_owned());
        } else if index == 0 {
            language = Some(token.to_ascii_lowercase());
        }
    }
    (language, name)
}

/// The one file name a short prose line gives (`**src/lib.rs**`, `File: src/lib.rs`,
/// `### sauce.toml`, `` `Cargo.toml`: ``), if it gives exactly one.
pub fn name_in_line(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 10 || line.len() > 160 {
        return None;
    }
    let mut candidates = words
        .iter()
        .map(|word| clean(word))
        .filter(|word| looks_like_path(word));
    let first = candidates.next()?;
    candidates.next().is_none().then(|| first.to_owned())
}

/// The file name a first-line comment gives: `// src/lib.rs`, `# sauce.toml`,
/// `<!-- public/index.html -->`, `/* public/site.css */`.
pub fn name_in_comment(line: &str) -> Option<String> {
    let line = line.trim();
    let body = if let Some(rest) = line.strip_prefix("//") {
        rest.trim_start_matches(['/', '!'])
    } else if let Some(rest) = line.strip_prefix('#') {
        if rest.starts_with('[') || rest.starts_with('!') {
            return None;
        }
        rest
    } else if let Some(rest) = line.strip_prefix("<!--") {
        rest.trim_end().strip_suffix("-->")?
    } else if let Some(rest) = line.strip_prefix("/*") {
        rest.trim_end().strip_suffix("*/")?
    } else {
        return None;
    };
    let body = body.trim();
    let body = strip_label(body);
    let words: Vec<&str> = body.split_whitespace().collect();
    match words.as_slice() {
        [word] if looks_like_path(clean(word)) => Some(clean(word).to_owned()),
        _ => None,
    }
}

/// The file a TOML block's contents make it.
pub fn name_from_toml(content: &str) -> Option<&'static str> {
    let headers: Vec<&str> = content
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with('['))
        .collect();
    if headers.contains(&"[app]") || headers.contains(&"[[http.route]]") {
        Some("sauce.toml")
    } else if headers.contains(&"[package]") {
        Some("Cargo.toml")
    } else {
        None
    }
}

/// Whether a word looks like a file name: it has a `/`, starts like a path (`~`, `.`), or
/// ends in a known extension.
pub fn looks_like_path(word: &str) -> bool {
    if word.is_empty() || word.contains("://") {
        return false;
    }
    if word.contains('/') || word.contains('\\') || word.starts_with('~') {
        return true;
    }
    match word.rsplit_once('.') {
        Some((stem, extension)) => {
            EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str())
                && (!stem.is_empty() || extension.len() > 2)
        }
        None => false,
    }
}

fn unquote(text: &str) -> &str {
    text.trim_matches(|character| character == '"' || character == '\'' || character == '`')
}

/// A word without the Markdown and punctuation around it.
fn clean(word: &str) -> &str {
    let word = word.trim_matches(|character: char| "*`\"'()[]{}<>,;!?#".contains(character));
    let word = word.trim_end_matches([':', '.']);
    word.trim_matches(|character: char| "*`\"'".contains(character))
}

fn strip_label(text: &str) -> &str {
    for label in ["file:", "filename:", "path:", "file name:"] {
        if let (Some(head), Some(rest)) = (text.get(..label.len()), text.get(label.len()..)) {
            if head.eq_ignore_ascii_case(label) {
                return rest.trim_start();
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings() {
        let cases = [
            ("toml sauce.toml", (Some("toml"), Some("sauce.toml"))),
            ("rust src/lib.rs", (Some("rust"), Some("src/lib.rs"))),
            ("sauce.toml", (None, Some("sauce.toml"))),
            (
                "rust title=\"src/lib.rs\"",
                (Some("rust"), Some("src/lib.rs")),
            ),
            ("rust:src/routes.rs", (Some("rust"), Some("src/routes.rs"))),
            ("rust", (Some("rust"), None)),
            ("probes", (Some("probes"), None)),
            ("", (None, None)),
            ("toml ../../.bashrc", (Some("toml"), Some("../../.bashrc"))),
            (
                "html public/index.html",
                (Some("html"), Some("public/index.html")),
            ),
        ];
        for (info, (language, name)) in cases {
            let expected = (language.map(str::to_owned), name.map(str::to_owned));
            assert_eq!(split_info(info), expected, "{info:?}");
        }
    }

    #[test]
    fn lines_before_a_block() {
        let cases = [
            ("**src/lib.rs**", Some("src/lib.rs")),
            ("File: src/lib.rs", Some("src/lib.rs")),
            ("### `sauce.toml`", Some("sauce.toml")),
            ("`Cargo.toml`:", Some("Cargo.toml")),
            ("Create src/lib.rs with the handlers.", Some("src/lib.rs")),
            ("Here is the project:", None),
            ("Copy sauce.toml and src/lib.rs", None),
            ("**../../.bashrc**", Some("../../.bashrc")),
            ("e.g. this", None),
        ];
        for (line, expected) in cases {
            assert_eq!(name_in_line(line).as_deref(), expected, "{line:?}");
        }
    }

    #[test]
    fn first_line_comments() {
        assert_eq!(
            name_in_comment("// src/lib.rs").as_deref(),
            Some("src/lib.rs")
        );
        assert_eq!(
            name_in_comment("# sauce.toml").as_deref(),
            Some("sauce.toml")
        );
        assert_eq!(
            name_in_comment("<!-- public/index.html -->").as_deref(),
            Some("public/index.html")
        );
        assert_eq!(
            name_in_comment("// File: src/routes.rs").as_deref(),
            Some("src/routes.rs")
        );
        assert_eq!(name_in_comment("//! The shop API."), None);
        assert_eq!(name_in_comment("#![no_std]"), None);
        assert_eq!(name_in_comment("# [app]"), None);
        assert_eq!(name_in_comment("let a = 1;"), None);
        assert_eq!(name_in_comment("//``𑶠"), None);
    }

    #[test]
    fn toml_contents() {
        assert_eq!(name_from_toml("[app]\nname = \"a\"\n"), Some("sauce.toml"));
        assert_eq!(
            name_from_toml("[package]\nname = \"a\"\n"),
            Some("Cargo.toml")
        );
        assert_eq!(name_from_toml("a = 1\n"), None);
    }
}
