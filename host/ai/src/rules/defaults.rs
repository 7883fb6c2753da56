//! Filling in what a model's sauce.toml left out, from the same rules that read the
//! description: the app's name, and every setting the description stated (port, memory,
//! optimisation, connections, DHCP, VMM). A value the description stated explicitly wins over a
//! different one the model wrote; everything else the model wrote is kept. Edits are made to the
//! text, line by line, so the model's comments and layout survive, and each edit is kept only if
//! the result still parses to the value intended.

use toml::{Table, Value};

use super::draft::{string, Draft};

/// sauce.toml after filling, and what changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filled {
    /// The text.
    pub text: String,
    /// One line per change (`set http.port = 8080 (the description asks for it; the reply said 80)`).
    pub changes: Vec<String>,
}

/// Fills `text` from `draft` and the project `name`. Text that does not parse is returned as is
/// (the check stage reports it).
pub fn fill_defaults(text: &str, draft: &Draft, name: &str) -> Filled {
    let mut filled = Filled {
        text: text.to_owned(),
        changes: Vec::new(),
    };
    let Ok(table) = toml::from_str::<Table>(text) else {
        return filled;
    };
    let mut wanted: Vec<(&str, &str, Value, bool)> =
        vec![("app", "name", Value::String(name.to_owned()), false)];
    let serves_http = table.contains_key("http");
    if serves_http {
        if let Some(port) = draft.port {
            wanted.push(("http", "port", Value::Integer(i64::from(port)), true));
        }
        if let Some(connections) = draft.max_connections {
            wanted.push((
                "http",
                "max_connections",
                Value::Integer(i64::from(connections)),
                true,
            ));
        }
    }
    if let Some(memory) = draft.memory {
        wanted.push((
            "resources",
            "memory",
            Value::String(memory.to_string()),
            true,
        ));
    }
    if let Some(optimize) = draft.optimize {
        wanted.push((
            "build",
            "optimize",
            Value::String(optimize.as_str().to_owned()),
            true,
        ));
    }
    if draft.ip.as_deref() == Some("dhcp") {
        wanted.push(("network", "ip", Value::String("dhcp".to_owned()), true));
    }
    if let Some(vmm) = &draft.vmm {
        wanted.push(("target", "vmm", Value::String(vmm.clone()), true));
    }
    for (table_name, key, value, explicit) in wanted {
        let current = table.get(table_name).and_then(|inner| inner.get(key));
        let replace = match current {
            None => false,
            Some(current) if current == &value => continue,
            Some(_) if explicit => true,
            Some(_) => continue,
        };
        let repr = match &value {
            Value::String(text) => string(text),
            other => other.to_string(),
        };
        let Some(edited) = set_key(&filled.text, table_name, key, &repr) else {
            continue;
        };
        let parsed = toml::from_str::<Table>(&edited).ok();
        if parsed
            .as_ref()
            .and_then(|parsed| parsed.get(table_name))
            .and_then(|inner| inner.get(key))
            != Some(&value)
        {
            continue;
        }
        let change = match (replace, current) {
            (true, Some(previous)) => format!("set {table_name}.{key} = {repr} (the description asks for it; the reply said {previous})"),
            _ => format!("added {table_name}.{key} = {repr}"),
        };
        filled.changes.push(change);
        filled.text = edited;
    }
    filled
}

