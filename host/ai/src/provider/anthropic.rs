//! Anthropic Messages (`POST /v1/messages`, `anthropic-version: 2023-06-01`): the request body,
//! the answer (`content` blocks), and the streamed events (`message_start`,
//! `content_block_start`/`_delta`/`_stop`, `message_delta` with the output tokens,
//! `message_stop`, `ping`, `error`). Structured output is a forced tool call whose input is the
//! project form.

use serde_json::{json, Value};

use super::sse::Event;
use super::{project_schema, ChatRequest, Completion, Usage};

/// The path of the endpoint.
pub const PATH: &str = "/v1/messages";
/// The API version sauce speaks.
pub const VERSION: &str = "2023-06-01";
/// The tool a structured request forces.
pub const TOOL: &str = "write_project";

/// The request body.
pub fn request_body(model: &str, request: &ChatRequest, stream: bool) -> Value {
    let messages: Vec<Value> = request
        .messages
        .iter()
        .map(|message| json!({ "role": message.role.as_str(), "content": message.content }))
        .collect();
    let mut body = json!({
        "model": model,
        "max_tokens": request.max_output_tokens,
        "system": request.system,
        "messages": messages,
        "stream": stream,
    });
    if let Some(temperature) = request.temperature {
        body["temperature"] = json!(temperature.min(1.0));
    }
    if request.structured {
        body["tools"] = json!([{
            "name": TOOL,
            "description": "Write the project: a short plan, every file in full, and probe lines.",
            "input_schema": project_schema(),
        }]);
        body["tool_choice"] = json!({ "type": "tool", "name": TOOL });
    }
    body
}

fn usage(value: &Value) -> Usage {
    let count = |key: &str| value.get(key).and_then(Value::as_u64).unwrap_or(0);
    Usage {
        input_tokens: count("input_tokens")
            + count("cache_creation_input_tokens")
            + count("cache_read_input_tokens"),
        output_tokens: count("output_tokens"),
    }
}

/// Reads a whole (not streamed) answer: text blocks joined, or a tool call's input as JSON.
pub fn parse_response(body: &str) -> Result<Completion, String> {
    let value: Value =
        serde_json::from_str(body).map_err(|error| format!("the body is not JSON ({error})"))?;
    let blocks = value
        .get("content")
        .and_then(Value::as_array)
        .ok_or("the answer has no `content`")?;
    let mut text = String::new();
    for block in blocks {
        match block.get("type").and_then(Value::as_str) {
            Some("text") => text.push_str(block.get("text").and_then(Value::as_str).unwrap_or("")),
            Some("tool_use") => {
                text.push_str(&block.get("input").map(Value::to_string).unwrap_or_default())
            }
            _ => {}
        }
    }
    Ok(Completion {
        text,
        usage: value.get("usage").map(usage).unwrap_or_default(),
        model: value
            .get("model")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        truncated: value.get("stop_reason").and_then(Value::as_str) == Some("max_tokens"),
    })
}

/// A streamed answer being put together.
#[derive(Clone, Debug, Default)]
pub struct Stream {
    /// What has arrived.
    pub completion: Completion,
    /// Whether the output token count arrived.
    pub usage_known: bool,
    /// Whether `message_stop` arrived.
    pub done: bool,
}

