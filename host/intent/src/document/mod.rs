//! The parsed TOML document → an [`Intent`], checking every key and value on the way and
//! collecting every problem in one pass.
//!
//! - this file: [`parse`], the walk over the top-level tables, unknown keys.
//! - `values`: typed reads of one value (string, whole number, one of a few words).
//! - `settings`: `[app]`, `[resources]`, `[build]`, `[target]`.
//! - `network`: `[network]`, checked against `[target]`.
//! - `http`: `[http]`, its list of routes, `[http.not_found]`, checks across routes.
//! - `app_code`: `[app] code`, `init`, `allow_unsafe`, `[app.env]`, `[[app.every]]`.
//! - `tcp`: `[tcp]`, a TCP service that is not HTTP (echo).
//! - `database`: `[[database]]`: databases, their URL references, pools and timeouts.
//! - `route`: one `[[http.route]]`: path, response, status.
//! - `response`: the one response of a route or `[http.not_found]`, and its content type.
//! - `route_path`: the syntax of a route's `path`, and its decoding.
//! - `files`: `file` and `dir` paths: existing, of the right kind, inside the project folder.
//! - `json`: a `json` value as compact JSON text.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::keys::{self, Kind, TableKeys};
use crate::origins::Origins;
use crate::spelling::closest;
use crate::Intent;

mod app_code;
mod database;
mod files;
mod http;
mod json;
mod limits;
mod network;
mod response;
mod route;
mod route_path;
mod settings;
mod tcp;
mod values;

/// Parses `source`, the text of the sauce.toml at `path` (absolute; relative `file` and `dir`
/// paths start at its folder), into a valid intent, or every problem found, in source order.
pub fn parse(path: &Path, source: &str) -> Result<Intent, Vec<Diagnostic>> {
    let project_folder = path.parent().unwrap_or(Path::new("."));
    let mut checker = Checker {
        path,
        source,
        lines: LineIndex::new(source),
        project_folder,
        diagnostics: Vec::new(),
    };
    let root = match DeTable::parse(source) {
        Ok(root) => root,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            let message = format!("invalid TOML: {}", error.message().trim_end());
            checker.error(span, message, "see https://toml.io for the syntax");
            return Err(checker.diagnostics);
        }
    };
    let intent = checker.document(root.get_ref());
    let mut diagnostics = checker.diagnostics;
    diagnostics.sort_by_key(|diagnostic| (diagnostic.line, diagnostic.column));
    match intent {
        Some(intent) if diagnostics.is_empty() => Ok(Intent {
            origins: Origins::of_document(source, root.get_ref()),
            ..intent
        }),
        _ => Err(diagnostics),
    }
}

/// Collects diagnostics while walking one document.
struct Checker<'a> {
    path: &'a Path,
    source: &'a str,
    lines: LineIndex,
    project_folder: &'a Path,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Records an error at `span` with a hint.
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) {
        let diagnostic = Diagnostic::at_indexed(self.path, self.source, &self.lines, span, message)
            .with_hint(hint);
        self.diagnostics.push(diagnostic);
    }

    fn document(&mut self, root: &DeTable<'_>) -> Option<Intent> {
        self.reject_unknown_keys(root, &keys::DOCUMENT);
        for (key, value) in root {
            let is_list_of_tables = matches!(
                keys::DOCUMENT.key(key.get_ref()).map(|known| &known.kind),
                Some(Kind::ListOfTables(_))
            );
            if keys::DOCUMENT.key(key.get_ref()).is_some()
                && !is_list_of_tables
                && !value.get_ref().is_table()
            {
                let message = format!(
                    "`{}` must be a table, not {}",
                    key.get_ref(),
                    described(value.get_ref())
                );
                self.error(
                    key.span(),
                    message,
                    format!("write it as a `[{}]` section", key.get_ref()),
                );
            }
        }
        let table = |name: &str| {
            root.get(name)
                .and_then(|value| Some((value.span(), value.get_ref().as_table()?)))
        };
        let mut app = match table("app") {
            Some((span, app)) => self.app(span, app),
            None => {
                if root.get("app").is_none() {
                    let hint = "every sauce.toml starts with:\n    [app]\n    name = \"my-app\"";
                    self.error(0..0, "the `[app]` table is missing", hint);
                }
                None
            }
        };
        let resources = table("resources").map(|(_, resources)| self.resources(resources));
        let build = table("build").map(|(_, build)| self.build(build));
        let target = table("target")
            .map(|(_, target)| self.target(target))
            .unwrap_or_default();
        let network = table("network").map(|(_, network)| self.network(network, &target));
        let http = table("http").and_then(|(span, http)| self.http(span, http));
        let tcp = table("tcp").and_then(|(span, tcp)| self.tcp(span, tcp, http.as_ref()));
        let databases = root
            .get("database")
            .map(|list| self.databases(list))
            .unwrap_or_default();
        let app_table = table("app");
        let has_every = app.as_ref().is_some_and(|app| !app.every.is_empty());
        let code = self.app_code(
            app_table.as_ref().map(|(span, _)| span.clone()),
            app_table.map(|(_, table)| table),
            http.as_ref(),
            has_every,
        );
        if let Some(app) = app.as_mut() {
            app.code = code;
        }
        Some(Intent {
            manifest_path: self.path.to_path_buf(),
            source: self.source.to_owned(),
            app: app?,
            http,
            tcp,
            databases,
            network: network.unwrap_or_default(),
            resources: resources.unwrap_or_default(),
            build: build.unwrap_or_default(),
            target,
            origins: Origins::default(),
        })
    }

    /// Reports each key of `table` that `known` does not list, suggesting the key meant.
    fn reject_unknown_keys(&mut self, table: &DeTable<'_>, known: &TableKeys) {
        let names = known.names();
        for key in table.keys() {
            let word = key.get_ref().as_ref();
            if names.contains(&word) {
                continue;
            }
            let message = if known.header.is_empty() {
                if table
                    .get(word)
                    .is_some_and(|value| value.get_ref().is_table())
                {
                    format!("unknown table `[{word}]`")
                } else {
                    format!("unknown top-level key `{word}`")
                }
            } else {
                format!("unknown key `{word}` in `{}`", known.header)
            };
            let hint = if let Some(suggestion) = closest(word, &names) {
                format!("did you mean `{suggestion}`?")
            } else if let Some(home) = table_holding(word) {
                format!("`{word}` belongs in `{}`", home.header)
            } else if known.header.is_empty() {
                format!("known tables: {}", names.join(", "))
            } else {
                format!("known keys: {}", names.join(", "))
            };
            self.error(key.span(), message, hint);
        }
    }
}

/// The first table of the format (other than the document) with a key `name`.
fn table_holding(name: &str) -> Option<&'static TableKeys> {
    let mut pending: Vec<&'static TableKeys> = vec![&keys::DOCUMENT];
    while let Some(table) = pending.pop() {
        for key in table.keys {
            if let Kind::Table(inner) | Kind::ListOfTables(inner) = key.kind {
                if inner.key(name).is_some() {
                    return Some(inner);
                }
                pending.insert(0, inner);
            }
        }
    }
    None
}

/// The entries of `table` in the order they were written.
fn in_source_order<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(&'t Spanned<Cow<'i, str>>, &'t Spanned<DeValue<'i>>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
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
