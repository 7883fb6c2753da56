//! OpenAI Chat Completions (`POST /v1/chat/completions`), as OpenAI and OpenAI-compatible
//! servers speak it: the request body, the answer, and the streamed chunks
//! (`data: {"choices":[{"delta":{"content":…}}]}` … `data: [DONE]`, with usage in a last chunk
//! when `stream_options.include_usage` is set).

use serde_json::{json, Value};

use super::sse::Event;
use super::{project_schema, ChatRequest, Completion, ProviderKind, Usage};

/// The path of the endpoint.
pub const PATH: &str = "/v1/chat/completions";

/// The request body. OpenAI takes `max_completion_tokens` (its reasoning models refuse
/// `max_tokens`); compatible servers take `max_tokens`.
pub fn request_body(kind: ProviderKind, model: &str, request: &ChatRequest, stream: bool) -> Value {
    let mut messages = vec![json!({ "role": "system", "content": request.system })];
    messages.extend(
        request
            .messages
            .iter()
            .map(|message| json!({ "role": message.role.as_str(), "content": message.content })),
    );
    let mut body = json!({ "model": model, "messages": messages, "stream": stream });
    let limit_key = if kind == ProviderKind::OpenAi {
        "max_completion_tokens"
    } else {
        "max_tokens"
    };
    body[limit_key] = json!(request.max_output_tokens);
    if let Some(temperature) = request.temperature {
        body["temperature"] = json!(temperature);
    }
    if stream {
        body["stream_options"] = json!({ "include_usage": true });
    }
    if request.structured {
        body["response_format"] = json!({
            "type": "json_schema",
            "json_schema": { "name": "sauce_project", "strict": true, "schema": project_schema() }
        });
    }
    body
}

fn usage(value: &Value) -> Option<Usage> {
    let usage = value.get("usage").filter(|usage| usage.is_object())?;
    Some(Usage {
        input_tokens: usage
            .get("prompt_tokens")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        output_tokens: usage
            .get("completion_tokens")
            .and_then(Value::as_u64)
            .unwrap_or(0),
    })
}

/// Reads a whole (not streamed) answer.
pub fn parse_response(body: &str) -> Result<Completion, String> {
    let value: Value =
        serde_json::from_str(body).map_err(|error| format!("the body is not JSON ({error})"))?;
    let choice = value
        .get("choices")
        .and_then(|choices| choices.get(0))
        .ok_or("the answer has no `choices`")?;
    let message = choice.get("message").ok_or("the choice has no `message`")?;
    let text = message
        .get("content")
        .and_then(Value::as_str)
        .or_else(|| message.get("refusal").and_then(Value::as_str))
        .unwrap_or("")
        .to_owned();
    Ok(Completion {
        text,
        usage: usage(&value).unwrap_or_default(),
        model: value
            .get("model")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        truncated: choice.get("finish_reason").and_then(Value::as_str) == Some("length"),
    })
}

/// A streamed answer being put together.
#[derive(Clone, Debug, Default)]
pub struct Stream {
    /// What has arrived.
    pub completion: Completion,
    /// Whether the usage was reported.
    pub usage_known: bool,
    /// Whether `[DONE]` arrived.
    pub done: bool,
}

impl Stream {
    /// Takes one event; `Err` for an error event or a malformed chunk.
    pub fn on_event(&mut self, event: &Event) -> Result<(), String> {
        if event.data.trim() == "[DONE]" {
            self.done = true;
            return Ok(());
        }
        let chunk: Value = serde_json::from_str(&event.data)
            .map_err(|error| format!("a streamed chunk is not JSON ({error})"))?;
        if let Some(error) = chunk.get("error") {
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .or_else(|| error.as_str())
                .unwrap_or("an error event");
            return Err(format!("the stream reported an error: {message}"));
        }
        if let Some(model) = chunk.get("model").and_then(Value::as_str) {
            self.completion.model = model.to_owned();
        }
        if let Some(choice) = chunk.get("choices").and_then(|choices| choices.get(0)) {
            let delta = choice.get("delta");
            if let Some(content) = delta
                .and_then(|delta| delta.get("content"))
                .and_then(Value::as_str)
            {
                self.completion.text.push_str(content);
            }
            if let Some(refusal) = delta
                .and_then(|delta| delta.get("refusal"))
                .and_then(Value::as_str)
            {
                self.completion.text.push_str(refusal);
            }
            if choice.get("finish_reason").and_then(Value::as_str) == Some("length") {
                self.completion.truncated = true;
            }
        }
        if let Some(usage) = usage(&chunk) {
            self.completion.usage = usage;
            self.usage_known = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::Message;

    fn request(structured: bool) -> ChatRequest {
        ChatRequest {
            system: "be brief".to_owned(),
            messages: vec![
                Message::user("hi"),
                Message::assistant("hello"),
                Message::user("again"),
            ],
            max_output_tokens: 1000,
            temperature: Some(0.2),
            structured,
        }
    }

    #[test]
    fn request_bodies() {
        let body = request_body(ProviderKind::OpenAi, "gpt-4.1-mini", &request(false), true);
        assert_eq!(
            body["messages"][0],
            json!({ "role": "system", "content": "be brief" })
        );
        assert_eq!(body["messages"][2]["role"], "assistant");
        assert_eq!(body["max_completion_tokens"], 1000);
        assert_eq!(body["stream_options"]["include_usage"], true);
        assert!(body.get("response_format").is_none());
        let compatible = request_body(
            ProviderKind::OpenAiCompatible,
            "qwen",
            &request(true),
            false,
        );
        assert_eq!(compatible["max_tokens"], 1000);
        assert!(compatible.get("stream_options").is_none());
        assert_eq!(compatible["response_format"]["json_schema"]["strict"], true);
    }

    #[test]
    fn whole_answers() {
        let completion = parse_response("{\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}").unwrap();
        assert_eq!(completion.text, "hi");
        assert_eq!(
            completion.usage,
            Usage {
                input_tokens: 12,
                output_tokens: 3
            }
        );
        assert!(completion.truncated);
        assert!(parse_response("{\"choices\":[]}").is_err());
        assert!(parse_response("nope").is_err());
    }

    #[test]
    fn streamed_answers() {
        let mut stream = Stream::default();
        for data in [
            "{\"model\":\"m\",\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}",
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}",
            "[DONE]",
        ] {
            stream
                .on_event(&Event {
                    name: None,
                    data: data.to_owned(),
                })
                .unwrap();
        }
        assert_eq!(stream.completion.text, "Hello");
        assert_eq!(stream.completion.model, "m");
        assert!(stream.usage_known && stream.done);
        let error = stream.on_event(&Event {
            name: None,
            data: "{\"error\":{\"message\":\"overloaded\"}}".to_owned(),
        });
        assert_eq!(
            error,
            Err("the stream reported an error: overloaded".to_owned())
        );
    }
}
