//! Model providers over their real wire formats: OpenAI Chat Completions, Anthropic Messages,
//! and OpenAI-compatible servers (llama.cpp, Ollama, vLLM) without a key.
//!
//! - [`config`]: which provider, model, URL and key, from the environment and the user's config
//!   file ([`ProviderSettings::from_environment`]).
//! - [`key`]: API keys that never show ([`ApiKey`]).
//! - [`http`]: the [`HttpProvider`]: timeouts, retries with backoff honouring `Retry-After`,
//!   streaming with progress, errors that name the fix.
//! - [`openai`], [`anthropic`]: request bodies and response parsing, streamed and not.
//! - [`sse`]: server-sent events.
//! - [`retry`]: the retry policy and `Retry-After`.
//! - [`pricing`]: token prices and cost estimates.
//! - [`error`]: what can go wrong ([`ProviderError`]).

pub mod anthropic;
pub mod config;
pub mod error;
pub mod http;
pub mod key;
pub mod openai;
pub mod pricing;
pub mod retry;
pub mod sse;

use std::fmt;
use std::time::Duration;

pub use config::{ConfigError, ProviderKind, ProviderSettings};
pub use error::ProviderError;
pub use http::HttpProvider;
pub use key::{ApiKey, KeySource};
pub use pricing::cost_in_dollars;
pub use retry::RetryPolicy;

/// Who says a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The user (sauce, on the user's behalf).
    User,
    /// The model.
    Assistant,
}

impl Role {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One turn of the conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Who says it.
    pub role: Role,
    /// What is said.
    pub content: String,
}

impl Message {
    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: content.into(),
        }
    }

    /// An assistant message.
    pub fn assistant(content: impl Into<String>) -> Self {
        Self {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// What to ask a model.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatRequest {
    /// The system prompt.
    pub system: String,
    /// The conversation, starting with a user message.
    pub messages: Vec<Message>,
    /// The most tokens the reply may have.
    pub max_output_tokens: u32,
    /// Sampling temperature, when set (some models accept only their default).
    pub temperature: Option<f32>,
    /// Ask for the JSON project form through the provider's structured output (OpenAI
    /// `response_format`, Anthropic tools); the fenced-block reply stays the normal path.
    pub structured: bool,
}

/// Tokens counted by the vendor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Tokens read (prompt, including cached).
    pub input_tokens: u64,
    /// Tokens written.
    pub output_tokens: u64,
}

impl Usage {
    /// Both counts added.
    pub fn total(self) -> u64 {
        self.input_tokens + self.output_tokens
    }
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, other: Usage) {
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
    }
}

impl fmt::Display for Usage {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} tokens in, {} out",
            self.input_tokens, self.output_tokens
        )
    }
}

/// A model's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// The text (or, for a structured reply, the JSON).
    pub text: String,
    /// The vendor's token counts.
    pub usage: Usage,
    /// The model that answered, as the vendor names it.
    pub model: String,
    /// Whether the reply stopped at the token limit.
    pub truncated: bool,
}

/// How a request is going, for a progress indicator.
#[derive(Clone, Debug, PartialEq)]
pub enum ProviderEvent {
    /// The server asked to wait (429 or 5xx); the request is sent again after `delay`.
    Retrying {
        /// The HTTP status that caused it.
        status: u16,
        /// How long sauce waits.
        delay: Duration,
        /// The retry about to be made (1 is the first retry).
        retry: u32,
    },
    /// Bytes of the answer arrived.
    Receiving {
        /// Response bytes so far.
        bytes: u64,
        /// Output tokens so far: the vendor's count when it sent one, else an estimate.
        tokens: u64,
        /// Whether `tokens` is an estimate (characters / 4).
        estimated: bool,
    },
}

/// Something that answers chat requests.
pub trait Provider {
    /// One line for people: vendor, model and server (`OpenAI gpt-4.1-mini at https://…`).
    fn describe(&self) -> String;

    /// The model asked for.
    fn model(&self) -> &str;

    /// Estimated cost in US dollars of `usage`, when the model's prices are known.
    fn cost(&self, usage: Usage) -> Option<f64>;

    /// Sends `request`; `events` hears about retries and progress.
    fn complete(
        &self,
        request: &ChatRequest,
        events: &mut dyn FnMut(&ProviderEvent),
    ) -> Result<Completion, ProviderError>;
}

/// The JSON Schema of the project form for structured outputs: a plan, the files as a list of
/// `{path, content}` (strict modes allow no free-form maps), and probe lines.
pub fn project_schema() -> serde_json::Value {
    serde_json::json!({
        "type": "object",
        "properties": {
            "plan": { "type": "string", "description": "A short plan in plain words." },
            "files": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "path": { "type": "string", "description": "The file name relative to the project folder, such as sauce.toml or src/lib.rs." },
                        "content": { "type": "string", "description": "The whole file." }
                    },
                    "required": ["path", "content"],
                    "additionalProperties": false
                }
            },
            "probes": {
                "type": "array",
                "items": { "type": "string", "description": "METHOD /path [BODY] -> STATUS [CONTENT-TYPE]" }
            }
        },
        "required": ["plan", "files", "probes"],
        "additionalProperties": false
    })
}

#[cfg(test)]
mod tests;
