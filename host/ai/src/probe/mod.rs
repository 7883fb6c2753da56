//! Probes: an HTTP request and the answer it must get, from the declared routes or proposed by
//! the model in a ` ```probes ` block, and checked against what the booted image answered.
//!
//! - [`routes`]: the probes every declared route gets ([`probes_for_intent`]).
//! - [`client`]: a small HTTP/1.1 client that sends probes to a booted image ([`run_probes`]).
//! - [`expected`]: [`ExpectedStatus`], an exact status or any answer below 500.
//!
//! The line format (one probe a line, `#` starts a comment):
//!
//! ```text
//! GET /healthz -> 200 application/json
//! POST /orders {"item": 1, "quantity": 2} -> 201
//! DELETE /orders/999 -> 404
//! ```
//!
//! `METHOD PATH [BODY] -> STATUS [CONTENT-TYPE]` (`STATUS` may be `answered`: any status below
//! 500, see [`ExpectedStatus::Answered`]): a body starting with `{` or `[` is sent as
//! `application/json`, one shaped like `a=1&b=2` as a form, anything else as text. The content
//! type, when given, must match the answer's media type (parameters such as `charset` ignored);
//! an answer whose media type is JSON must parse as JSON.

pub mod client;
pub mod expected;
pub mod routes;

use std::fmt;

pub use client::{run_probes, ProbeFailure, ProbeResponse};
pub use expected::ExpectedStatus;
pub use routes::probes_for_intent;

/// The most probes a model may propose.
pub const MAX_MODEL_PROBES: usize = 32;
/// The largest probe body, in bytes.
pub const MAX_PROBE_BODY: usize = 16 << 10;

/// One request and what its answer must be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    /// The method, upper case.
    pub method: String,
    /// The request target, already percent-encoded.
    pub path: String,
    /// The request body, if any.
    pub body: Option<String>,
    /// The expected status.
    pub status: ExpectedStatus,
    /// The expected media type (`application/json`), if any.
    pub content_type: Option<String>,
    /// The expected `Location` header, for redirects.
    pub location: Option<String>,
    /// Where the probe came from.
    pub origin: ProbeOrigin,
}

/// Where a probe came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProbeOrigin {
    /// A route of sauce.toml (`http.route.N`, `http.not_found`).
    Declared(String),
    /// The model's ` ```probes ` block.
    Proposed,
    /// An evaluation case's expectations.
    Expected,
}

/// Why a probe line could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProbeParseError {
    /// the line has no `->` between the request and the expected status
    #[error("the line has no `->` between the request and the expected status")]
    NoArrow,
    /// the method is not an HTTP method
    #[error("`{0}` is not an HTTP method")]
    Method(String),
    /// the path does not start with `/`
    #[error("the path must start with `/`")]
    Path,
    /// the status is not a number from 100 to 599
    #[error("`{0}` is not a status from 100 to 599 (or `answered`)")]
    Status(String),
    /// the body is too large
    #[error("the body is larger than {MAX_PROBE_BODY} bytes")]
    BodyTooLarge,
    /// the content type is not a media type
    #[error("`{0}` is not a media type such as `application/json`")]
    ContentType(String),
}

