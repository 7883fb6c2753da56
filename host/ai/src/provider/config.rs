//! Which provider to use: `SAUCE_AI_PROVIDER`, `SAUCE_AI_MODEL`, `SAUCE_AI_BASE_URL`,
//! `SAUCE_AI_TIMEOUT`, the vendors' key variables, and the same settings in the `[ai]` table of
//! the user's config file (`$XDG_CONFIG_HOME/sauce/config.toml`, else
//! `~/.config/sauce/config.toml`). The environment wins, setting by setting. The file never holds
//! a key: it names an environment variable (`api_key_env`) or a command that prints the key
//! (`api_key_command`); a plain `api_key` is refused.

use std::time::Duration;

mod error;
mod file;
mod kind;

pub use error::ConfigError;
pub use file::{config_path, read_file, FileSettings};
pub use kind::ProviderKind;

use super::key::{ApiKey, KeySource};
use super::retry::RetryPolicy;

/// Everything needed to talk to one provider.
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderSettings {
    /// The wire format.
    pub kind: ProviderKind,
    /// The model.
    pub model: String,
    /// The API root, without a trailing `/` or `/v1`.
    pub base_url: String,
    /// The key (required for OpenAI and Anthropic).
    pub key: Option<ApiKey>,
    /// How long connecting may take.
    pub connect_timeout: Duration,
    /// The longest silence while waiting for or reading the answer.
    pub read_timeout: Duration,
    /// The longest a whole request may take, retries excluded.
    pub total_timeout: Duration,
    /// Retries on 429 and 5xx.
    pub retry: RetryPolicy,
    /// The most tokens a reply may have.
    pub max_output_tokens: u32,
    /// Sampling temperature, when set.
    pub temperature: Option<f32>,
    /// Ask for the JSON project form through structured outputs as well.
    pub structured_output: bool,
    /// Stream answers (server-sent events).
    pub stream: bool,
}

impl ProviderSettings {
    /// The settings from the process environment and the user's config file; `Ok(None)` when
    /// no provider is configured (the rule-based path applies).
    pub fn from_environment() -> Result<Option<Self>, ConfigError> {
        let environment = |name: &str| std::env::var(name).ok();
        let file = match config_path(&environment) {
            Some(path) => read_file(&path)?,
            None => None,
        };
        Self::resolve(&environment, file.as_ref())
    }

