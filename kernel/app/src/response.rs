//! Responses: a status, headers and a body that may be `'static` bytes (sent without a copy).

use alloc::borrow::Cow;
use alloc::format;
use alloc::vec::Vec;

use crate::body::Body;
use crate::error::Error;
use crate::header::check_response_header;
use crate::headers::{HeaderText, Headers};

/// What a handler answers.
///
/// Constructors that take header text return [`crate::Result`], because a value with CR, LF or
/// NUL is refused (never a header injection); `?` in a handler turns that into a 500.
///
/// ```
/// use sauce_app::{Response, Result};
///
/// fn handler() -> Result {
///     Ok(Response::text("hello\n").with_cache_control("max-age=60")?)
/// }
/// let response = handler().unwrap();
/// assert_eq!(response.status(), 200);
/// assert_eq!(response.header("content-type"), Some("text/plain; charset=utf-8"));
/// assert_eq!(response.header("cache-control"), Some("max-age=60"));
/// assert_eq!(response.body(), b"hello\n");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    status: u16,
    content_type: Option<HeaderText>,
    headers: Headers,
    body: Body,
    omitted_body_length: Option<usize>,
}

impl Response {
    fn with_body(status: u16, content_type: Option<HeaderText>, body: Body) -> Response {
        Response {
            status,
            content_type,
            headers: Headers::new(),
            body,
            omitted_body_length: None,
        }
    }

    /// 200 with `text/plain; charset=utf-8`. A `&'static str` is sent without a copy.
    pub fn text(body: impl Into<Cow<'static, str>>) -> Response {
        let content_type = Cow::Borrowed("text/plain; charset=utf-8");
        Response::with_body(200, Some(content_type), Body::from(body.into()))
    }

    /// 200 with `text/html; charset=utf-8`.
    pub fn html(body: impl Into<Cow<'static, str>>) -> Response {
        let content_type = Cow::Borrowed("text/html; charset=utf-8");
        Response::with_body(200, Some(content_type), Body::from(body.into()))
    }

    /// 200 with `application/json`: `value` serialised. A value that cannot be serialised
    /// (a map with non-string keys, a failing `Serialize`) gives a 500 JSON error instead.
    ///
    /// ```
    /// #[derive(serde::Serialize)]
    /// struct Todo { id: u64, title: &'static str }
    ///
    /// let response = sauce_app::Response::json(&Todo { id: 1, title: "milk" });
    /// assert_eq!(response.body(), br#"{"id":1,"title":"milk"}"#);
    /// ```
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Response {
        match crate::json::to_vec(value) {
            Ok(body) => Response::with_body(
                200,
                Some(Cow::Borrowed("application/json")),
                Body::Owned(body),
            ),
            Err(error) => Error::internal(format!("the response could not be serialised: {error}"))
                .into_response(),
        }
    }

    /// 200 with the given content type and bytes (`&'static` bytes are sent without a copy).
    ///
    /// ```
    /// let logo: &'static [u8] = b"\x89PNG...";
    /// let response = sauce_app::Response::bytes("image/png", logo).unwrap();
    /// assert_eq!(response.header("Content-Type"), Some("image/png"));
    /// ```
    pub fn bytes(
        content_type: impl Into<HeaderText>,
        body: impl Into<Body>,
    ) -> crate::Result<Response> {
        let content_type = content_type.into();
        check_response_header("Content-Type", &content_type)?;
        Ok(Response::with_body(200, Some(content_type), body.into()))
    }

    /// A redirect: `status` is 301, 302, 303, 307 or 308; `location` goes in `Location`.
    ///
    /// ```
    /// let response = sauce_app::Response::redirect(308, "https://example.com/").unwrap();
    /// assert_eq!(response.status(), 308);
    /// assert_eq!(response.header("location"), Some("https://example.com/"));
    /// assert!(sauce_app::Response::redirect(200, "/").is_err());
    /// assert!(sauce_app::Response::redirect(302, "/\r\nSet-Cookie: x").is_err());
    /// ```
    pub fn redirect(status: u16, location: impl Into<HeaderText>) -> crate::Result<Response> {
        if ![301, 302, 303, 307, 308].contains(&status) {
            return Err(Error::internal(format!(
                "{status} is not a redirect status"
            )));
        }
        Response::with_body(status, None, Body::Empty).with_header("Location", location)
    }

    /// 204 No Content.
    pub fn no_content() -> Response {
        Response::with_body(204, None, Body::Empty)
    }

    /// 201 Created: `Location: <location>` and `value` as JSON.
    ///
    /// ```
    /// let response = sauce_app::Response::created("/todos/1", &[1, 2]).unwrap();
    /// assert_eq!(response.status(), 201);
    /// assert_eq!(response.header("Location"), Some("/todos/1"));
    /// assert_eq!(response.body(), b"[1,2]");
    /// ```
    pub fn created<T: serde::Serialize + ?Sized>(
        location: impl Into<HeaderText>,
        value: &T,
    ) -> crate::Result<Response> {
        let response = Response::json(value);
        if response.status != 200 {
            return Ok(response);
        }
        response.with_status(201).with_header("Location", location)
    }

