//! Streamed answers: server-sent events in each vendor's sequence, sent in HTTP chunks.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::answers::{forced_tool, input_tokens, model_of, tokens, wants_usage};
use crate::testing::server::{RecordedRequest, Vendor};

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

pub(super) fn write_stream(
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
