//! What the fake server checks and answers, as the vendors do: the path, the auth headers,
//! `anthropic-version`, the content type, and the JSON shape of the body (unknown fields, roles,
//! limits), each rejection in the vendor's error format; answers in the vendor's format, whole
//! or streamed as server-sent events with chunked transfer encoding.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::server::{FakeOptions, RecordedRequest, Scripted, Vendor};

/// A request the vendor would refuse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The status.
    pub status: u16,
    /// The vendor's error type.
    pub kind: &'static str,
    /// The vendor's message.
    pub message: String,
    /// A `Retry-After` header.
    pub retry_after: Option<String>,
}

/// What the server sends back.
pub enum Answer {
    /// A vendor error.
    Error(Rejection),
    /// The next scripted answer.
    Scripted(Scripted),
}

fn reject(status: u16, kind: &'static str, message: impl Into<String>) -> Result<(), Rejection> {
    Err(Rejection {
        status,
        kind,
        message: message.into(),
        retry_after: None,
    })
}

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

/// Checks a request as the vendor would.
pub fn validate(options: &FakeOptions, request: &RecordedRequest) -> Result<(), Rejection> {
    match options.vendor {
        Vendor::OpenAi => validate_openai(options, request),
        Vendor::Anthropic => validate_anthropic(options, request),
    }
}

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

