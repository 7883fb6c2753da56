//! The answers, per vendor: errors, whole replies and streamed events.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{Answer, Rejection};
use crate::testing::server::{FakeOptions, RecordedRequest, Scripted, Vendor};

/// Token counts the fake reports: a quarter of the characters, rounded up.
pub fn tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

pub(super) fn input_tokens(request: &RecordedRequest) -> u64 {
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

pub(super) fn wants_usage(request: &RecordedRequest) -> bool {
    request
        .json
        .as_ref()
        .and_then(|json| json.get("stream_options"))
        .and_then(|options| options.get("include_usage"))
        .and_then(Value::as_bool)
        == Some(true)
}

pub(super) fn forced_tool(request: &RecordedRequest) -> Option<String> {
    request
        .json
        .as_ref()?
        .get("tool_choice")?
        .get("name")?
        .as_str()
        .map(str::to_owned)
}

pub(super) fn model_of(request: &RecordedRequest) -> String {
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
            super::stream::write_stream(stream, options.vendor, request, &text, false)
        }
        Answer::Scripted(Scripted::StreamError) => {
            super::stream::write_stream(stream, options.vendor, request, "", true)
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