impl Stream {
    /// Takes one event; `Err` for an `error` event or a malformed one.
    pub fn on_event(&mut self, event: &Event) -> Result<(), String> {
        let value: Value = serde_json::from_str(&event.data)
            .map_err(|error| format!("an event is not JSON ({error})"))?;
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .or(event.name.as_deref())
            .unwrap_or("");
        match kind {
            "message_start" => {
                let message = value
                    .get("message")
                    .ok_or("message_start has no `message`")?;
                if let Some(model) = message.get("model").and_then(Value::as_str) {
                    self.completion.model = model.to_owned();
                }
                if let Some(counts) = message.get("usage") {
                    self.completion.usage = usage(counts);
                }
            }
            "content_block_start" => {
                let block = value.get("content_block");
                if let Some(text) = block
                    .and_then(|block| block.get("text"))
                    .and_then(Value::as_str)
                {
                    self.completion.text.push_str(text);
                }
            }
            "content_block_delta" => {
                let delta = value
                    .get("delta")
                    .ok_or("content_block_delta has no `delta`")?;
                match delta.get("type").and_then(Value::as_str) {
                    Some("text_delta") => self
                        .completion
                        .text
                        .push_str(delta.get("text").and_then(Value::as_str).unwrap_or("")),
                    Some("input_json_delta") => self.completion.text.push_str(
                        delta
                            .get("partial_json")
                            .and_then(Value::as_str)
                            .unwrap_or(""),
                    ),
                    _ => {}
                }
            }
            "message_delta" => {
                if let Some(output) = value
                    .get("usage")
                    .and_then(|counts| counts.get("output_tokens"))
                    .and_then(Value::as_u64)
                {
                    self.completion.usage.output_tokens = output;
                    self.usage_known = true;
                }
                if value
                    .get("delta")
                    .and_then(|delta| delta.get("stop_reason"))
                    .and_then(Value::as_str)
                    == Some("max_tokens")
                {
                    self.completion.truncated = true;
                }
            }
            "message_stop" => self.done = true,
            "error" => {
                let message = value
                    .get("error")
                    .and_then(|error| error.get("message"))
                    .and_then(Value::as_str)
                    .unwrap_or("an error event");
                return Err(format!("the stream reported an error: {message}"));
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::Message;

    #[test]
    fn request_bodies() {
        let request = ChatRequest {
            system: "be brief".to_owned(),
            messages: vec![Message::user("hi")],
            max_output_tokens: 2000,
            temperature: Some(1.5),
            structured: true,
        };
        let body = request_body("claude-sonnet-4-5", &request, true);
        assert_eq!(body["system"], "be brief");
        assert_eq!(body["max_tokens"], 2000);
        assert_eq!(
            body["messages"],
            json!([{ "role": "user", "content": "hi" }])
        );
        assert_eq!(body["temperature"], 1.0);
        assert_eq!(
            body["tool_choice"],
            json!({ "type": "tool", "name": "write_project" })
        );
    }

    #[test]
    fn whole_answers() {
        let completion = parse_response("{\"type\":\"message\",\"model\":\"claude\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":5,\"output_tokens\":2}}").unwrap();
        assert_eq!(completion.text, "ab");
        assert_eq!(
            completion.usage,
            Usage {
                input_tokens: 15,
                output_tokens: 2
            }
        );
        assert!(!completion.truncated);
        let tool = parse_response("{\"content\":[{\"type\":\"tool_use\",\"name\":\"write_project\",\"input\":{\"files\":[]}}],\"stop_reason\":\"max_tokens\"}").unwrap();
        assert_eq!(tool.text, "{\"files\":[]}");
        assert!(tool.truncated);
    }

    #[test]
    fn streamed_answers() {
        let mut stream = Stream::default();
        for (name, data) in [
            ("message_start", "{\"type\":\"message_start\",\"message\":{\"model\":\"claude\",\"usage\":{\"input_tokens\":7,\"output_tokens\":1}}}"),
            ("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
            ("ping", "{\"type\":\"ping\"}"),
            ("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi \"}}"),
            ("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"there\"}}"),
            ("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
            ("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":4}}"),
            ("message_stop", "{\"type\":\"message_stop\"}"),
        ] {
            stream.on_event(&Event { name: Some(name.to_owned()), data: data.to_owned() }).unwrap();
        }
        assert_eq!(stream.completion.text, "Hi there");
        assert_eq!(
            stream.completion.usage,
            Usage {
                input_tokens: 7,
                output_tokens: 4
            }
        );
        assert!(stream.done && stream.usage_known);
        let error = stream.on_event(&Event { name: Some("error".to_owned()), data: "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}".to_owned() });
        assert_eq!(
            error,
            Err("the stream reported an error: Overloaded".to_owned())
        );
    }
}
