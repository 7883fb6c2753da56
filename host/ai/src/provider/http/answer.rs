//! Reading a 2xx answer: whole JSON, or server-sent events with progress, for either vendor.

use std::io::BufReader;

use ureq::http::Response;
use ureq::Body;

use super::{AnswerError, HttpProvider, MAX_ANSWER_SIZE};
use crate::provider::sse::{read_events, StreamError};
use crate::provider::{anthropic, openai, Completion, ProviderError, ProviderEvent, ProviderKind};

impl HttpProvider {
    pub(super) fn read_answer(
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
