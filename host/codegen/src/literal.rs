//! Text safe to put inside generated Rust and TOML: literals and comments.

use std::fmt::Write;
use std::path::Path;

/// `text` as a Rust string literal, quoted and escaped.
pub fn rust_string(text: &str) -> String {
    format!("{text:?}")
}

/// `text` as a TOML basic string, quoted and escaped.
pub fn toml_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            control if control.is_control() => {
                let _ = write!(quoted, "\\u{:04X}", u32::from(control));
            }
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

/// `text` safe inside a `//` comment: line breaks and other control characters escaped.
pub fn comment_safe(text: &str) -> String {
    let mut safe = String::new();
    for character in text.chars() {
        if character.is_control() {
            safe.extend(character.escape_debug());
        } else {
            safe.push(character);
        }
    }
    safe
}

/// [`comment_safe`] for a path.
pub fn comment_safe_path(path: &Path) -> String {
    comment_safe(&path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_for_toml() {
        assert_eq!(toml_string("/plain/path"), "\"/plain/path\"");
        assert_eq!(toml_string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    #[test]
    fn strings_are_escaped_for_rust() {
        assert_eq!(rust_string("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
    }

    #[test]
    fn comments_cannot_be_broken() {
        assert_eq!(comment_safe("/a b/\"c\"/d's"), "/a b/\"c\"/d's");
        assert_eq!(comment_safe("/x\ny"), "/x\\ny");
    }
}
