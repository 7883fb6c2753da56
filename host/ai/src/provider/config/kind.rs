//! The three kinds of provider, their wire format, defaults and key variables.

/// The wire format and defaults of a provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderKind {
    /// OpenAI Chat Completions, `Authorization: Bearer`.
    OpenAi,
    /// Anthropic Messages, `x-api-key`, `anthropic-version: 2023-06-01`.
    Anthropic,
    /// An OpenAI-compatible server (llama.cpp, Ollama, vLLM); a key is optional.
    OpenAiCompatible,
}

impl ProviderKind {
    /// The name in `SAUCE_AI_PROVIDER`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "openai",
            ProviderKind::Anthropic => "anthropic",
            ProviderKind::OpenAiCompatible => "openai-compatible",
        }
    }

    /// The vendor's name, for messages.
    pub fn vendor(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "OpenAI",
            ProviderKind::Anthropic => "Anthropic",
            ProviderKind::OpenAiCompatible => "the OpenAI-compatible server",
        }
    }

    /// Reads a `SAUCE_AI_PROVIDER` value.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "openai" => Some(ProviderKind::OpenAi),
            "anthropic" => Some(ProviderKind::Anthropic),
            "openai-compatible" | "openai_compatible" | "compatible" | "local" => {
                Some(ProviderKind::OpenAiCompatible)
            }
            _ => None,
        }
    }

    /// The vendor's API root.
    pub fn default_base_url(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "https://api.openai.com",
            ProviderKind::Anthropic => "https://api.anthropic.com",
            ProviderKind::OpenAiCompatible => "http://127.0.0.1:8080",
        }
    }

    /// The model used when none is named.
    pub fn default_model(self) -> Option<&'static str> {
        match self {
            ProviderKind::OpenAi => Some("gpt-4.1-mini"),
            ProviderKind::Anthropic => Some("claude-sonnet-4-5"),
            ProviderKind::OpenAiCompatible => None,
        }
    }

    /// The environment variable holding the vendor's key.
    pub fn key_variable(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "OPENAI_API_KEY",
            ProviderKind::Anthropic => "ANTHROPIC_API_KEY",
            ProviderKind::OpenAiCompatible => "SAUCE_AI_API_KEY",
        }
    }
}
