//! Where each key of an intent was written, so later stages can point back at sauce.toml.
//!
//! Keys are dotted paths with array positions as numbers: `resources.memory`, `http.route.0`
//! (the route's `[[http.route]]` header), `http.route.0.path`, `http.route.0.json.service`.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostic::LineIndex;

/// Where one value was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// 1-based line of the value (of the header, for a table).
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Byte range in the source.
    pub span: Range<usize>,
}

/// Every key of one intent → its [`Origin`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Origins {
    by_key: BTreeMap<String, Origin>,
}

impl Origins {
    /// Records every key of `root`, a document parsed from `source`.
    pub(crate) fn of_document(source: &str, root: &DeTable<'_>) -> Self {
        let mut origins = Self::default();
        let lines = LineIndex::new(source);
        origins.record_table(
            &Source {
                text: source,
                lines: &lines,
            },
            "",
            root,
        );
        origins
    }

    /// Where `key` was written, if the intent contains it.
    pub fn get(&self, key: &str) -> Option<&Origin> {
        self.by_key.get(key)
    }

    /// Every key with its origin, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Origin)> {
        self.by_key
            .iter()
            .map(|(key, origin)| (key.as_str(), origin))
    }

    fn record_table(&mut self, source: &Source<'_>, prefix: &str, table: &DeTable<'_>) {
        for (key, value) in table {
            let path = if prefix.is_empty() {
                key.get_ref().to_string()
            } else {
                format!("{prefix}.{}", key.get_ref())
            };
            self.record_value(source, path, value);
        }
    }

    fn record_value(&mut self, source: &Source<'_>, path: String, value: &Spanned<DeValue<'_>>) {
        match value.get_ref() {
            DeValue::Table(table) => self.record_table(source, &path, table),
            DeValue::Array(array) => {
                for (index, item) in array.iter().enumerate() {
                    self.record_value(source, format!("{path}.{index}"), item);
                }
            }
            _ => {}
        }
        let (line, column) = source
            .lines
            .line_and_column(source.text, value.span().start);
        let origin = Origin {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            span: value.span(),
        };
        self.by_key.insert(path, origin);
    }
}

/// The text origins are recorded from, and its line index.
struct Source<'a> {
    text: &'a str,
    lines: &'a LineIndex,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_values_tables_and_array_items() {
        let source = "[app]\nname = \"a\"\n[[http.route]]\npath = \"/\"\njson = { x = [1, 2] }\n";
        let root = DeTable::parse(source).unwrap();
        let origins = Origins::of_document(source, root.get_ref());
        let at = |key: &str| origins.get(key).map(|origin| (origin.line, origin.column));
        assert_eq!(at("app"), Some((1, 1)));
        assert_eq!(at("app.name"), Some((2, 8)));
        assert_eq!(at("http.route.0"), Some((3, 1)));
        assert_eq!(at("http.route.0.path"), Some((4, 8)));
        assert_eq!(at("http.route.0.json.x.1"), Some((5, 18)));
        assert_eq!(at("http.route.1"), None);
        let span = &origins.get("app.name").unwrap().span;
        assert_eq!(&source[span.clone()], "\"a\"");
    }
}
