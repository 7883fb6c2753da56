//! A request as the fake server recorded it, with accessors for assertions.

use serde_json::Value;

/// A request as the server saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedRequest {
    /// The method.
    pub method: String,
    /// The path.
    pub path: String,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
    /// The body as JSON, if it parsed.
    pub json: Option<Value>,
    /// Why the vendor would have rejected it, if it would.
    pub rejected: Option<String>,
}

impl RecordedRequest {
    /// The first header named `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header == name)
            .map(|(_, value)| value.as_str())
    }

    /// The system prompt (OpenAI: the first `system` message; Anthropic: `system`).
    pub fn system(&self) -> Option<String> {
        let json = self.json.as_ref()?;
        if let Some(system) = json.get("system").and_then(Value::as_str) {
            return Some(system.to_owned());
        }
        json.get("messages")?
            .as_array()?
            .iter()
            .find(|message| message.get("role").and_then(Value::as_str) == Some("system"))
            .and_then(|message| message.get("content"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    /// The text of the last message.
    pub fn last_message(&self) -> Option<String> {
        self.json
            .as_ref()?
            .get("messages")?
            .as_array()?
            .last()?
            .get("content")?
            .as_str()
            .map(str::to_owned)
    }

    /// How many conversation messages (not counting an OpenAI system message).
    pub fn message_count(&self) -> usize {
        self.json
            .as_ref()
            .and_then(|json| json.get("messages"))
            .and_then(Value::as_array)
            .map_or(0, |messages| {
                messages
                    .iter()
                    .filter(|message| message.get("role").and_then(Value::as_str) != Some("system"))
                    .count()
            })
    }
}
