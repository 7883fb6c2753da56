//! The checks Anthropic's Messages endpoint makes: path, `x-api-key`, `anthropic-version`,
//! content type, and the body's fields, roles and limits.

use serde_json::Value;

use super::checks::check_model;
use super::{reject, Rejection};
use crate::testing::server::{FakeOptions, RecordedRequest};

const ANTHROPIC_FIELDS: &[&str] = &[
    "model",
    "messages",
    "max_tokens",
    "system",
    "stream",
    "temperature",
    "top_p",
    "top_k",
    "stop_sequences",
    "tools",
    "tool_choice",
    "metadata",
    "thinking",
    "service_tier",
];

pub(super) fn validate_anthropic(
    options: &FakeOptions,
    request: &RecordedRequest,
) -> Result<(), Rejection> {
    if request.method != "POST" || request.path != "/v1/messages" {
        return reject(404, "not_found_error", "Not Found");
    }
    if let Some(expected) = &options.key {
        match request.header("x-api-key") {
            None => return reject(401, "authentication_error", "x-api-key header is required"),
            Some(given) if given != expected => {
                return reject(401, "authentication_error", "invalid x-api-key")
            }
            Some(_) => {}
        }
    }
    match request.header("anthropic-version") {
        None => {
            return reject(
                400,
                "invalid_request_error",
                "anthropic-version: header is required",
            )
        }
        Some(version) if version != "2023-06-01" && version != "2023-01-01" => {
            return reject(
                400,
                "invalid_request_error",
                format!("anthropic-version: {version} is not a valid version"),
            )
        }
        Some(_) => {}
    }
    if !request
        .header("content-type")
        .is_some_and(|value| value.starts_with("application/json"))
    {
        return reject(
            400,
            "invalid_request_error",
            "content-type: must be application/json",
        );
    }
    let Some(Value::Object(body)) = &request.json else {
        return reject(
            400,
            "invalid_request_error",
            "There was an error parsing the body of your request",
        );
    };
    if let Some(unknown) = body
        .keys()
        .find(|key| !ANTHROPIC_FIELDS.contains(&key.as_str()))
    {
        return reject(
            400,
            "invalid_request_error",
            format!("{unknown}: Extra inputs are not permitted"),
        );
    }
    let model = body.get("model").and_then(Value::as_str).unwrap_or("");
    if model.is_empty() {
        return reject(400, "invalid_request_error", "model: Field required");
    }
    if body.get("max_tokens").and_then(Value::as_u64).unwrap_or(0) < 1 {
        return reject(400, "invalid_request_error", "max_tokens: Field required");
    }
    if let Some(system) = body.get("system") {
        if !(system.is_string() || system.is_array()) {
            return reject(
                400,
                "invalid_request_error",
                "system: Input should be a valid string or list",
            );
        }
    }
    let Some(messages) = body
        .get("messages")
        .and_then(Value::as_array)
        .filter(|messages| !messages.is_empty())
    else {
        return reject(
            400,
            "invalid_request_error",
            "messages: at least one message is required",
        );
    };
    for (index, message) in messages.iter().enumerate() {
        let role = message.get("role").and_then(Value::as_str).unwrap_or("");
        if role != "user" && role != "assistant" {
            return reject(
                400,
                "invalid_request_error",
                format!("messages.{index}.role: Input should be 'user' or 'assistant'"),
            );
        }
        if !message
            .get("content")
            .is_some_and(|content| content.is_string() || content.is_array())
        {
            return reject(
                400,
                "invalid_request_error",
                format!("messages.{index}.content: Field required"),
            );
        }
    }
    if messages
        .first()
        .and_then(|first| first.get("role"))
        .and_then(Value::as_str)
        != Some("user")
    {
        return reject(
            400,
            "invalid_request_error",
            "messages: first message must use the \"user\" role",
        );
    }
    if let Some(temperature) = body.get("temperature") {
        if !temperature
            .as_f64()
            .is_some_and(|value| (0.0..=1.0).contains(&value))
        {
            return reject(
                400,
                "invalid_request_error",
                "temperature: Input should be less than or equal to 1",
            );
        }
    }
    if let Some(stream) = body.get("stream") {
        if !stream.is_boolean() {
            return reject(
                400,
                "invalid_request_error",
                "stream: Input should be a valid boolean",
            );
        }
    }
    check_model(
        options,
        model,
        404,
        "not_found_error",
        format!("model: {model}"),
    )
}
