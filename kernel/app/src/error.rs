//! Handler errors: a status and a message, answered as `{"error": "<message>"}`.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::ToString;
use core::fmt;

use crate::headers::{HeaderText, Headers};
use crate::response::Response;

/// A failed request: an HTTP status (400–599) and a message for the client.
///
/// A handler returns it through [`crate::Result`]; the router turns it into a response with
/// [`Error::into_response`]. `?` converts parser errors (`serde_json::Error`, number and UTF-8
/// parsing, [`crate::HeaderError`], allocation failure) into the matching status.
///
/// ```
/// use sauce_app::{Error, Result, Response};
///
/// fn find(id: u64) -> Result {
///     if id == 0 {
///         return Err(Error::not_found("no todo 0"));
///     }
///     Ok(Response::text("found"))
/// }
///
/// let response = find(0).unwrap_err().into_response();
/// assert_eq!(response.status(), 404);
/// assert_eq!(response.header("Content-Type"), Some("application/json"));
/// assert_eq!(response.body(), br#"{"error":"no todo 0"}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    status: u16,
    message: Cow<'static, str>,
    headers: Headers,
}

/// The message of an error that has none of its own.
pub type Message = Cow<'static, str>;

impl Error {
    /// An error with any status; one outside 400–599 becomes 500.
    pub fn new(status: u16, message: impl Into<Message>) -> Error {
        Error {
            status: if (400..=599).contains(&status) {
                status
            } else {
                500
            },
            message: message.into(),
            headers: Headers::new(),
        }
    }

    /// 400 Bad Request: the request cannot be read (unparsable body, bad query).
    pub fn bad_request(message: impl Into<Message>) -> Error {
        Error::new(400, message)
    }

    /// 401 Unauthorized: credentials are missing or wrong.
    pub fn unauthorized(message: impl Into<Message>) -> Error {
        Error::new(401, message)
    }

    /// 403 Forbidden: the credentials do not allow this.
    pub fn forbidden(message: impl Into<Message>) -> Error {
        Error::new(403, message)
    }

    /// 404 Not Found.
    pub fn not_found(message: impl Into<Message>) -> Error {
        Error::new(404, message)
    }

    /// 405 Method Not Allowed (the router adds `Allow` to the ones it makes).
    pub fn method_not_allowed(message: impl Into<Message>) -> Error {
        Error::new(405, message)
    }

    /// 409 Conflict: the request contradicts the current state.
    pub fn conflict(message: impl Into<Message>) -> Error {
        Error::new(409, message)
    }

    /// 413 Content Too Large: the body is over the route's limit.
    pub fn payload_too_large(message: impl Into<Message>) -> Error {
        Error::new(413, message)
    }

    /// 422 Unprocessable Content: the body parses but fails validation.
    pub fn unprocessable(message: impl Into<Message>) -> Error {
        Error::new(422, message)
    }

    /// 429 Too Many Requests, with `Retry-After: <retry_after_seconds>`.
    ///
    /// ```
    /// let response = sauce_app::Error::too_many_requests(30).into_response();
    /// assert_eq!(response.status(), 429);
    /// assert_eq!(response.header("retry-after"), Some("30"));
    /// ```
    pub fn too_many_requests(retry_after_seconds: u32) -> Error {
        Error::new(429, "too many requests").with_retry_after(retry_after_seconds)
    }

    /// 500 Internal Server Error.
    pub fn internal(message: impl Into<Message>) -> Error {
        Error::new(500, message)
    }

    /// 503 Service Unavailable, with `Retry-After: <retry_after_seconds>`.
    pub fn unavailable(retry_after_seconds: u32) -> Error {
        Error::new(503, "service unavailable").with_retry_after(retry_after_seconds)
    }

    fn with_retry_after(mut self, seconds: u32) -> Error {
        self.headers.set("Retry-After", seconds.to_string());
        self
    }

    /// Adds a header the crate itself chose (`Allow`); never one from outside input.
    pub(crate) fn with_trusted_header(
        mut self,
        name: &'static str,
        value: impl Into<HeaderText>,
    ) -> Error {
        self.headers.set(name, value);
        self
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The message sent to the client.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The headers the response will carry (`Retry-After`, `Allow`).
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The response: this status, its headers, and `{"error": "<message>"}` as JSON.
    pub fn into_response(self) -> Response {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            error: &'a str,
        }
        let body = crate::json::to_vec(&Body {
            error: &self.message,
        })
        .unwrap_or_else(|_| br#"{"error":"internal error"}"#.to_vec());
        Response::from_error_parts(self.status, self.headers, body)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} {}", self.status, self.message)
    }
}

