//! What the fake server checks and answers, as the vendors do: the path, the auth headers,
//! `anthropic-version`, the content type, and the JSON shape of the body (unknown fields, roles,
//! limits), each rejection in the vendor's error format; answers in the vendor's format, whole
//! or streamed as server-sent events with chunked transfer encoding.

mod answers;
mod anthropic_checks;
mod checks;
mod stream;

pub use answers::{tokens, write_answer};

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

/// Checks a request as the vendor would.
pub fn validate(options: &FakeOptions, request: &RecordedRequest) -> Result<(), Rejection> {
    match options.vendor {
        Vendor::OpenAi => checks::validate_openai(options, request),
        Vendor::Anthropic => anthropic_checks::validate_anthropic(options, request),
    }
}
