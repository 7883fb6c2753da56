//! The intent language for the system prompt, generated from sauce-intent's key table (the same
//! table its checker and JSON Schema read), so the prompt never drifts from the checker.

use std::fmt::Write as _;

use sauce_intent::keys::{Key, Kind, TableKeys, DOCUMENT};

/// Every table and key of sauce.toml, one line each, with types, ranges, defaults and meaning.
pub fn intent_reference() -> String {
    let mut text = String::new();
    walk(&DOCUMENT, &mut text);
    text
}

fn walk(table: &TableKeys, text: &mut String) {
    if !table.header.is_empty() {
        let _ = write!(
            text,
            "{} — {}. {}",
            table.header, table.title, table.description
        );
        if !table.exactly_one_of.is_empty() {
            let _ = write!(
                text,
                " Exactly one of: {}.",
                table.exactly_one_of.join(", ")
            );
        }
        text.push('\n');
        for key in table
            .keys
            .iter()
            .filter(|key| !matches!(key.kind, Kind::Table(_) | Kind::ListOfTables(_)))
        {
            let required = if table.required.contains(&key.name) {
                " (required)"
            } else {
                ""
            };
            let _ = writeln!(
                text,
                "  {}{required}: {} — {}",
                key.name,
                kind(key),
                key.description
            );
        }
    }
    for key in table.keys {
        if let Kind::Table(inner) | Kind::ListOfTables(inner) = key.kind {
            walk(inner, text);
        }
    }
}

fn kind(key: &Key) -> String {
    match &key.kind {
        Kind::Text {
            pattern,
            format,
            examples,
        } => {
            let mut described = "string".to_owned();
            if let Some(format) = format {
                let _ = write!(described, " ({format})");
            }
            if let Some(pattern) = pattern {
                let _ = write!(described, " matching {pattern}");
            }
            if let Some(example) = examples.first() {
                let _ = write!(described, ", e.g. {example:?}");
            }
            described
        }
        Kind::Choice { options, default } => {
            let mut described = format!(
                "one of {}",
                options
                    .iter()
                    .map(|option| format!("{option:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if let Some(default) = default {
                let _ = write!(described, ", default {default:?}");
            }
            described
        }
        Kind::Integer {
            minimum,
            maximum,
            default,
        } => {
            let mut described = format!("integer {minimum}..={maximum}");
            if let Some(default) = default {
                let _ = write!(described, ", default {default}");
            }
            described
        }
        Kind::Boolean { default } => format!("true or false, default {default}"),
        Kind::ListOfText { pattern, examples } => {
            let mut described = format!("list of strings matching {pattern}");
            if !examples.is_empty() {
                let _ = write!(described, ", e.g. {examples:?}");
            }
            described
        }
        Kind::AnyValue => {
            "any TOML value (inline table, array, string, number, boolean)".to_owned()
        }
        Kind::Table(_) => "table".to_owned(),
        Kind::ListOfTables(_) => "list of tables".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_key_of_the_checker() {
        let reference = intent_reference();
        for path in sauce_intent::keys::all_key_paths() {
            let name = path.rsplit('.').next().unwrap();
            assert!(
                reference.contains(&format!("  {name}"))
                    || reference.contains(&format!(".{name}]"))
                    || reference.contains(&format!("[{name}]")),
                "{path} missing from\n{reference}"
            );
        }
        assert!(reference.contains("[[http.route]] — A route."));
        assert!(reference.contains("Exactly one of: body, file, dir, json, redirect, handler."));
        assert!(reference.contains("  name (required): string matching ^[a-z][a-z0-9-]{0,62}$"));
        assert!(reference.contains("  optimize: one of \"size\", \"speed\", default \"size\""));
    }
}