    /// An empty response with this status (200–599; any other code gives a 500 error).
    ///
    /// ```
    /// assert_eq!(sauce_app::Response::from_status(202).status(), 202);
    /// assert_eq!(sauce_app::Response::from_status(99).status(), 500);
    /// ```
    pub fn from_status(status: u16) -> Response {
        Response::with_body(200, None, Body::Empty).with_status(status)
    }

    /// The same response with another status (200–599; any other code gives a 500 error).
    pub fn with_status(mut self, status: u16) -> Response {
        if !(200..=599).contains(&status) {
            return Error::internal(format!("{status} is not a final response status"))
                .into_response();
        }
        self.status = status;
        self
    }

    /// Adds a header (repeated names are kept; `Content-Type` replaces the content type).
    ///
    /// Refused with a 500 [`Error`]: a name that is not a token, a value with control
    /// characters (CR, LF, NUL, …), and headers the server sets itself (`Content-Length`,
    /// `Transfer-Encoding`, `Connection`, `Date`, …).
    ///
    /// ```
    /// use sauce_app::Response;
    ///
    /// let response = Response::text("ok").with_header("X-Request-Id", "7").unwrap();
    /// assert_eq!(response.header("x-request-id"), Some("7"));
    /// assert!(Response::text("ok").with_header("X-Id", "1\r\nSet-Cookie: a=b").is_err());
    /// assert!(Response::text("ok").with_header("Content-Length", "9").is_err());
    /// ```
    pub fn with_header(
        mut self,
        name: impl Into<HeaderText>,
        value: impl Into<HeaderText>,
    ) -> crate::Result<Response> {
        let (name, value) = (name.into(), value.into());
        check_response_header(&name, &value)?;
        if name.eq_ignore_ascii_case("content-type") {
            self.content_type = Some(value);
        } else {
            self.headers.append(name, value);
        }
        Ok(self)
    }

    /// Sets `Cache-Control` (replacing one set before), e.g. `"no-store"` or `"max-age=60"`.
    pub fn with_cache_control(mut self, value: impl Into<HeaderText>) -> crate::Result<Response> {
        let value = value.into();
        check_response_header("Cache-Control", &value)?;
        self.headers.set("Cache-Control", value);
        Ok(self)
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The first value of header `name` (case-insensitive), `Content-Type` included.
    pub fn header(&self, name: &str) -> Option<&str> {
        if name.eq_ignore_ascii_case("content-type") {
            return self.content_type.as_deref();
        }
        self.headers.get(name)
    }

    /// Every header, `Content-Type` first; the server adds `Content-Length` and `Date`.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.content_type
            .as_deref()
            .map(|value| ("Content-Type", value))
            .into_iter()
            .chain(self.headers.iter())
    }

    /// The `Content-Type` value, if set (also the first of [`headers`](Self::headers)).
    ///
    /// ```
    /// let response = sauce_app::Response::json(&[1, 2]);
    /// assert_eq!(response.content_type(), Some("application/json"));
    /// assert_eq!(sauce_app::Response::no_content().content_type(), None);
    /// ```
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The headers besides `Content-Type`, in the order they were set (the rest of
    /// [`headers`](Self::headers)).
    pub fn other_headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter()
    }

    /// The bytes to send (empty for a `HEAD` answer).
    pub fn body(&self) -> &[u8] {
        self.body.as_bytes()
    }

    /// The body, for the server to send (static bytes stay static).
    pub fn into_body(self) -> Body {
        self.body
    }

    /// The `Content-Length` to send: the body's length (or, for `HEAD`, the length the `GET`
    /// body had); `None` for 204 and 304, which carry none.
    pub fn content_length(&self) -> Option<usize> {
        if matches!(self.status, 204 | 304) {
            return None;
        }
        Some(
            self.omitted_body_length
                .unwrap_or(self.body.as_bytes().len()),
        )
    }

    /// The answer to `HEAD`: the same status and headers, no body, the `GET` body's length
    /// kept for `Content-Length`.
    pub fn without_body(mut self) -> Response {
        if self.omitted_body_length.is_none() {
            self.omitted_body_length = Some(self.body.as_bytes().len());
        }
        self.body = Body::Empty;
        self
    }

    /// Builds an error's response (its headers were set by this crate).
    pub(crate) fn from_error_parts(status: u16, headers: Headers, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type: Some(Cow::Borrowed("application/json")),
            headers,
            body: Body::Owned(body),
            omitted_body_length: None,
        }
    }

    /// Sets `Cache-Control` unless the handler set one (the route's default).
    pub(crate) fn set_default_cache_control(&mut self, value: &'static str) {
        if self.headers.get("Cache-Control").is_none() {
            self.headers.append("Cache-Control", value);
        }
    }

    /// Adds a header this crate chose (`Allow`).
    pub(crate) fn set_trusted_header(&mut self, name: &'static str, value: impl Into<HeaderText>) {
        self.headers.set(name, value);
    }
}

#[cfg(test)]
#[path = "response_tests.rs"]
mod tests;