    /// The settings from `environment` (a variable lookup) and the config file's `[ai]` table.
    pub fn resolve(
        environment: &dyn Fn(&str) -> Option<String>,
        file: Option<&FileSettings>,
    ) -> Result<Option<Self>, ConfigError> {
        let variable = |name: &str| {
            environment(name)
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let config = config_path(environment).map_or_else(
            || "~/.config/sauce/config.toml".to_owned(),
            |path| path.display().to_string(),
        );
        let empty = FileSettings::default();
        let file = file.unwrap_or(&empty);
        let file_origin = |key: &str| format!("{} [ai] {key}", file.path.display());
        let openai_key = variable("OPENAI_API_KEY");
        let anthropic_key = variable("ANTHROPIC_API_KEY");
        let base_url = match variable("SAUCE_AI_BASE_URL") {
            Some(url) => Some((url, "SAUCE_AI_BASE_URL".to_owned())),
            None => file
                .text("base_url")?
                .map(|url| (url, file_origin("base_url"))),
        };
        let named = match variable("SAUCE_AI_PROVIDER") {
            Some(name) => Some((name, "SAUCE_AI_PROVIDER".to_owned())),
            None => file
                .text("provider")?
                .map(|name| (name, file_origin("provider"))),
        };
        let kind = match named {
            Some((name, origin)) => {
                ProviderKind::from_name(&name).ok_or(ConfigError::UnknownProvider {
                    origin,
                    value: name,
                })?
            }
            None => match (&openai_key, &anthropic_key, &base_url) {
                (Some(_), Some(_), _) => return Err(ConfigError::Ambiguous),
                (Some(_), None, _) => ProviderKind::OpenAi,
                (None, Some(_), _) => ProviderKind::Anthropic,
                (None, None, Some(_)) => ProviderKind::OpenAiCompatible,
                (None, None, None) => return Ok(None),
            },
        };
        let key_from_file = || -> Result<Option<ApiKey>, ConfigError> {
            if let Some(name) = file.text("api_key_env")? {
                return Ok(variable(&name)
                    .map(|secret| ApiKey::new(&secret, KeySource::Environment(name.clone()))));
            }
            match file.text("api_key_command")? {
                Some(command) => Ok(Some(ApiKey::from_command(&command)?)),
                None => Ok(None),
            }
        };
        let vendor_key = match kind {
            ProviderKind::OpenAi => openai_key,
            ProviderKind::Anthropic => anthropic_key,
            ProviderKind::OpenAiCompatible => variable("SAUCE_AI_API_KEY"),
        };
        let key = match vendor_key {
            Some(secret) => Some(ApiKey::new(
                &secret,
                KeySource::Environment(kind.key_variable().to_owned()),
            )),
            None => key_from_file()?,
        };
        if key.is_none() && kind != ProviderKind::OpenAiCompatible {
            return Err(ConfigError::MissingKey {
                vendor: kind.vendor(),
                variable: kind.key_variable(),
                config,
            });
        }
        let model = match variable("SAUCE_AI_MODEL").or(file.text("model")?) {
            Some(model) => model,
            None => kind
                .default_model()
                .ok_or(ConfigError::MissingModel)?
                .to_owned(),
        };
        let base_url = match base_url {
            Some((url, origin)) => {
                normalise_url(&url).ok_or(ConfigError::BadUrl { origin, value: url })?
            }
            None => kind.default_base_url().to_owned(),
        };
        if key.is_some() && base_url.starts_with("http://") && !is_loopback(&base_url) {
            return Err(ConfigError::Unencrypted { url: base_url });
        }
        let seconds = |value: f64, origin: String, text: String| {
            if value.is_finite() && value > 0.0 && value <= 86_400.0 {
                Ok(Duration::from_secs_f64(value))
            } else {
                Err(ConfigError::BadValue {
                    origin,
                    value: text,
                    expected: "a number of seconds from 0 to 86400",
                })
            }
        };
        let read_timeout = match variable("SAUCE_AI_TIMEOUT") {
            Some(text) => seconds(
                text.parse().unwrap_or(f64::NAN),
                "SAUCE_AI_TIMEOUT".to_owned(),
                text,
            )?,
            None => match file.number("timeout")? {
                Some(value) => seconds(value, file_origin("timeout"), value.to_string())?,
                None => Duration::from_secs(120),
            },
        };
        let connect_timeout = match file.number("connect_timeout")? {
            Some(value) => seconds(value, file_origin("connect_timeout"), value.to_string())?,
            None => Duration::from_secs(10),
        };
        let mut retry = RetryPolicy::default();
        if let Some(retries) = file.number("max_retries")? {
            if !(0.0..=10.0).contains(&retries) {
                return Err(ConfigError::BadValue {
                    origin: file_origin("max_retries"),
                    value: retries.to_string(),
                    expected: "a number from 0 to 10",
                });
            }
            retry.max_retries = retries as u32;
        }
        let max_output_tokens = match file.number("max_output_tokens")? {
            Some(tokens) if (256.0..=200_000.0).contains(&tokens) => tokens as u32,
            Some(tokens) => {
                return Err(ConfigError::BadValue {
                    origin: file_origin("max_output_tokens"),
                    value: tokens.to_string(),
                    expected: "a number from 256 to 200000",
                })
            }
            None => 8_192,
        };
        let temperature = match file.number("temperature")? {
            Some(value) if (0.0..=2.0).contains(&value) => Some(value as f32),
            Some(value) => {
                return Err(ConfigError::BadValue {
                    origin: file_origin("temperature"),
                    value: value.to_string(),
                    expected: "a number from 0 to 2",
                })
            }
            None => None,
        };
        Ok(Some(ProviderSettings {
            kind,
            model,
            base_url,
            key,
            connect_timeout,
            read_timeout,
            total_timeout: Duration::from_secs(900).max(read_timeout),
            retry,
            max_output_tokens,
            temperature,
            structured_output: file.flag("structured_output")?.unwrap_or(false),
            stream: file.flag("stream")?.unwrap_or(true),
        }))
    }

    /// Settings for `kind` at `base_url` with `model` and `key`, and defaults for the rest (for
    /// tests and programs that configure sauce themselves).
    pub fn new(kind: ProviderKind, base_url: &str, model: &str, key: Option<ApiKey>) -> Self {
        Self {
            kind,
            model: model.to_owned(),
            base_url: normalise_url(base_url).unwrap_or_else(|| base_url.to_owned()),
            key,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(120),
            total_timeout: Duration::from_secs(900),
            retry: RetryPolicy::default(),
            max_output_tokens: 8_192,
            temperature: None,
            structured_output: false,
            stream: true,
        }
    }
}

/// `url` without a trailing `/` or `/v1`, if it is an http(s) URL with a host.
fn normalise_url(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    if rest.is_empty() || rest.starts_with('/') || url.chars().any(char::is_whitespace) {
        return None;
    }
    let trimmed = url.trim_end_matches('/');
    let trimmed = trimmed.strip_suffix("/v1").unwrap_or(trimmed);
    Some(trimmed.trim_end_matches('/').to_owned())
}

/// Whether an http URL points at this machine.
pub fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or("");
    let host = if let Some(bracketed) = authority.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or("")
    } else {
        authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host)
    };
    host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|address| address.is_loopback())
}

#[cfg(test)]
mod tests;