impl core::error::Error for Error {}

impl From<serde_json::Error> for Error {
    /// Syntax errors and a truncated body are 400; a well-formed body of the wrong shape is
    /// 422; an I/O error (only from writers) is 500.
    fn from(error: serde_json::Error) -> Error {
        match error.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                Error::bad_request(format!("invalid JSON: {error}"))
            }
            serde_json::error::Category::Data => Error::unprocessable(error.to_string()),
            serde_json::error::Category::Io => Error::internal(error.to_string()),
        }
    }
}

impl From<core::str::Utf8Error> for Error {
    fn from(error: core::str::Utf8Error) -> Error {
        Error::bad_request(format!("not UTF-8: {error}"))
    }
}

impl From<alloc::string::FromUtf8Error> for Error {
    fn from(error: alloc::string::FromUtf8Error) -> Error {
        Error::bad_request(format!("not UTF-8: {}", error.utf8_error()))
    }
}

impl From<core::num::ParseIntError> for Error {
    fn from(error: core::num::ParseIntError) -> Error {
        Error::bad_request(format!("not a valid integer: {error}"))
    }
}

impl From<core::num::ParseFloatError> for Error {
    fn from(error: core::num::ParseFloatError) -> Error {
        Error::bad_request(format!("not a valid number: {error}"))
    }
}

impl From<core::str::ParseBoolError> for Error {
    fn from(error: core::str::ParseBoolError) -> Error {
        Error::bad_request(format!("not true or false: {error}"))
    }
}

impl From<alloc::collections::TryReserveError> for Error {
    /// Out of memory is temporary: 503, try again in a second.
    fn from(_: alloc::collections::TryReserveError) -> Error {
        Error::new(503, "out of memory").with_retry_after(1)
    }
}

impl From<crate::header::HeaderError> for Error {
    fn from(error: crate::header::HeaderError) -> Error {
        Error::internal(format!("invalid response header: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Todo {
        title: alloc::string::String,
    }

    #[test]
    fn constructors_carry_their_status() {
        let cases = [
            (Error::bad_request("m"), 400),
            (Error::unauthorized("m"), 401),
            (Error::forbidden("m"), 403),
            (Error::not_found("m"), 404),
            (Error::method_not_allowed("m"), 405),
            (Error::conflict("m"), 409),
            (Error::payload_too_large("m"), 413),
            (Error::unprocessable("m"), 422),
            (Error::too_many_requests(5), 429),
            (Error::internal("m"), 500),
            (Error::unavailable(5), 503),
            (Error::new(200, "not an error status"), 500),
            (Error::new(418, "teapot"), 418),
        ];
        for (error, status) in cases {
            assert_eq!(error.status(), status, "{error}");
        }
        assert_eq!(
            Error::unavailable(7).headers().get("Retry-After"),
            Some("7")
        );
    }

    #[test]
    fn json_errors_map_syntax_to_400_and_shape_to_422() {
        let syntax = serde_json::from_slice::<Todo>(b"{\"title\": ").unwrap_err();
        assert_eq!(Error::from(syntax).status(), 400);
        let garbage = serde_json::from_slice::<Todo>(b"not json").unwrap_err();
        assert_eq!(Error::from(garbage).status(), 400);
        let shape = serde_json::from_slice::<Todo>(b"{\"title\": 3}").unwrap_err();
        let error = Error::from(shape);
        assert_eq!(error.status(), 422);
        assert!(
            error.message().contains("invalid type"),
            "{}",
            error.message()
        );
    }

    #[test]
    fn messages_are_escaped_in_the_json_body() {
        let response = Error::bad_request("a \"quoted\"\nline").into_response();
        assert_eq!(response.body(), br#"{"error":"a \"quoted\"\nline"}"#);
    }

    #[test]
    fn parse_errors_convert_with_question_mark() {
        fn parse(text: &str) -> Result<u64, Error> {
            Ok(text.parse::<u64>()?)
        }
        assert_eq!(parse("x").unwrap_err().status(), 400);
        assert_eq!(parse("12").unwrap(), 12);
    }
}
