//! What the rules understood, as a draft intent, and its rendering as sauce.toml text.

use std::fmt::Write as _;

use sauce_intent::{MemorySize, Optimize};
use serde_json::Value;

/// A route the rules understood.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftRoute {
    /// The route path (`/`, `/api/info`, `/*`).
    pub path: String,
    /// Its response.
    pub response: DraftResponse,
    /// A status other than the default.
    pub status: Option<u16>,
}

/// A route's response.
#[derive(Clone, Debug, PartialEq)]
pub enum DraftResponse {
    /// Fixed text.
    Body(String),
    /// A JSON value.
    Json(Value),
    /// A redirect target.
    Redirect(String),
    /// A folder of files, relative to the project.
    Dir(String),
}

/// A draft intent: only what the description said, never more.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// An app name the description gave ("called shop").
    pub name: Option<String>,
    /// Whether the app serves HTTP (false: serial only).
    pub serial_only: bool,
    /// `[http] port`.
    pub port: Option<u16>,
    /// `[http] max_connections`.
    pub max_connections: Option<u16>,
    /// The routes, in the order described.
    pub routes: Vec<DraftRoute>,
    /// `[http.not_found]`.
    pub not_found: Option<DraftResponse>,
    /// `[network] ip`, `dhcp` or `ADDRESS/PREFIX`.
    pub ip: Option<String>,
    /// `[network] gateway`.
    pub gateway: Option<String>,
    /// `[resources] memory`.
    pub memory: Option<MemorySize>,
    /// `[build] optimize`.
    pub optimize: Option<Optimize>,
    /// `[target] vmm`.
    pub vmm: Option<String>,
    /// `[target] machine`.
    pub machine: Option<String>,
}

/// Why a draft could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// a JSON value has no TOML form
    #[error("the JSON value at {0} has no TOML form (null, or a number TOML cannot hold)")]
    Json(String),
}

impl Draft {
    /// Whether the draft has anything an HTTP service needs.
    pub fn has_routes(&self) -> bool {
        !self.routes.is_empty()
    }

    /// The route at `path`, if the draft has one.
    pub fn route(&self, path: &str) -> Option<&DraftRoute> {
        self.routes.iter().find(|route| route.path == path)
    }

    /// sauce.toml for this draft, named `name`, with `description` in a leading comment.
    pub fn render(&self, name: &str, description: &str) -> Result<String, RenderError> {
        let mut text = String::new();
        let summary: String = description
            .chars()
            .map(|character| {
                if character.is_control() {
                    ' '
                } else {
                    character
                }
            })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let summary: String = summary.chars().take(160).collect();
        let _ = writeln!(text, "# Written by `sauce new --describe` from: {summary}");
        let _ = writeln!(text, "[app]\nname = {}", string(name));
        if !self.serial_only && (self.has_routes() || self.port.is_some()) {
            let _ = writeln!(text, "\n[http]\nport = {}", self.port.unwrap_or(80));
            if let Some(connections) = self.max_connections {
                let _ = writeln!(text, "max_connections = {connections}");
            }
            for route in &self.routes {
                let _ = writeln!(text, "\n[[http.route]]\npath = {}", string(&route.path));
                let _ = writeln!(text, "{}", response(&route.response, &route.path)?);
                if let Some(status) = route.status {
                    let _ = writeln!(text, "status = {status}");
                }
            }
            if let Some(not_found) = &self.not_found {
                let _ = writeln!(
                    text,
                    "\n[http.not_found]\n{}",
                    response(not_found, "http.not_found")?
                );
            }
        }
        if self.ip.is_some() || self.gateway.is_some() {
            text.push_str("\n[network]\n");
            if let Some(ip) = &self.ip {
                let _ = writeln!(text, "ip = {}", string(ip));
            }
            if let Some(gateway) = &self.gateway {
                let _ = writeln!(text, "gateway = {}", string(gateway));
            }
        }
        if let Some(memory) = self.memory {
            let _ = writeln!(
                text,
                "\n[resources]\nmemory = {}",
                string(&memory.to_string())
            );
        }
        if let Some(optimize) = self.optimize {
            let _ = writeln!(text, "\n[build]\noptimize = {}", string(optimize.as_str()));
        }
        if self.vmm.is_some() || self.machine.is_some() {
            text.push_str("\n[target]\n");
            if let Some(vmm) = &self.vmm {
                let _ = writeln!(text, "vmm = {}", string(vmm));
            }
            if let Some(machine) = &self.machine {
                let _ = writeln!(text, "machine = {}", string(machine));
            }
        }
        Ok(text)
    }
}

fn response(response: &DraftResponse, at: &str) -> Result<String, RenderError> {
    Ok(match response {
        DraftResponse::Body(body) => format!("body = {}", string(body)),
        DraftResponse::Json(value) => format!("json = {}", toml_value(value, at)?),
        DraftResponse::Redirect(location) => format!("redirect = {}", string(location)),
        DraftResponse::Dir(folder) => format!("dir = {}", string(folder)),
    })
}

/// A TOML basic string.
pub fn string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            other if other.is_control() => {
                let _ = write!(quoted, "\\u{:04X}", u32::from(other));
            }
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

/// A JSON value as a TOML inline value.
pub fn toml_value(value: &Value, at: &str) -> Result<String, RenderError> {
    Ok(match value {
        Value::Null => return Err(RenderError::Json(at.to_owned())),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => {
            if let Some(integer) = number.as_i64() {
                integer.to_string()
            } else if let Some(float) = number
                .as_f64()
                .filter(|float| float.is_finite() && number.as_u64().is_none())
            {
                let text = format!("{float:?}");
                if text.contains(['.', 'e', 'E']) {
                    text
                } else {
                    format!("{text}.0")
                }
            } else {
                return Err(RenderError::Json(at.to_owned()));
            }
        }
        Value::String(text) => string(text),
        Value::Array(items) => {
            let items: Result<Vec<String>, RenderError> = items
                .iter()
                .enumerate()
                .map(|(index, item)| toml_value(item, &format!("{at}[{index}]")))
                .collect();
            format!("[{}]", items?.join(", "))
        }
        Value::Object(entries) => {
            if entries.is_empty() {
                return Ok("{}".to_owned());
            }
            let entries: Result<Vec<String>, RenderError> = entries
                .iter()
                .map(|(key, item)| {
                    Ok(format!(
                        "{} = {}",
                        toml_key(key),
                        toml_value(item, &format!("{at}.{key}"))?
                    ))
                })
                .collect();
            format!("{{ {} }}", entries?.join(", "))
        }
    })
}

fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key.chars().all(|character| {
            character.is_ascii_alphanumeric() || character == '_' || character == '-'
        });
    if bare {
        key.to_owned()
    } else {
        string(key)
    }
}

#[cfg(test)]
mod tests;
