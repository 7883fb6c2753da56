//! Mapping transport failures and HTTP statuses to errors that name the fix.

use std::time::Duration;

use super::HttpProvider;
use crate::provider::retry::is_retryable;
use crate::provider::ProviderError;

impl HttpProvider {
    pub(super) fn transport_error(&self, error: ureq::Error, phase: &'static str) -> ProviderError {
        let base_url = self.settings.base_url.clone();
        let timeout = |phase: &'static str, limit: Duration| ProviderError::Timeout {
            base_url: base_url.clone(),
            phase,
            limit,
        };
        match error {
            ureq::Error::Timeout(kind) => match kind {
                ureq::Timeout::Connect | ureq::Timeout::Resolve => timeout("connecting", self.settings.connect_timeout),
                ureq::Timeout::Global | ureq::Timeout::PerCall => timeout("answering", self.settings.total_timeout),
                _ => timeout(phase, self.settings.read_timeout),
            },
            ureq::Error::Io(io) => match io.kind() {
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => timeout(phase, self.settings.read_timeout),
                std::io::ErrorKind::ConnectionRefused => ProviderError::Unreachable { base_url, reason: "connection refused".to_owned() },
                _ => ProviderError::Transport { base_url, message: self.redact(&io.to_string()) },
            },
            ureq::Error::HostNotFound => ProviderError::Unreachable { base_url, reason: "host not found".to_owned() },
            ureq::Error::ConnectionFailed => ProviderError::Unreachable { base_url, reason: "connection failed".to_owned() },
            ureq::Error::Http(_) => ProviderError::Transport { base_url, message: "the request is not valid HTTP (is the API key a single line of printable characters?)".to_owned() },
            ureq::Error::Protocol(protocol) => ProviderError::Protocol { vendor: self.vendor(), base_url, message: protocol.to_string() },
            ureq::Error::BadUri(_) => ProviderError::Transport { base_url, message: "the base URL is not a valid URL".to_owned() },
            other => ProviderError::Transport { base_url, message: self.redact(&other.to_string()) },
        }
    }

    pub(super) fn status_error(
        &self,
        status: u16,
        url: &str,
        message: &str,
        attempts: u32,
        wait: Option<Duration>,
    ) -> ProviderError {
        let vendor = self.vendor();
        let mentions_model = message.to_ascii_lowercase().contains("model");
        match status {
            401 | 403 => ProviderError::InvalidKey {
                vendor,
                status,
                key_source: self.settings.key.as_ref().map_or_else(
                    || {
                        format!(
                            "the server's key settings ({vendor} needs a key: set {})",
                            self.settings.kind.key_variable()
                        )
                    },
                    |key| key.source().to_string(),
                ),
            },
            404 if mentions_model => ProviderError::UnknownModel {
                vendor,
                model: self.settings.model.clone(),
                message: message.to_owned(),
            },
            404 => ProviderError::WrongPath {
                url: url.to_owned(),
            },
            400 | 422 if mentions_model && message.to_ascii_lowercase().contains("not") => {
                ProviderError::UnknownModel {
                    vendor,
                    model: self.settings.model.clone(),
                    message: message.to_owned(),
                }
            }
            429 => ProviderError::RateLimited {
                vendor,
                wait,
                message: message.to_owned(),
            },
            status if is_retryable(status) => ProviderError::Server {
                vendor,
                status,
                attempts,
                message: message.to_owned(),
            },
            status => ProviderError::Rejected {
                vendor,
                status,
                message: message.to_owned(),
            },
        }
    }
}
