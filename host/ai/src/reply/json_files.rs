//! The JSON alternative some models fall back to (and structured outputs produce): an object
//! with a `files` map (`{"sauce.toml": "..."}`) or list (`[{"path": ..., "content": ...}]`),
//! an optional `plan` and optional `probes`. Accepted, never required.

use serde_json::Value;

/// What a JSON reply holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonReply {
    /// `plan` (or `summary`, `explanation`).
    pub plan: Option<String>,
    /// Each file's name and contents, in the order given.
    pub files: Vec<(String, String)>,
    /// Probe lines.
    pub probes: Vec<String>,
    /// Entries of `files` that had no name or no text contents.
    pub malformed: usize,
}

/// Reads a JSON reply from the start of `text` (after leading blanks); `None` when `text` does
/// not start with a JSON object that has `files`.
pub fn parse_json_reply(text: &str) -> Option<JsonReply> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') {
        return None;
    }
    let value = serde_json::Deserializer::from_str(trimmed)
        .into_iter::<Value>()
        .next()?
        .ok()?;
    from_value(&value)
}

/// Reads a JSON reply from a parsed value (a tool call's input).
pub fn from_value(value: &Value) -> Option<JsonReply> {
    let object = value.as_object()?;
    let files = object.get("files")?;
    let mut reply = JsonReply {
        plan: ["plan", "summary", "explanation"]
            .iter()
            .find_map(|key| object.get(*key).and_then(Value::as_str))
            .map(str::to_owned),
        ..JsonReply::default()
    };
    match files {
        Value::Object(map) => {
            for (name, contents) in map {
                match contents.as_str() {
                    Some(contents) => reply.files.push((name.clone(), contents.to_owned())),
                    None => reply.malformed += 1,
                }
            }
        }
        Value::Array(entries) => {
            for entry in entries {
                let field = |keys: &[&str]| {
                    keys.iter()
                        .find_map(|key| entry.get(*key).and_then(Value::as_str))
                        .map(str::to_owned)
                };
                match (
                    field(&["path", "name", "file", "filename"]),
                    field(&["content", "contents", "code", "text"]),
                ) {
                    (Some(name), Some(contents)) => reply.files.push((name, contents)),
                    _ => reply.malformed += 1,
                }
            }
        }
        _ => return None,
    }
    match object.get("probes") {
        Some(Value::Array(lines)) => {
            reply.probes = lines
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
        }
        Some(Value::String(lines)) => reply.probes = lines.lines().map(str::to_owned).collect(),
        _ => {}
    }
    Some(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_files_map() {
        let reply = parse_json_reply(
            "{\"plan\": \"one route\", \"files\": {\"sauce.toml\": \"[app]\\nname = \\\"a\\\"\\n\"}, \"probes\": [\"GET / -> 200\"]}\ntrailing prose",
        )
        .unwrap();
        assert_eq!(reply.plan.as_deref(), Some("one route"));
        assert_eq!(
            reply.files,
            [("sauce.toml".to_owned(), "[app]\nname = \"a\"\n".to_owned())]
        );
        assert_eq!(reply.probes, ["GET / -> 200"]);
    }

    #[test]
    fn a_files_list() {
        let reply = parse_json_reply(
            "{\"files\": [{\"path\": \"src/lib.rs\", \"content\": \"//! a\\n\"}, {\"path\": \"x\"}, 3]}",
        )
        .unwrap();
        assert_eq!(
            reply.files,
            [("src/lib.rs".to_owned(), "//! a\n".to_owned())]
        );
        assert_eq!(reply.malformed, 2);
    }

    #[test]
    fn other_json_is_not_a_reply() {
        assert_eq!(parse_json_reply("{\"a\": 1}"), None);
        assert_eq!(parse_json_reply("[1]"), None);
        assert_eq!(parse_json_reply("{broken"), None);
        assert_eq!(parse_json_reply("{\"files\": 3}"), None);
        assert_eq!(parse_json_reply("plain text"), None);
    }
}