impl Probe {
    /// Reads one line of the probe format; `Ok(None)` for blank and comment lines.
    pub fn parse_line(line: &str, origin: ProbeOrigin) -> Result<Option<Probe>, ProbeParseError> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Ok(None);
        }
        let (request, expected) = line
            .rsplit_once("->")
            .or_else(|| line.rsplit_once("=>"))
            .ok_or(ProbeParseError::NoArrow)?;
        let request = request.trim();
        let (method, rest) = request
            .split_once(char::is_whitespace)
            .unwrap_or((request, ""));
        let method = method.to_ascii_uppercase();
        if method.is_empty()
            || method.len() > 16
            || !method.bytes().all(|byte| byte.is_ascii_uppercase())
        {
            return Err(ProbeParseError::Method(method));
        }
        let rest = rest.trim_start();
        let (path, body) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        if !path.starts_with('/') {
            return Err(ProbeParseError::Path);
        }
        let body = body.trim();
        if body.len() > MAX_PROBE_BODY {
            return Err(ProbeParseError::BodyTooLarge);
        }
        let mut expected = expected.split_whitespace();
        let status_text = expected.next().unwrap_or("");
        let status = if status_text.eq_ignore_ascii_case("answered") {
            ExpectedStatus::Answered
        } else {
            status_text
                .parse::<u16>()
                .ok()
                .filter(|status| (100..600).contains(status))
                .map(ExpectedStatus::Exactly)
                .ok_or_else(|| ProbeParseError::Status(status_text.to_owned()))?
        };
        let content_type = match expected.next() {
            Some(media) if is_media_type(media) => {
                Some(media.trim_end_matches(';').to_ascii_lowercase())
            }
            Some(other) => return Err(ProbeParseError::ContentType(other.to_owned())),
            None => None,
        };
        Ok(Some(Probe {
            method,
            path: encode_path(path),
            body: (!body.is_empty()).then(|| body.to_owned()),
            status,
            content_type,
            location: None,
            origin,
        }))
    }

    /// The `Content-Type` to send with the body, from its shape.
    pub fn body_content_type(&self) -> Option<&'static str> {
        let body = self.body.as_deref()?.trim_start();
        Some(if body.starts_with('{') || body.starts_with('[') {
            "application/json"
        } else if body.contains('=') && !body.contains(char::is_whitespace) {
            "application/x-www-form-urlencoded"
        } else {
            "text/plain; charset=utf-8"
        })
    }

    /// Checks an answer; the error says what differed.
    pub fn verify(&self, response: &ProbeResponse) -> Result<(), String> {
        if !self.status.accepts(response.status) {
            let excerpt = excerpt(&response.body);
            let expected = match self.status {
                ExpectedStatus::Exactly(status) => format!("status {status}"),
                ExpectedStatus::Answered => "an answer below 500".to_owned(),
            };
            return Err(format!(
                "expected {expected}, got {}{}",
                response.status,
                if excerpt.is_empty() {
                    String::new()
                } else {
                    format!(" with body {excerpt}")
                }
            ));
        }
        let media = response.header("content-type").map(media_type);
        if let Some(expected) = &self.content_type {
            if media.as_deref() != Some(media_type(expected).as_str()) {
                return Err(format!(
                    "expected content type {expected}, got {}",
                    response.header("content-type").unwrap_or("none")
                ));
            }
        }
        if let Some(expected) = &self.location {
            if response.header("location") != Some(expected.as_str()) {
                return Err(format!(
                    "expected Location {expected}, got {}",
                    response.header("location").unwrap_or("none")
                ));
            }
        }
        if media.as_deref().is_some_and(is_json_media) && !response.body.is_empty() {
            if let Err(error) = serde_json::from_slice::<serde_json::Value>(&response.body) {
                return Err(format!(
                    "the body is not valid JSON ({error}): {}",
                    excerpt(&response.body)
                ));
            }
        }
        Ok(())
    }
}

impl fmt::Display for Probe {
    /// The probe in its line format.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} {}", self.method, self.path)?;
        if let Some(body) = &self.body {
            write!(formatter, " {body}")?;
        }
        write!(formatter, " -> {}", self.status)?;
        if let Some(content_type) = &self.content_type {
            write!(formatter, " {content_type}")?;
        }
        Ok(())
    }
}

/// Reads a ` ```probes ` block: the probes, and each bad line's number (1-based within the
/// block) with its error. At most [`MAX_MODEL_PROBES`] are kept.
pub fn parse_probes(
    text: &str,
    origin: ProbeOrigin,
) -> (Vec<Probe>, Vec<(usize, ProbeParseError)>) {
    let mut probes = Vec::new();
    let mut errors = Vec::new();
    for (index, line) in text.lines().enumerate() {
        match Probe::parse_line(line, origin.clone()) {
            Ok(Some(probe)) if probes.len() < MAX_MODEL_PROBES => probes.push(probe),
            Ok(_) => {}
            Err(error) => errors.push((index + 1, error)),
        }
    }
    (probes, errors)
}

/// The media type of a `Content-Type` value, lower case, without parameters.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json_media(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json")
}

fn is_media_type(text: &str) -> bool {
    let text = text.trim_end_matches(';');
    let token = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+.^_`|~-".contains(&byte))
    };
    text.split_once('/')
        .is_some_and(|(kind, subtype)| token(kind) && token(subtype))
}

/// Percent-encodes what may not appear raw in a request target (spaces, controls, non-ASCII).
pub fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_graphic() && byte != b'#' {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The first 200 characters of a body, for messages.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text: String = text.chars().take(200).collect();
    text.escape_debug().to_string()
}

#[cfg(test)]
mod tests;