fn validate_openai(options: &FakeOptions, request: &RecordedRequest) -> Result<(), Rejection> {
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

fn check_model(
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

fn validate_anthropic(options: &FakeOptions, request: &RecordedRequest) -> Result<(), Rejection> {
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

/// Token counts the fake reports: a quarter of the characters, rounded up.
pub fn tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

fn input_tokens(request: &RecordedRequest) -> u64 {
    let Some(json) = &request.json else { return 0 };
    let system = json.get("system").and_then(Value::as_str).unwrap_or("");
    let messages: u64 = json
        .get("messages")
        .and_then(Value::as_array)
        .map(|messages| {
            messages
                .iter()
                .filter_map(|message| message.get("content").and_then(Value::as_str))
                .map(tokens)
                .sum()
        })
        .unwrap_or(0);
    tokens(system) + messages
}

fn wants_stream(request: &RecordedRequest) -> bool {
    request
        .json
        .as_ref()
        .and_then(|json| json.get("stream"))
        .and_then(Value::as_bool)
        == Some(true)
}

fn wants_usage(request: &RecordedRequest) -> bool {
    request
        .json
        .as_ref()
        .and_then(|json| json.get("stream_options"))
        .and_then(|options| options.get("include_usage"))
        .and_then(Value::as_bool)
        == Some(true)
}

fn forced_tool(request: &RecordedRequest) -> Option<String> {
    request
        .json
        .as_ref()?
        .get("tool_choice")?
        .get("name")?
        .as_str()
        .map(str::to_owned)
}

fn model_of(request: &RecordedRequest) -> String {
    request
        .json
        .as_ref()
        .and_then(|json| json.get("model"))
        .and_then(Value::as_str)
        .unwrap_or("fake")
        .to_owned()
}

/// Writes the answer in the vendor's format.
pub fn write_answer(
    stream: &mut dyn Write,
    options: &FakeOptions,
    request: &RecordedRequest,
    answer: Answer,
) -> io::Result<()> {
    match answer {
        Answer::Error(rejection) => write_error(stream, options.vendor, &rejection),
        Answer::Scripted(Scripted::Status {
            status,
            retry_after,
            message,
        }) => {
            let kind = match status {
                429 => "rate_limit_error",
                529 => "overloaded_error",
                _ => "api_error",
            };
            write_error(
                stream,
                options.vendor,
                &Rejection {
                    status,
                    kind,
                    message,
                    retry_after,
                },
            )
        }
        Answer::Scripted(Scripted::Stall(_)) => Ok(()),
        Answer::Scripted(Scripted::Reply(text)) if wants_stream(request) => {
            write_stream(stream, options.vendor, request, &text, false)
        }
        Answer::Scripted(Scripted::StreamError) => {
            write_stream(stream, options.vendor, request, "", true)
        }
        Answer::Scripted(Scripted::Reply(text)) => {
            let body = whole_answer(options.vendor, request, &text);
            write_response(
                stream,
                200,
                "application/json",
                &[],
                body.to_string().as_bytes(),
            )
        }
    }
}

fn whole_answer(vendor: Vendor, request: &RecordedRequest, text: &str) -> Value {
    let model = model_of(request);
    let (input, output) = (input_tokens(request), tokens(text));
    match vendor {
        Vendor::OpenAi => json!({
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_700_000_000, "model": model,
            "choices": [{ "index": 0, "message": { "role": "assistant", "content": text, "refusal": null }, "finish_reason": "stop" }],
            "usage": { "prompt_tokens": input, "completion_tokens": output, "total_tokens": input + output }
        }),
        Vendor::Anthropic => {
            let content = match forced_tool(request) {
                Some(name) => {
                    json!([{ "type": "tool_use", "id": "toolu_fake", "name": name, "input": serde_json::from_str::<Value>(text).unwrap_or(json!({})) }])
                }
                None => json!([{ "type": "text", "text": text }]),
            };
            json!({
                "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": content,
                "stop_reason": "end_turn", "stop_sequence": null,
                "usage": { "input_tokens": input, "output_tokens": output }
            })
        }
    }
}

fn write_response(
    stream: &mut dyn Write,
    status: u16,
    content_type: &str,
    extra: &[(String, String)],
    body: &[u8],
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n", reason(status), body.len());
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        529 => "Overloaded",
        _ => "Status",
    }
}

fn write_error(stream: &mut dyn Write, vendor: Vendor, rejection: &Rejection) -> io::Result<()> {
    let body = match vendor {
        Vendor::OpenAi => {
            json!({ "error": { "message": rejection.message, "type": rejection.kind, "param": null, "code": null } })
        }
        Vendor::Anthropic => {
            json!({ "type": "error", "error": { "type": rejection.kind, "message": rejection.message } })
        }
    };
    let extra: Vec<(String, String)> = rejection
        .retry_after
        .iter()
        .map(|value| ("Retry-After".to_owned(), value.clone()))
        .collect();
    write_response(
        stream,
        rejection.status,
        "application/json",
        &extra,
        body.to_string().as_bytes(),
    )
}

fn chunk(stream: &mut dyn Write, data: &str) -> io::Result<()> {
    write!(stream, "{:x}\r\n{data}\r\n", data.len())?;
    stream.flush()
}

/// The text in pieces of about 16 characters, as tokens arrive.
fn pieces(text: &str) -> Vec<String> {
    let characters: Vec<char> = text.chars().collect();
    characters
        .chunks(16)
        .map(|piece| piece.iter().collect())
        .collect()
}

fn write_stream(
    stream: &mut dyn Write,
    vendor: Vendor,
    request: &RecordedRequest,
    text: &str,
    fail: bool,
) -> io::Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")?;
    let model = model_of(request);
    let (input, output) = (input_tokens(request), tokens(text));
    match vendor {
        Vendor::OpenAi => {
            let event = |value: Value| format!("data: {value}\n\n");
            chunk(
                stream,
                &event(
                    json!({ "id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model, "choices": [{ "index": 0, "delta": { "role": "assistant", "content": "" }, "finish_reason": null }] }),
                ),
            )?;
            if fail {
                chunk(
                    stream,
                    &event(
                        json!({ "error": { "message": "The server is overloaded", "type": "server_error" } }),
                    ),
                )?;
            } else {
                for piece in pieces(text) {
                    chunk(
                        stream,
                        &event(
                            json!({ "id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model, "choices": [{ "index": 0, "delta": { "content": piece }, "finish_reason": null }] }),
                        ),
                    )?;
                }
                chunk(
                    stream,
                    &event(
                        json!({ "id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model, "choices": [{ "index": 0, "delta": {}, "finish_reason": "stop" }] }),
                    ),
                )?;
                if wants_usage(request) {
                    chunk(
                        stream,
                        &event(
                            json!({ "id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model, "choices": [], "usage": { "prompt_tokens": input, "completion_tokens": output, "total_tokens": input + output } }),
                        ),
                    )?;
                }
                chunk(stream, "data: [DONE]\n\n")?;
            }
        }
        Vendor::Anthropic => {
            let event = |name: &str, value: Value| format!("event: {name}\ndata: {value}\n\n");
            chunk(
                stream,
                &event(
                    "message_start",
                    json!({ "type": "message_start", "message": { "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": [], "stop_reason": null, "usage": { "input_tokens": input, "output_tokens": 1 } } }),
                ),
            )?;
            if fail {
                chunk(
                    stream,
                    &event(
                        "error",
                        json!({ "type": "error", "error": { "type": "overloaded_error", "message": "Overloaded" } }),
                    ),
                )?;
            } else {
                let tool = forced_tool(request);
                let (block, delta_kind, field) = match &tool {
                    Some(name) => (
                        json!({ "type": "tool_use", "id": "toolu_fake", "name": name, "input": {} }),
                        "input_json_delta",
                        "partial_json",
                    ),
                    None => (json!({ "type": "text", "text": "" }), "text_delta", "text"),
                };
                chunk(
                    stream,
                    &event(
                        "content_block_start",
                        json!({ "type": "content_block_start", "index": 0, "content_block": block }),
                    ),
                )?;
                chunk(stream, &event("ping", json!({ "type": "ping" })))?;
                for piece in pieces(text) {
                    chunk(
                        stream,
                        &event(
                            "content_block_delta",
                            json!({ "type": "content_block_delta", "index": 0, "delta": { "type": delta_kind, field: piece } }),
                        ),
                    )?;
                }
                chunk(
                    stream,
                    &event(
                        "content_block_stop",
                        json!({ "type": "content_block_stop", "index": 0 }),
                    ),
                )?;
                chunk(
                    stream,
                    &event(
                        "message_delta",
                        json!({ "type": "message_delta", "delta": { "stop_reason": "end_turn", "stop_sequence": null }, "usage": { "output_tokens": output } }),
                    ),
                )?;
                chunk(
                    stream,
                    &event("message_stop", json!({ "type": "message_stop" })),
                )?;
            }
        }
    }
    stream.write_all(b"0\r\n\r\n")
}
