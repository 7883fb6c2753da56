//! The app's own code: the Rust crate beside sauce.toml whose functions routes name
//! (`[app] code`, `init`, `[app.env]`, `[[app.every]]`, a route's `handler`).

use std::path::PathBuf;

use serde::Serialize;

/// The app crate and what the intent asks of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AppCode {
    /// `code`: the crate's folder, absolute and canonical (it holds a `Cargo.toml`).
    pub folder: PathBuf,
    /// `init`: the function that builds the app's state once at boot (`init`, `state::init`).
    pub init: Option<String>,
    /// `allow_unsafe = true`: the crate may use `unsafe` (forbidden unless the intent says so).
    pub allow_unsafe: bool,
    /// `watchdog`: how long a handler may run without yielding; `None`: the component's
    /// default.
    pub watchdog: Option<crate::Milliseconds>,
}

/// A value of `[app.env]`: a default the guest reads with `env("KEY")`, which
/// `sauce run --env KEY=VALUE` overrides at boot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnvDefault {
    /// The key: `A-Z`, `0-9` and `_`, not starting with a digit.
    pub key: String,
    /// Its default value.
    pub value: String,
}

/// `[[app.every]]`: a function of the app crate run every `seconds`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Every {
    /// `seconds`: from 1 to 86 400.
    pub seconds: u32,
    /// `task`: the function (`stats::tick`).
    pub task: String,
}

/// HTTP methods a route may name in `methods`.
pub const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// Whether `text` is a path to a Rust function: identifiers joined by `::`.
pub fn is_rust_path(text: &str) -> bool {
    !text.is_empty()
        && text.split("::").all(|segment| {
            let mut characters = segment.chars();
            characters
                .next()
                .is_some_and(|first| first == '_' || first.is_ascii_alphabetic())
                && characters.all(|character| character == '_' || character.is_ascii_alphanumeric())
                && segment != "_"
        })
}

/// Whether `text` is an environment key: `A-Z`, `0-9`, `_`, not starting with a digit.
pub fn is_env_key(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|first| first == '_' || first.is_ascii_uppercase())
        && text.chars().all(|character| {
            character == '_' || character.is_ascii_uppercase() || character.is_ascii_digit()
        })
}

/// What is wrong with a handler route's path (`/todos/{id}`, `/files/{*rest}`), if anything:
/// segments are literal text, `{name}`, or a final `{*name}`; names are identifiers, each once.
pub fn handler_path_problem(path: &str) -> Option<(String, String)> {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let mut names: Vec<&str> = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        let Some(inner) = segment.strip_prefix('{') else {
            if segment.contains(['{', '}']) {
                return Some((
                    format!("`{path}`: `{segment}` mixes text and a `{{parameter}}`"),
                    "a parameter is a whole segment: `/todos/{id}`".to_owned(),
                ));
            }
            if *segment == "*" && index + 1 == segments.len() {
                return Some((
                    format!("`{path}`: a handler route names its rest, `{{*rest}}`, not `*`"),
                    format!("write `{}{{*rest}}`", path.trim_end_matches('*')),
                ));
            }
            continue;
        };
        let Some(name) = inner.strip_suffix('}') else {
            return Some((
                format!("`{path}`: `{segment}` is not closed"),
                "write a parameter as `{name}`".to_owned(),
            ));
        };
        let (rest, name) = match name.strip_prefix('*') {
            Some(name) => (true, name),
            None => (false, name),
        };
        if rest && index + 1 != segments.len() {
            return Some((
                format!("`{path}`: `{{*{name}}}` takes the rest of the path, so it must come last"),
                "move it to the end, or use `{name}` for one segment".to_owned(),
            ));
        }
        if !is_rust_path(name) || name.contains("::") {
            return Some((
                format!("`{path}`: `{name}` is not a parameter name"),
                "name a parameter with letters, digits and `_`: `{id}`".to_owned(),
            ));
        }
        if names.contains(&name) {
            return Some((
                format!("`{path}` names the parameter `{name}` twice"),
                "give each parameter its own name".to_owned(),
            ));
        }
        names.push(name);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_paths_and_keys() {
        assert!(is_rust_path("init") && is_rust_path("todos::item") && is_rust_path("_x::y2"));
        for bad in ["", "todos::", "::x", "2x", "a-b", "a::_", "a b"] {
            assert!(!is_rust_path(bad), "{bad}");
        }
        assert!(is_env_key("DATABASE_URL") && is_env_key("_X1"));
        assert!(!is_env_key("database") && !is_env_key("1X") && !is_env_key(""));
    }

    #[test]
    fn handler_paths() {
        for good in [
            "/",
            "/todos",
            "/todos/{id}",
            "/a/{x}/b/{y}",
            "/files/{*rest}",
            "/{code}",
        ] {
            assert_eq!(handler_path_problem(good), None, "{good}");
        }
        for bad in [
            "/a{id}",
            "/{id",
            "/{*rest}/more",
            "/{a}/{a}",
            "/{a-b}",
            "/x/*",
            "/{}",
        ] {
            assert!(handler_path_problem(bad).is_some(), "{bad}");
        }
    }
}
