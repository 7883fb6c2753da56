//! Media types: the `Content-Type` inferred from a file's extension, and the syntax check of a
//! `content_type` written in sauce.toml (RFC 9110 §8.3.1: `type/subtype *( ; name=value )`).

use std::path::Path;

/// Extension (lowercase) → content type. Text types carry `; charset=utf-8`.
const BY_EXTENSION: [(&str, &str); 20] = [
    ("html", "text/html; charset=utf-8"),
    ("htm", "text/html; charset=utf-8"),
    ("css", "text/css; charset=utf-8"),
    ("js", "text/javascript; charset=utf-8"),
    ("mjs", "text/javascript; charset=utf-8"),
    ("json", "application/json"),
    ("txt", "text/plain; charset=utf-8"),
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("ico", "image/x-icon"),
    ("wasm", "application/wasm"),
    ("xml", "application/xml"),
    ("pdf", "application/pdf"),
    ("woff", "font/woff"),
    ("woff2", "font/woff2"),
    ("md", "text/markdown; charset=utf-8"),
];

/// Content type of files whose extension is unknown (or missing).
pub const UNKNOWN_CONTENT_TYPE: &str = "application/octet-stream";

/// The content type of the file at `path`, by its extension (any case); unknown extensions
/// get `application/octet-stream`.
pub fn content_type_for(path: &Path) -> &'static str {
    let Some(extension) = path.extension().and_then(|extension| extension.to_str()) else {
        return UNKNOWN_CONTENT_TYPE;
    };
    BY_EXTENSION
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(extension))
        .map_or(UNKNOWN_CONTENT_TYPE, |(_, content_type)| content_type)
}

/// Why `text` is not a media type, or `None` when it is one.
pub fn media_type_problem(text: &str) -> Option<String> {
    let mut parts = text.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return Some(format!(
            "`{essence}` has no `/`; a media type is `type/subtype`"
        ));
    };
    for (what, token) in [("type", kind), ("subtype", subtype)] {
        if !is_token(token) {
            return Some(format!(
                "the {what} `{token}` is empty or holds a character not allowed in a media type"
            ));
        }
    }
    for parameter in parts {
        let parameter = parameter.trim();
        let Some((name, value)) = parameter.split_once('=') else {
            return Some(format!("the parameter `{parameter}` is not `name=value`"));
        };
        if !is_token(name) || !(is_token(value) || is_quoted_string(value)) {
            return Some(format!("the parameter `{parameter}` is not `name=value`"));
        }
    }
    None
}

/// RFC 9110 `token`: one or more of the visible characters that are not delimiters.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

/// RFC 9110 `quoted-string` (visible characters, spaces, and `\`-escapes between quotes).
fn is_quoted_string(text: &str) -> bool {
    let Some(inner) = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    else {
        return false;
    };
    let mut escaped = false;
    for character in inner.chars() {
        let visible = character == ' ' || character == '\t' || character.is_ascii_graphic();
        if !visible {
            return false;
        }
        if escaped {
            escaped = false;
        } else if character == '\\' {
            escaped = true;
        } else if character == '"' {
            return false;
        }
    }
    !escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_by_extension_in_any_case() {
        assert_eq!(
            content_type_for(Path::new("a/index.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type_for(Path::new("logo.svg")), "image/svg+xml");
        assert_eq!(content_type_for(Path::new("font.woff2")), "font/woff2");
        assert_eq!(content_type_for(Path::new("photo.jpeg")), "image/jpeg");
        assert_eq!(content_type_for(Path::new("README")), UNKNOWN_CONTENT_TYPE);
        assert_eq!(
            content_type_for(Path::new("a.tar.zst")),
            UNKNOWN_CONTENT_TYPE
        );
    }

    #[test]
    fn accepts_media_types() {
        for valid in [
            "text/plain",
            "text/plain; charset=utf-8",
            "application/vnd.api+json",
            "text/html;charset=\"utf-8\"",
            "multipart/form-data; boundary=\"a b\"",
        ] {
            assert_eq!(media_type_problem(valid), None, "{valid}");
        }
    }

    #[test]
    fn rejects_broken_media_types() {
        for invalid in [
            "text",
            "text/",
            "/plain",
            "text/pl ain",
            "text/plain; charset",
            "text/plain; charset=",
            "text/plain; =utf-8",
            "text/plain; a=\"unterminated",
            "téxt/plain",
            "",
        ] {
            assert!(media_type_problem(invalid).is_some(), "{invalid}");
        }
    }
}
