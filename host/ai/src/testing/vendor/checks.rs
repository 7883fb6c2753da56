//! The checks OpenAI's Chat Completions endpoint makes (OpenAI-compatible servers are held to
//! the same), with OpenAI's own messages.

use serde_json::Value;

use super::{reject, Rejection};
use crate::testing::server::{FakeOptions, RecordedRequest};

const OPENAI_FIELDS: &[&str] = &[
    "model",
    "messages",
    "stream",
    "stream_options",
    "max_tokens",
    "max_completion_tokens",
    "temperature",
    "top_p",
    "response_format",
    "n",
    "stop",
    "seed",
    "user",
    "tools",
    "tool_choice",
    "frequency_penalty",
    "presence_penalty",
    "logprobs",
    "top_logprobs",
    "parallel_tool_calls",
    "metadata",
    "store",
    "reasoning_effort",
    "service_tier",
    "logit_bias",
];
fn masked(key: &str) -> String {
    let start: String = key.chars().take(3).collect();
    let end: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{start}***{end}")
}

pub(super) fn validate_openai(
    options: &FakeOptions,
    request: &RecordedRequest,
) -> Result<(), Rejection> {
    if request.method != "POST" || request.path != "/v1/chat/completions" {
        return reject(
            404,
            "invalid_request_error",
            format!("Invalid URL ({} {})", request.method, request.path),
        );
    }
    if let Some(expected) = &options.key {
        match request.header("authorization").and_then(|value| value.strip_prefix("Bearer ")) {
            None => return reject(401, "invalid_request_error", "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."),
            Some(given) if given != expected => {
                return reject(401, "invalid_request_error", format!("Incorrect API key provided: {}. You can find your API key at https://platform.openai.com/account/api-keys.", masked(given)))
            }
            Some(_) => {}
        }
    }
    if !request
        .header("content-type")
        .is_some_and(|value| value.starts_with("application/json"))
    {
        return reject(
            400,
            "invalid_request_error",
            "Invalid Content-Type header, expected application/json",
        );
    }
    let Some(Value::Object(body)) = &request.json else {
        return reject(
            400,
            "invalid_request_error",
            "We could not parse the JSON body of your request.",
        );
    };
    if let Some(unknown) = body
        .keys()
        .find(|key| !OPENAI_FIELDS.contains(&key.as_str()))
    {
        return reject(
            400,
            "invalid_request_error",
            format!("Unrecognized request argument supplied: {unknown}"),
        );
    }
    let model = body.get("model").and_then(Value::as_str).unwrap_or("");
    if model.is_empty() {
        return reject(
            400,
            "invalid_request_error",
            "you must provide a model parameter",
        );
    }
    let messages = body
        .get("messages")
        .and_then(Value::as_array)
        .filter(|messages| !messages.is_empty());
    let Some(messages) = messages else {
        return reject(
            400,
            "invalid_request_error",
            "Invalid 'messages': empty array. Expected an array with minimum length 1.",
        );
    };
    for (index, message) in messages.iter().enumerate() {
        let role = message.get("role").and_then(Value::as_str).unwrap_or("");
        if !["system", "developer", "user", "assistant", "tool"].contains(&role) {
            return reject(400, "invalid_request_error", format!("Invalid value: '{role}'. Supported values are: 'system', 'assistant', 'user', 'tool', 'developer'. (messages[{index}].role)"));
        }
        if !message
            .get("content")
            .is_some_and(|content| content.is_string() || content.is_array())
        {
            return reject(
                400,
                "invalid_request_error",
                format!("Invalid type for 'messages[{index}].content'"),
            );
        }
    }
    let stream = body
        .get("stream")
        .map(|stream| stream.as_bool().ok_or(()))
        .transpose();
    let Ok(stream) = stream else {
        return reject(
            400,
            "invalid_request_error",
            "Invalid type for 'stream': expected a boolean",
        );
    };
    if body.contains_key("stream_options") && stream != Some(true) {
        return reject(
            400,
            "invalid_request_error",
            "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
        );
    }
    if body.contains_key("max_tokens") && body.contains_key("max_completion_tokens") {
        return reject(
            400,
            "invalid_request_error",
            "max_tokens and max_completion_tokens cannot both be set",
        );
    }
    for key in ["max_tokens", "max_completion_tokens"] {
        if let Some(value) = body.get(key) {
            if value.as_u64().unwrap_or(0) < 1 {
                return reject(
                    400,
                    "invalid_request_error",
                    format!("Invalid '{key}': expected an integer of at least 1"),
                );
            }
        }
    }
    if let Some(temperature) = body.get("temperature") {
        if !temperature
            .as_f64()
            .is_some_and(|value| (0.0..=2.0).contains(&value))
        {
            return reject(
                400,
                "invalid_request_error",
                "Invalid 'temperature': must be between 0 and 2",
            );
        }
    }
    if let Some(format) = body.get("response_format") {
        let kind = format.get("type").and_then(Value::as_str).unwrap_or("");
        let schema_ok = format.get("json_schema").is_some_and(|schema| {
            schema.get("name").is_some_and(Value::is_string)
                && schema.get("schema").is_some_and(Value::is_object)
        });
        if !(kind == "text" || kind == "json_object" || kind == "json_schema" && schema_ok) {
            return reject(400, "invalid_request_error", "Invalid 'response_format'");
        }
    }
    check_model(
        options,
        model,
        404,
        "invalid_request_error",
        format!("The model `{model}` does not exist or you do not have access to it."),
    )
}

pub(super) fn check_model(
    options: &FakeOptions,
    model: &str,
    status: u16,
    kind: &'static str,
    message: String,
) -> Result<(), Rejection> {
    match &options.models {
        Some(models) if !models.iter().any(|known| known == model) => reject(status, kind, message),
        _ => Ok(()),
    }
}
