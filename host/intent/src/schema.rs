//! The JSON Schema (draft 2020-12) of sauce.toml version 1, for editors (`sauce schema`).
//!
//! Generated from the key tables in [`crate::keys`], the same tables the checker reads, so the
//! schema names exactly the keys the checker accepts. The checker stays the authority: some of
//! its rules (files that exist, gateways inside the subnet) cannot be said in a schema.

use serde_json::{json, Map, Value};

use crate::keys::{Key, Kind, TableKeys, APP_ENV, DOCUMENT, ROUTE};

/// The schema's `$id`; the last path segment names the format version.
pub const SCHEMA_ID: &str = "https://sauceos.dev/schemas/sauce-toml/v1.json";
/// The JSON Schema dialect used.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The schema as pretty-printed JSON text.
pub fn schema() -> String {
    let mut root = table_schema(&DOCUMENT);
    if let Value::Object(object) = &mut root {
        object.insert("$schema".to_owned(), json!(DIALECT));
        object.insert("$id".to_owned(), json!(SCHEMA_ID));
    }
    serde_json::to_string_pretty(&root).unwrap_or_default()
}

fn table_schema(table: &'static TableKeys) -> Value {
    let properties: Map<String, Value> = table
        .keys
        .iter()
        .map(|key| (key.name.to_owned(), key_schema(key)))
        .collect();
    let mut schema = Map::new();
    schema.insert("title".to_owned(), json!(table.title));
    schema.insert("description".to_owned(), json!(table.description));
    schema.insert("type".to_owned(), json!("object"));
    schema.insert("properties".to_owned(), Value::Object(properties));
    schema.insert("additionalProperties".to_owned(), json!(false));
    if !table.required.is_empty() {
        schema.insert("required".to_owned(), json!(table.required));
    }
    if !table.exactly_one_of.is_empty() {
        let choices: Vec<Value> = table
            .exactly_one_of
            .iter()
            .map(|name| json!({ "required": [name] }))
            .collect();
        schema.insert("oneOf".to_owned(), Value::Array(choices));
    }
    if std::ptr::eq(table, &APP_ENV) {
        // Free keys: environment names with string values.
        schema.remove("properties");
        schema.insert(
            "additionalProperties".to_owned(),
            json!({ "type": "string" }),
        );
        schema.insert(
            "propertyNames".to_owned(),
            json!({ "pattern": "^[A-Z_][A-Z0-9_]*$" }),
        );
    }
    if std::ptr::eq(table, &ROUTE) {
        schema.insert("if".to_owned(), json!({ "required": ["redirect"] }));
        let redirect_statuses = json!({ "enum": [301, 302, 303, 307, 308], "default": 308 });
        schema.insert(
            "then".to_owned(),
            json!({ "properties": { "status": redirect_statuses } }),
        );
        let bodiless = json!({ "not": { "enum": [204, 304] } });
        schema.insert(
            "else".to_owned(),
            json!({ "properties": { "status": bodiless } }),
        );
    }
    Value::Object(schema)
}

fn key_schema(key: &Key) -> Value {
    let mut schema = match &key.kind {
        Kind::Text {
            pattern,
            format,
            examples,
        } => {
            let mut schema = json!({ "type": "string", "examples": examples });
            if let Some(pattern) = pattern {
                schema["pattern"] = json!(pattern);
            }
            if let Some(format) = format {
                schema["format"] = json!(format);
            }
            schema
        }
        Kind::Choice { options, default } => {
            let mut schema = json!({ "type": "string", "enum": options });
            if let Some(default) = default {
                schema["default"] = json!(default);
            }
            schema
        }
        Kind::Integer {
            minimum,
            maximum,
            default,
        } => {
            let mut schema = json!({ "type": "integer", "minimum": minimum, "maximum": maximum });
            if let Some(default) = default {
                schema["default"] = json!(default);
            }
            schema
        }
        Kind::Boolean { default } => json!({ "type": "boolean", "default": default }),
        Kind::ListOfText { pattern, examples } => json!({
            "type": "array",
            "items": { "type": "string", "pattern": pattern },
            "examples": [examples],
        }),
        Kind::AnyValue => json!({}),
        Kind::Table(table) => table_schema(table),
        Kind::ListOfTables(table) => {
            json!({ "type": "array", "minItems": 1, "items": table_schema(table) })
        }
    };
    schema["description"] = json!(key.description);
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::all_key_paths;

    fn parsed() -> Value {
        serde_json::from_str(&schema()).expect("the schema is JSON")
    }

    /// Every property path in `schema` (`http.route.path` for the items of a list).
    fn property_paths(schema: &Value, prefix: &str, paths: &mut Vec<String>) {
        let schema = schema.get("items").unwrap_or(schema);
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return;
        };
        assert_eq!(schema["additionalProperties"], json!(false), "{prefix}");
        for (name, property) in properties {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            assert!(
                property["description"].is_string(),
                "{path} has a description"
            );
            paths.push(path.clone());
            property_paths(property, &path, paths);
        }
    }

    #[test]
    fn identifies_its_dialect_and_version() {
        let schema = parsed();
        assert_eq!(schema["$schema"], json!(DIALECT));
        assert_eq!(
            schema["$id"],
            json!("https://sauceos.dev/schemas/sauce-toml/v1.json")
        );
        assert_eq!(schema["required"], json!(["app"]));
    }

    #[test]
    fn names_exactly_the_format_keys() {
        let mut paths = Vec::new();
        property_paths(&parsed(), "", &mut paths);
        let mut expected = all_key_paths();
        paths.sort();
        expected.sort();
        assert_eq!(paths, expected);
    }

    #[test]
    fn describes_values() {
        let schema = parsed();
        let route = &schema["properties"]["http"]["properties"]["route"]["items"];
        assert_eq!(route["oneOf"].as_array().map(Vec::len), Some(6));
        assert_eq!(route["then"]["properties"]["status"]["default"], json!(308));
        let vmm = &schema["properties"]["target"]["properties"]["vmm"];
        assert_eq!(vmm["enum"], json!(["qemu", "firecracker"]));
        assert_eq!(vmm["default"], json!("qemu"));
        let port = &schema["properties"]["http"]["properties"]["port"];
        assert_eq!(
            (port["minimum"].clone(), port["maximum"].clone()),
            (json!(1), json!(65535))
        );
    }
}
