//! The parsed TOML document → an [`Intent`], checking every key and value it reads.
//!
//! This version reads `[app] name`, `[resources] memory`, `[http]` with `body` routes and
//! `[network]`; `[build]` and `[target]` are accepted as they are, and any other top-level key
//! is an error.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostic::Diagnostic;
use crate::spelling::closest;
use crate::{name, App, AppName, Intent, MemorySize, Resources};

mod http;

/// Top-level tables of the intent format, version 1 (design brief §4).
pub const TOP_LEVEL_TABLES: [&str; 6] = ["app", "http", "network", "resources", "build", "target"];
/// Keys read from `[app]`.
const APP_KEYS: [&str; 1] = ["name"];
/// Keys read from `[resources]`.
const RESOURCES_KEYS: [&str; 2] = ["memory", "vcpus"];

/// Parses `source`, the text of the sauce.toml at `path` (absolute), into an intent, or every
/// problem found, in source order.
pub fn parse(path: &Path, source: &str) -> Result<Intent, Vec<Diagnostic>> {
    let mut checker = Checker {
        path,
        source,
        diagnostics: Vec::new(),
    };
    let root = match DeTable::parse(source) {
        Ok(root) => root,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            let diagnostic = checker
                .diagnostic(span, format!("invalid TOML: {}", error.message()))
                .with_hint("see https://toml.io for the syntax");
            return Err(vec![diagnostic]);
        }
    };
    let intent = checker.document(root.get_ref());
    checker
        .diagnostics
        .sort_by_key(|diagnostic| (diagnostic.line, diagnostic.column));
    match intent {
        Some(intent) if checker.diagnostics.is_empty() => Ok(intent),
        _ => Err(checker.diagnostics),
    }
}

/// Collects diagnostics while walking one document.
struct Checker<'a> {
    path: &'a Path,
    source: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn diagnostic(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.path, self.source, span, message)
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn document(&mut self, root: &DeTable<'_>) -> Option<Intent> {
        self.reject_unknown_keys(root, "", &TOP_LEVEL_TABLES);
        for (key, value) in root {
            if TOP_LEVEL_TABLES.contains(&key.get_ref().as_ref()) {
                self.expect_table(key, value);
            }
        }
        let app = match root.get("app") {
            Some(app) => self.app(app),
            None => {
                let diagnostic = self
                    .diagnostic(0..0, "the `[app]` table is missing")
                    .with_hint("every sauce.toml starts with:\n    [app]\n    name = \"my-app\"");
                self.report(diagnostic);
                None
            }
        };
        let resources = root.get("resources").map(|table| self.resources(table));
        let http = root.get("http").and_then(|table| self.http(table));
        let network = root.get("network").map(|table| self.network(table));
        let manifest_path = self.path.to_path_buf();
        Some(Intent {
            manifest_path,
            app: app?,
            resources: resources.unwrap_or_default(),
            http,
            network: network.unwrap_or_default(),
        })
    }

    fn app(&mut self, app: &Spanned<DeValue<'_>>) -> Option<App> {
        let table = app.get_ref().as_table()?;
        self.reject_unknown_keys(table, "app", &APP_KEYS);
        let Some(name) = table.get("name") else {
            let diagnostic = self
                .diagnostic(app.span(), "`[app]` has no `name`")
                .with_hint("add a line such as `name = \"hello\"` (a-z, 0-9 and `-`)");
            self.report(diagnostic);
            return None;
        };
        let text = self.expect_string(name, "app.name")?;
        match AppName::new(text) {
            Ok(name) => Some(App { name }),
            Err(error) => {
                let hint = format!("try `name = \"{}\"`", name::suggest(text));
                let diagnostic = self
                    .diagnostic(name.span(), error.to_string())
                    .with_hint(hint);
                self.report(diagnostic);
                None
            }
        }
    }

    fn resources(&mut self, resources: &Spanned<DeValue<'_>>) -> Resources {
        let Some(table) = resources.get_ref().as_table() else {
            return Resources::default();
        };
        self.reject_unknown_keys(table, "resources", &RESOURCES_KEYS);
        if let Some(vcpus) = table.get("vcpus") {
            if !vcpus.get_ref().is_integer() {
                let message = format!(
                    "`vcpus` must be a whole number, not {}",
                    described(vcpus.get_ref())
                );
                let diagnostic = self
                    .diagnostic(vcpus.span(), message)
                    .with_hint("write `vcpus = 1`");
                self.report(diagnostic);
            }
        }
        let memory = table.get("memory").and_then(|memory| {
            let text = self.expect_string(memory, "resources.memory")?;
            match text.parse::<MemorySize>() {
                Ok(size) => Some(size),
                Err(error) => {
                    let diagnostic = self.diagnostic(memory.span(), error.to_string());
                    self.report(diagnostic.with_hint("for example `memory = \"32MiB\"`"));
                    None
                }
            }
        });
        Resources { memory }
    }

    /// Reports each key of `table` (named `table_name`, "" for the root) not in `known`.
    fn reject_unknown_keys(&mut self, table: &DeTable<'_>, table_name: &str, known: &[&str]) {
        for key in table.keys() {
            let word = key.get_ref().as_ref();
            if known.contains(&word) {
                continue;
            }
            let (message, list) = if table_name.is_empty() {
                (format!("unknown table `[{word}]`"), "known tables")
            } else {
                (
                    format!("unknown key `{word}` in `[{table_name}]`"),
                    "known keys",
                )
            };
            let hint = match closest(word, known) {
                Some(suggestion) => format!("did you mean `{suggestion}`?"),
                None => format!("{list}: {}", known.join(", ")),
            };
            let diagnostic = self.diagnostic(key.span(), message).with_hint(hint);
            self.report(diagnostic);
        }
    }

    fn expect_table(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
    ) {
        if value.get_ref().is_table() {
            return;
        }
        let word = key.get_ref();
        let message = format!(
            "`{word}` must be a table, not {}",
            described(value.get_ref())
        );
        let diagnostic = self.diagnostic(key.span(), message);
        self.report(diagnostic.with_hint(format!("write it as a `[{word}]` section")));
    }

    fn expect_string<'v>(&mut self, value: &'v Spanned<DeValue<'_>>, key: &str) -> Option<&'v str> {
        if let Some(text) = value.get_ref().as_str() {
            return Some(text);
        }
        let message = format!(
            "`{key}` must be a string, not {}",
            described(value.get_ref())
        );
        let diagnostic = self
            .diagnostic(value.span(), message)
            .with_hint("put the value in quotes");
        self.report(diagnostic);
        None
    }
}

/// The kind of `value` with its article: "an integer", "a string".
fn described(value: &DeValue<'_>) -> String {
    let kind = value.type_str();
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}

#[cfg(test)]
mod tests;
