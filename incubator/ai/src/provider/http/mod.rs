//! The provider that talks HTTP: one blocking `ureq` agent (rustls for https), connect, read and
//! total timeouts, no redirects (a redirect could carry the key elsewhere), no proxy for
//! loopback servers, retries on 429/5xx and on error events in a stream.

use std::fmt;
use std::io::BufReader;
use std::time::{Duration, SystemTime};

use ureq::http::Response;
use ureq::Body;

use super::error::vendor_message;
use super::retry::is_retryable;
use super::sse::{read_events, StreamError};
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

    fn transport_error(&self, error: ureq::Error, phase: &'static str) -> ProviderError {
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

    fn status_error(
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

    fn read_answer(
        &self,
        response: Response<Body>,
        events: &mut dyn FnMut(&ProviderEvent),
    ) -> Result<Completion, AnswerError> {
        let event_stream = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/event-stream"));
        let base_url = self.settings.base_url.clone();
        let protocol = |message: String| {
            AnswerError::Fatal(ProviderError::Protocol {
                vendor: self.vendor(),
                base_url: base_url.clone(),
                message,
            })
        };
        let mut body = response.into_body();
        if !event_stream {
            let text = body
                .with_config()
                .limit(MAX_ANSWER_SIZE)
                .read_to_string()
                .map_err(|error| {
                    AnswerError::Fatal(self.transport_error(error, "reading the answer"))
                })?;
            let completion = match self.settings.kind {
                ProviderKind::Anthropic => anthropic::parse_response(&text),
                _ => openai::parse_response(&text),
            }
            .map_err(protocol)?;
            events(&ProviderEvent::Receiving {
                bytes: text.len() as u64,
                tokens: completion.usage.output_tokens,
                estimated: false,
            });
            return Ok(completion);
        }
        let reader = body.with_config().limit(MAX_ANSWER_SIZE).reader();
        let mut reader = BufReader::new(reader);
        let mut openai_stream = openai::Stream::default();
        let mut anthropic_stream = anthropic::Stream::default();
        let anthropic = self.settings.kind == ProviderKind::Anthropic;
        let mut failure = None;
        let outcome = read_events(&mut reader, &mut |event, bytes| {
            let (result, completion, usage_known, done) = if anthropic {
                let result = anthropic_stream.on_event(&event);
                (
                    result,
                    &anthropic_stream.completion,
                    anthropic_stream.usage_known,
                    anthropic_stream.done,
                )
            } else {
                let result = openai_stream.on_event(&event);
                (
                    result,
                    &openai_stream.completion,
                    openai_stream.usage_known,
                    openai_stream.done,
                )
            };
            if let Err(message) = result {
                failure = Some(message);
                return false;
            }
            let (tokens, estimated) = if usage_known {
                (completion.usage.output_tokens, false)
            } else {
                ((completion.text.chars().count() as u64).div_ceil(4), true)
            };
            events(&ProviderEvent::Receiving {
                bytes,
                tokens,
                estimated,
            });
            !done
        });
        if let Some(message) = failure {
            return Err(if message.starts_with("the stream reported an error") {
                AnswerError::Transient(self.redact(&message))
            } else {
                protocol(message)
            });
        }
        match outcome {
            Ok(_) => {}
            Err(StreamError::Io(io)) => {
                return Err(AnswerError::Fatal(
                    self.transport_error(ureq::Error::from(io), "reading the answer"),
                ))
            }
            Err(error @ StreamError::TooLarge) => return Err(protocol(error.to_string())),
        }
        let (mut completion, done) = if anthropic {
            (anthropic_stream.completion, anthropic_stream.done)
        } else {
            (openai_stream.completion, openai_stream.done)
        };
        if !done {
            if completion.text.is_empty() {
                return Err(protocol("the stream ended before any answer".to_owned()));
            }
            completion.truncated = true;
        }
        Ok(completion)
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
