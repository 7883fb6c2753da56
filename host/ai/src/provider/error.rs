//! What can go wrong talking to a model, each message naming the fix. No message ever holds the
//! key: server text is quoted only after [`crate::provider::ApiKey::redact`], and never for 401
//! and 403, whose bodies may echo part of the key.

use std::time::Duration;

/// Why a request to a model failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// the server refused the key
    #[error("{vendor} refused the API key (HTTP {status}): check {key_source}; create a new key if it was revoked")]
    InvalidKey {
        /// The vendor.
        vendor: &'static str,
        /// 401 or 403.
        status: u16,
        /// Where the key came from.
        key_source: String,
    },
    /// nothing answers at the base URL
    #[error("could not connect to {base_url} ({reason}): is the server running, and is SAUCE_AI_BASE_URL right?")]
    Unreachable {
        /// The base URL.
        base_url: String,
        /// What the system said.
        reason: String,
    },
    /// the server has no such path: the base URL is wrong
    #[error("{url} answered 404: SAUCE_AI_BASE_URL should be the server's root (e.g. http://127.0.0.1:8080), without /v1/chat/completions")]
    WrongPath {
        /// The URL requested.
        url: String,
    },
    /// the server does not know the model
    #[error("{vendor} does not know the model {model:?}: {message}; set SAUCE_AI_MODEL to a model it serves")]
    UnknownModel {
        /// The vendor.
        vendor: &'static str,
        /// The model asked for.
        model: String,
        /// The server's words.
        message: String,
    },
    /// the server rejected the request
    #[error("{vendor} rejected the request (HTTP {status}): {message}")]
    Rejected {
        /// The vendor.
        vendor: &'static str,
        /// The status.
        status: u16,
        /// The server's words.
        message: String,
    },
    /// rate limited, and retries did not help
    #[error("{vendor} is rate limiting this key (HTTP 429){}: {message}; wait, or raise your plan's limits", wait.map(|wait| format!(" and asked to wait {} s", wait.as_secs())).unwrap_or_default())]
    RateLimited {
        /// The vendor.
        vendor: &'static str,
        /// How long the server asked to wait, if it said.
        wait: Option<Duration>,
        /// The server's words.
        message: String,
    },
    /// the server kept failing
    #[error("{vendor} failed (HTTP {status}) {attempts} times: {message}; try again later")]
    Server {
        /// The vendor.
        vendor: &'static str,
        /// The last status.
        status: u16,
        /// Requests made.
        attempts: u32,
        /// The server's words.
        message: String,
    },
    /// no answer in time
    #[error("no answer from {base_url} within {} s while {phase}: the server may be overloaded or the model slow; raise the limit with SAUCE_AI_TIMEOUT=SECONDS", seconds(*limit))]
    Timeout {
        /// The base URL.
        base_url: String,
        /// Connecting, waiting, reading.
        phase: &'static str,
        /// The limit that was hit.
        limit: Duration,
    },
    /// the answer was not in the vendor's format
    #[error("the answer from {base_url} is not in {vendor}'s format: {message}")]
    Protocol {
        /// The vendor.
        vendor: &'static str,
        /// The base URL.
        base_url: String,
        /// What was wrong.
        message: String,
    },
    /// a transport failure (TLS, a broken connection)
    #[error("talking to {base_url} failed: {message}")]
    Transport {
        /// The base URL.
        base_url: String,
        /// What failed.
        message: String,
    },
}

impl ProviderError {
    /// Whether trying again later could help (rate limits, server errors, timeouts).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ProviderError::RateLimited { .. }
                | ProviderError::Server { .. }
                | ProviderError::Timeout { .. }
        )
    }
}

/// A duration in seconds for messages: whole seconds, or one decimal below ten.
fn seconds(duration: Duration) -> String {
    if duration >= Duration::from_secs(10) || duration.subsec_millis() == 0 {
        duration.as_secs().to_string()
    } else {
        format!("{:.1}", duration.as_secs_f64())
    }
}

/// The human message of a vendor's error body: OpenAI's and Anthropic's
/// `{"error": {"message": …}}`, Ollama's `{"error": "…"}`, or the body itself (capped).
pub fn vendor_message(body: &str) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let message = parsed.as_ref().and_then(|value| {
        let error = value.get("error")?;
        error
            .get("message")
            .and_then(serde_json::Value::as_str)
            .or_else(|| error.as_str())
            .map(str::to_owned)
    });
    let message = message.unwrap_or_else(|| body.trim().to_owned());
    let message: String = message
        .chars()
        .filter(|character| !character.is_control())
        .take(400)
        .collect();
    if message.is_empty() {
        "no details".to_owned()
    } else {
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_messages() {
        assert_eq!(vendor_message("{\"error\":{\"message\":\"The model `x` does not exist\",\"type\":\"invalid_request_error\"}}"), "The model `x` does not exist");
        assert_eq!(vendor_message("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: x\"}}"), "model: x");
        assert_eq!(
            vendor_message("{\"error\":\"model \\\"x\\\" not found, try pulling it first\"}"),
            "model \"x\" not found, try pulling it first"
        );
        assert_eq!(
            vendor_message("<html>\n502 Bad Gateway</html>"),
            "<html>502 Bad Gateway</html>"
        );
        assert_eq!(vendor_message(""), "no details");
        assert_eq!(vendor_message(&"x".repeat(1000)).len(), 400);
    }

    #[test]
    fn messages_name_the_fix() {
        let error = ProviderError::RateLimited {
            vendor: "OpenAI",
            wait: Some(Duration::from_secs(600)),
            message: "slow down".to_owned(),
        };
        assert_eq!(error.to_string(), "OpenAI is rate limiting this key (HTTP 429) and asked to wait 600 s: slow down; wait, or raise your plan's limits");
        assert!(error.is_transient());
        let error = ProviderError::WrongPath {
            url: "http://127.0.0.1:8080/v1/v1/chat/completions".to_owned(),
        };
        assert!(error.to_string().contains("without /v1/chat/completions"));
        assert!(!error.is_transient());
    }
}
