//! The provider that talks HTTP: one blocking `ureq` agent (rustls for https), connect, read and
//! total timeouts, no redirects (a redirect could carry the key elsewhere), no proxy for
//! loopback servers, retries on 429/5xx and on error events in a stream.

use std::fmt;
use std::time::SystemTime;

use ureq::http::Response;
use ureq::Body;

mod answer;
mod errors;

use super::error::vendor_message;
use super::retry::is_retryable;
use super::{
    anthropic, openai, ChatRequest, Completion, Provider, ProviderError, ProviderEvent,
    ProviderKind, ProviderSettings, Usage,
};

/// The most bytes of an answer read.
pub const MAX_ANSWER_SIZE: u64 = 8 << 20;
/// The most bytes of an error body read.
pub const MAX_ERROR_SIZE: u64 = 64 << 10;

/// A provider reached over HTTP.
pub struct HttpProvider {
    settings: ProviderSettings,
    agent: ureq::Agent,
}

impl fmt::Debug for HttpProvider {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("HttpProvider")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// How reading an answer failed.
enum AnswerError {
    /// Worth another request (an error event in the stream).
    Transient(String),
    /// Not worth another request.
    Fatal(ProviderError),
}

impl HttpProvider {
    /// A provider with `settings`.
    pub fn new(settings: ProviderSettings) -> Self {
        let mut builder = ureq::Agent::config_builder()
            .timeout_connect(Some(settings.connect_timeout))
            .timeout_per_read(Some(settings.read_timeout))
            .timeout_global(Some(settings.total_timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(format!("sauce-ai/{}", env!("CARGO_PKG_VERSION")));
        if super::config::is_loopback(&settings.base_url) {
            builder = builder.proxy(None);
        }
        let agent = ureq::Agent::new_with_config(builder.build());
        Self { settings, agent }
    }

    /// The settings in use.
    pub fn settings(&self) -> &ProviderSettings {
        &self.settings
    }

    fn vendor(&self) -> &'static str {
        self.settings.kind.vendor()
    }

    fn redact(&self, text: &str) -> String {
        match &self.settings.key {
            Some(key) => key.redact(text),
            None => text.to_owned(),
        }
    }

    fn url_and_body(&self, request: &ChatRequest) -> (String, serde_json::Value) {
        let stream = self.settings.stream;
        let (path, body) = match self.settings.kind {
            ProviderKind::Anthropic => (
                anthropic::PATH,
                anthropic::request_body(&self.settings.model, request, stream),
            ),
            kind => (
                openai::PATH,
                openai::request_body(kind, &self.settings.model, request, stream),
            ),
        };
        (format!("{}{path}", self.settings.base_url), body)
    }

    fn send(&self, url: &str, payload: &[u8]) -> Result<Response<Body>, ureq::Error> {
        let accept = if self.settings.stream {
            "text/event-stream"
        } else {
            "application/json"
        };
        let mut request = self
            .agent
            .post(url)
            .header("content-type", "application/json")
            .header("accept", accept);
        match (self.settings.kind, &self.settings.key) {
            (ProviderKind::Anthropic, Some(key)) => {
                request = request
                    .header("x-api-key", key.expose())
                    .header("anthropic-version", anthropic::VERSION);
            }
            (ProviderKind::Anthropic, None) => {
                request = request.header("anthropic-version", anthropic::VERSION)
            }
            (_, Some(key)) => {
                request = request.header("authorization", format!("Bearer {}", key.expose()))
            }
            (_, None) => {}
        }
        request.send(payload)
    }
}

impl Provider for HttpProvider {
    fn describe(&self) -> String {
        format!(
            "{} {} at {}",
            self.vendor(),
            self.settings.model,
            self.settings.base_url
        )
    }

    fn model(&self) -> &str {
        &self.settings.model
    }

    fn cost(&self, usage: Usage) -> Option<f64> {
        super::pricing::cost_in_dollars(self.settings.kind, &self.settings.model, usage)
    }

    fn complete(
        &self,
        request: &ChatRequest,
        events: &mut dyn FnMut(&ProviderEvent),
    ) -> Result<Completion, ProviderError> {
        let (url, body) = self.url_and_body(request);
        let payload = serde_json::to_vec(&body).unwrap_or_default();
        let policy = self.settings.retry;
        let mut retry = 0u32;
        loop {
            let response = self
                .send(&url, &payload)
                .map_err(|error| self.transport_error(error, "waiting for the answer"))?;
            let status = response.status().as_u16();
            let (wait_status, message, headers) = if (200..300).contains(&status) {
                match self.read_answer(response, events) {
                    Ok(completion) => return Ok(completion),
                    Err(AnswerError::Fatal(error)) => return Err(error),
                    Err(AnswerError::Transient(message)) => (503, message, (None, None)),
                }
            } else {
                let header = |name: &str| {
                    response
                        .headers()
                        .get(name)
                        .and_then(|value| value.to_str().ok())
                        .map(str::to_owned)
                };
                let headers = (header("retry-after"), header("retry-after-ms"));
                let text = response
                    .into_body()
                    .with_config()
                    .limit(MAX_ERROR_SIZE)
                    .read_to_string()
                    .unwrap_or_default();
                let message = if status == 401 || status == 403 {
                    String::new()
                } else {
                    self.redact(&vendor_message(&text))
                };
                (status, message, headers)
            };
            if !is_retryable(wait_status) {
                return Err(self.status_error(wait_status, &url, &message, retry + 1, None));
            }
            if retry >= policy.max_retries {
                return Err(self.status_error(wait_status, &url, &message, retry + 1, None));
            }
            retry += 1;
            let delay = match policy.delay(
                retry,
                headers.0.as_deref(),
                headers.1.as_deref(),
                SystemTime::now(),
            ) {
                Ok(delay) => delay,
                Err(asked) => {
                    return Err(self.status_error(wait_status, &url, &message, retry, Some(asked)))
                }
            };
            events(&ProviderEvent::Retrying {
                status: wait_status,
                delay,
                retry,
            });
            std::thread::sleep(delay);
        }
    }
}