/// Sets `key = repr` in `[table]`: replaces a one-line `key = …` in the section, else inserts
/// after the header, else adds the table (before its sub-tables, if any). `None` when the key's
/// current value spans lines.
fn set_key(text: &str, table: &str, key: &str, repr: &str) -> Option<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let header = format!("[{table}]");
    let header_index = lines.iter().position(|line| {
        let line = line.trim();
        line == header
            || line
                .strip_prefix(&header)
                .is_some_and(|rest| rest.trim_start().starts_with('#'))
    });
    let line = format!("{key} = {repr}");
    match header_index {
        Some(index) => {
            let end = lines[index + 1..]
                .iter()
                .position(|line| line.trim_start().starts_with('['))
                .map_or(lines.len(), |offset| index + 1 + offset);
            let existing = (index + 1..end).find(|&at| {
                lines[at]
                    .trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            });
            match existing {
                Some(at) => {
                    let value = lines[at].split_once('=').map_or("", |(_, value)| value);
                    let opens = value.contains("\"\"\"")
                        || value.contains("'''")
                        || value.matches('[').count() != value.matches(']').count()
                        || value.matches('{').count() != value.matches('}').count();
                    if opens {
                        return None;
                    }
                    lines[at] = line;
                }
                None => lines.insert(index + 1, line),
            }
        }
        None => {
            let sub_tables = [format!("[{table}."), format!("[[{table}.")];
            let before = lines.iter().position(|line| {
                let line = line.trim_start();
                sub_tables
                    .iter()
                    .any(|prefix| line.starts_with(prefix.as_str()))
            });
            match before {
                Some(at) => {
                    lines.insert(at, String::new());
                    lines.insert(at, line);
                    lines.insert(at, header);
                }
                None => {
                    if lines.last().is_some_and(|last| !last.trim().is_empty()) {
                        lines.push(String::new());
                    }
                    lines.push(header);
                    lines.push(line);
                }
            }
        }
    }
    let mut edited = lines.join("\n");
    edited.push('\n');
    Some(edited)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sauce_intent::{MemorySize, Optimize};

    fn draft() -> Draft {
        Draft {
            port: Some(8080),
            memory: Some(MemorySize::from_mebibytes(16)),
            optimize: Some(Optimize::Speed),
            ..Draft::default()
        }
    }

    #[test]
    fn fills_what_is_missing_and_keeps_the_rest() {
        let text = "# the shop\n[app]\n\n[[http.route]]\npath = \"/\"\nbody = \"hi\" # greeting\n";
        let filled = fill_defaults(
            text,
            &Draft {
                port: Some(8080),
                ..Draft::default()
            },
            "shop",
        );
        assert_eq!(
            filled.text,
            "# the shop\n[app]\nname = \"shop\"\n\n[http]\nport = 8080\n\n[[http.route]]\npath = \"/\"\nbody = \"hi\" # greeting\n"
        );
        assert_eq!(
            filled.changes,
            ["added app.name = \"shop\"", "added http.port = 8080"]
        );
    }

    #[test]
    fn explicit_values_win_and_others_stay() {
        let text = "[app]\nname = \"other\"\n[http]\nport = 80\n[[http.route]]\npath = \"/\"\nbody = \"hi\"\n[resources]\nmemory = \"32MiB\"\n";
        let filled = fill_defaults(text, &draft(), "shop");
        let table: Table = toml::from_str(&filled.text).unwrap();
        assert_eq!(
            table["app"]["name"].as_str(),
            Some("other"),
            "a name the model chose stays"
        );
        assert_eq!(table["http"]["port"].as_integer(), Some(8080));
        assert_eq!(table["resources"]["memory"].as_str(), Some("16MiB"));
        assert_eq!(table["build"]["optimize"].as_str(), Some("speed"));
        assert!(
            filled.changes[0]
                .contains("set http.port = 8080 (the description asks for it; the reply said 80)"),
            "{:?}",
            filled.changes
        );
        assert_eq!(filled.changes.len(), 3);
    }

    #[test]
    fn serial_apps_get_no_port_and_broken_text_is_left_alone() {
        let filled = fill_defaults("[app]\nname = \"a\"\n", &draft(), "a");
        assert!(!filled.text.contains("port"));
        let broken = fill_defaults("[app\n", &draft(), "a");
        assert_eq!(broken.text, "[app\n");
        assert!(broken.changes.is_empty());
    }

    #[test]
    fn inline_tables_are_not_broken() {
        let text = "app = { name = \"a\" }\nresources = { memory = \"8MiB\" }\nhttp = { port = 80, route = [{ path = \"/\", body = \"x\" }] }\n";
        let filled = fill_defaults(text, &draft(), "a");
        let table: Table = toml::from_str(&filled.text).unwrap();
        assert_eq!(
            table["resources"]["memory"].as_str(),
            Some("8MiB"),
            "an edit that would not parse is skipped"
        );
        assert_eq!(table["build"]["optimize"].as_str(), Some("speed"));
    }
}
