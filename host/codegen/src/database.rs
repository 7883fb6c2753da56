//! Each `[[database]]` as the client components' snippets place it: its name and URL key as
//! Rust literals, and the fields its keys override in the client's `Configuration`.

use serde::Serialize;

use sauce_intent::Intent;

use crate::literal::{comment_safe, rust_string};

/// One `[[database]]`.
#[derive(Clone, Debug, Serialize)]
pub struct DatabaseView {
    /// `postgres`, `redis` or `mysql`: the snippet of that kind's client places it.
    pub kind: &'static str,
    /// `[[database]] name = "…" (sauce.toml:LINE)`, comment-safe.
    pub comment: String,
    /// The name, a Rust literal.
    pub name: String,
    /// The environment key the URL is read from at boot, a Rust literal (never the URL).
    pub url_key: String,
    /// The fields the intent sets, each overriding the component's default.
    pub fields: Vec<DatabaseField>,
}

/// One overridden field of a client's `Configuration`.
#[derive(Clone, Debug, Serialize)]
pub struct DatabaseField {
    /// The field: `pool_size`, `timeout_ms`, `backoff_max_ms`.
    pub name: &'static str,
    /// Its value, a Rust expression.
    pub value: String,
    /// The key it came from, comment-safe: `pool (sauce.toml:9)`.
    pub origin: String,
}

/// Every database of `intent`, in the order written.
pub fn views(intent: &Intent) -> Vec<DatabaseView> {
    intent
        .databases
        .iter()
        .enumerate()
        .map(|(index, database)| {
            let line = |key: &str| {
                intent
                    .line_of(&format!("database.{index}.{key}"))
                    .map_or_else(String::new, |line| format!(" (sauce.toml:{line})"))
            };
            let mut fields = Vec::new();
            let mut add = |name: &'static str, key: &str, value: Option<u64>| {
                if let Some(value) = value {
                    fields.push(DatabaseField {
                        name,
                        value: value.to_string(),
                        origin: comment_safe(&format!("{key}{}", line(key))),
                    });
                }
            };
            add("pool_size", "pool", database.pool.map(u64::from));
            add(
                "timeout_ms",
                "timeout",
                database.timeout.map(|timeout| timeout.0),
            );
            add(
                "backoff_max_ms",
                "backoff_max",
                database.backoff_max.map(|backoff| backoff.0),
            );
            DatabaseView {
                kind: database.kind.as_str(),
                comment: comment_safe(&format!(
                    "[[database]] name = {:?}, url = \"{}\"{}",
                    database.name,
                    database.url_as_written(),
                    line("name")
                )),
                name: rust_string(&database.name),
                url_key: rust_string(&database.url_env),
                fields,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn databases_keep_their_order_keys_and_overrides() {
        let source = "[app]\nname = \"shop\"\n\n[[database]]\nname = \"main\"\nkind = \"postgres\"\nurl = \"${DATABASE_URL}\"\npool = 8\ntimeout = \"2s\"\n\n[[database]]\nname = \"cache\"\nkind = \"redis\"\nurl = \"${REDIS_URL}\"\n";
        let intent = sauce_intent::parse(Path::new("/p/sauce.toml"), source).unwrap();
        let views = views(&intent);
        assert_eq!(views.len(), 2);
        let main = &views[0];
        assert_eq!(
            (main.kind, main.name.as_str(), main.url_key.as_str()),
            ("postgres", "\"main\"", "\"DATABASE_URL\"")
        );
        assert_eq!(
            main.comment,
            "[[database]] name = \"main\", url = \"${DATABASE_URL}\" (sauce.toml:5)"
        );
        let fields: Vec<(&str, &str, &str)> = main
            .fields
            .iter()
            .map(|field| (field.name, field.value.as_str(), field.origin.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("pool_size", "8", "pool (sauce.toml:8)"),
                ("timeout_ms", "2000", "timeout (sauce.toml:9)"),
            ]
        );
        assert_eq!(views[1].kind, "redis");
        assert!(views[1].fields.is_empty());
    }
}
