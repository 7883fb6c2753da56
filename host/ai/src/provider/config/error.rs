//! Why provider settings are unusable, each message naming the fix.

use super::super::key::KeyCommandError;

/// Why the provider settings are unusable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `SAUCE_AI_PROVIDER` (or `provider`) names no provider
    #[error("{origin} = {value:?} is not a provider; use openai, anthropic or openai-compatible")]
    UnknownProvider {
        /// Where the value was set.
        origin: String,
        /// The value.
        value: String,
    },
    /// both vendors' keys are set and nothing says which to use
    #[error("both OPENAI_API_KEY and ANTHROPIC_API_KEY are set; choose one with SAUCE_AI_PROVIDER=openai or SAUCE_AI_PROVIDER=anthropic")]
    Ambiguous,
    /// the provider needs a key and none is set
    #[error("no API key for {vendor}: set {variable}, or name a variable (api_key_env) or a command (api_key_command) in the [ai] table of {config}")]
    MissingKey {
        /// The vendor.
        vendor: &'static str,
        /// The variable to set.
        variable: &'static str,
        /// The config file's path.
        config: String,
    },
    /// an OpenAI-compatible server needs a model name
    #[error("name the model the OpenAI-compatible server runs: set SAUCE_AI_MODEL (e.g. SAUCE_AI_MODEL=qwen2.5-coder:7b for Ollama)")]
    MissingModel,
    /// the base URL is not an http(s) URL
    #[error("{origin} = {value:?} is not an http:// or https:// URL")]
    BadUrl {
        /// Where the value was set.
        origin: String,
        /// The value.
        value: String,
    },
    /// a key would travel unencrypted to another machine
    #[error("{url} is plain http on another machine, so the API key would travel unencrypted; use https:// or a server on 127.0.0.1")]
    Unencrypted {
        /// The base URL.
        url: String,
    },
    /// the config file holds a key in plain text
    #[error("{path} holds `api_key` in plain text, which sauce refuses; remove it and set api_key_env = \"NAME_OF_A_VARIABLE\" or api_key_command = \"a command that prints the key\"")]
    PlainKey {
        /// The config file.
        path: String,
    },
    /// the config file could not be read or parsed
    #[error("{path}: {message}")]
    File {
        /// The config file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// a setting has a value of the wrong kind
    #[error("{origin} = {value:?}: {expected}")]
    BadValue {
        /// Where the value was set.
        origin: String,
        /// The value.
        value: String,
        /// What is accepted.
        expected: &'static str,
    },
    /// the key command failed
    #[error(transparent)]
    KeyCommand(#[from] KeyCommandError),
}
