//! Requests: method, decoded path, path parameters, query, headers, body, and readers for
//! text, JSON and forms.
//!
//! A request owns its head as received (request line and header lines, one buffer: the
//! server's own, handed over without a copy) and its body; the path is a range of the head (a
//! second buffer only when it has escapes to decode), parameters are ranges of the path.
//! Reading a header, a parameter or the query allocates nothing unless a value has escapes to
//! decode; header values are trimmed as they are read.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::SocketAddrV4;

use crate::error::Error;
use crate::method::Method;
use crate::pattern::{matched_parameter, matched_parameters};
use crate::percent;

mod builder;
mod parts;

pub use builder::RequestBuilder;
pub use parts::RequestParts;

/// An HTTP request as a handler sees it.
///
/// ```
/// use sauce_app::{Method, Request};
///
/// let request = Request::builder(Method::Get, "/todos/7?verbose=yes&tag=a+b")
///     .route("/todos/{id}")
///     .header("Accept", "application/json")
///     .build();
/// assert_eq!(request.method(), Method::Get);
/// assert_eq!(request.path(), "/todos/7");
/// assert_eq!(request.param("id"), Some("7"));
/// assert_eq!(request.query("tag").as_deref(), Some("a b"));
/// assert_eq!(request.header("accept"), Some("application/json"));
/// ```
#[derive(Clone, Debug)]
pub struct Request {
    method: Method,
    /// The head as received: the request line, then each header line (`\r\n` or `\n` after
    /// each), checked at construction.
    head: String,
    /// The path, decoded: a range of `head`, or its own text when it had escapes.
    path: PathText,
    /// The raw query's range in `head` (after `?`), if the target had a `?`.
    query: Option<(usize, usize)>,
    /// Where the header lines start in `head`.
    headers_start: usize,
    body: Vec<u8>,
    /// The matched route's pattern (its parameters are read from the path when asked).
    route: &'static str,
    id: u64,
    peer: SocketAddrV4,
    served_as_head: bool,
}

impl Request {
    /// Starts building a request, for tests: `target` is a path with an optional `?query`, as
    /// sent on the wire (escapes are decoded).
    ///
    /// ```
    /// use sauce_app::{Method, Request};
    ///
    /// # fn main() -> sauce_app::Result<()> {
    /// let request = Request::builder(Method::Post, "/todos")
    ///     .header("X-Trace", "1")
    ///     .json(&serde_json::json!({"title": "milk"}))?
    ///     .build();
    /// assert_eq!(request.header("content-type"), Some("application/json"));
    /// assert_eq!(request.text()?, r#"{"title":"milk"}"#);
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder(method: Method, target: impl Into<String>) -> RequestBuilder {
        RequestBuilder::new(method, target.into())
    }

    /// The method (`GET` for a `HEAD` request the router serves with the `GET` handler; see
    /// [`Request::is_head`]).
    pub fn method(&self) -> Method {
        self.method
    }

    /// Whether this is a `HEAD` request served by the `GET` handler: the router drops the body,
    /// so a handler may skip building it.
    pub fn is_head(&self) -> bool {
        self.served_as_head
    }

    /// The path, percent-decoded (`/my%20file` is `/my file`), without the query.
    pub fn path(&self) -> &str {
        match &self.path {
            PathText::InHead(start, end) => self.head.get(*start..*end).unwrap_or_default(),
            PathText::Decoded(path) => path,
        }
    }

    /// The path parameter `name` of the matched route (`/todos/{id}` → `param("id")`), decoded.
    pub fn param(&self, name: &str) -> Option<&str> {
        matched_parameter(self.route, self.path(), name)
    }

    /// Every path parameter as `(name, value)`, in pattern order.
    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> {
        matched_parameters(self.route, self.path())
    }

    /// The pattern of the route that matched (`/todos/{id}`); empty before routing.
    pub fn route(&self) -> &'static str {
        self.route
    }

    /// The raw query string (after `?`, not decoded); `None` without a `?`.
    pub fn query_string(&self) -> Option<&str> {
        let (start, end) = self.query?;
        self.head.get(start..end)
    }

    /// The first value of query parameter `name`, decoded (`%XX` and `+`).
    pub fn query(&self, name: &str) -> Option<Cow<'_, str>> {
        self.query_pairs()
            .find(|(candidate, _)| candidate == name)
            .map(|(_, value)| value)
    }

    /// Every query `(name, value)`, decoded, in order (repeated names are kept).
    pub fn query_pairs(&self) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
        percent::pairs(self.query_string().unwrap_or_default())
    }

    /// The query deserialised into `T` (like axum's `Query<T>`); a mismatch is 400.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Page { offset: u32, limit: Option<u32> }
    ///
    /// let request = sauce_app::Request::builder(sauce_app::Method::Get, "/todos?offset=20").build();
    /// let page: Page = request.query_as().unwrap();
    /// assert_eq!((page.offset, page.limit), (20, None));
    /// ```
    pub fn query_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        crate::form::from_pairs(self.query_pairs())
            .map_err(|error| Error::bad_request(alloc::format!("invalid query: {error}")))
    }

    /// The first value of header `name` (case-insensitive); bytes that were not UTF-8 read as
    /// U+FFFD.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers()
            .find(|(candidate, _)| candidate.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// Every value of header `name`, in order.
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers()
            .filter(move |(candidate, _)| candidate.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// Every header `(name, value)` as received, in order.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.head
            .get(self.headers_start..)
            .unwrap_or_default()
            .split_terminator('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line))
            .filter(|line| !line.is_empty())
            .map(|line| {
                let (name, value) = line.split_once(':').unwrap_or((line, ""));
                (name, value.trim_matches(|c| c == ' ' || c == '\t'))
            })
    }

    /// The `Content-Type` header's media type, lowercased parameters aside (`application/json`
    /// for `application/json; charset=utf-8`).
    pub fn content_type(&self) -> Option<&str> {
        let value = self.header("content-type")?;
        Some(value.split(';').next().unwrap_or(value).trim())
    }

    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, taken out of the request.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The body as text; 400 if it is not UTF-8.
    pub fn text(&self) -> Result<&str, Error> {
        Ok(core::str::from_utf8(&self.body)?)
    }

    /// The body as JSON: an unparsable body is 400 with the parser's message, a body of the
    /// wrong shape (missing field, wrong type) 422. The content type is not checked, so
    /// `curl -d` works without `-H`.
    ///
    /// ```
    /// use sauce_app::{Method, Request};
    ///
    /// #[derive(Debug, serde::Deserialize)]
    /// struct NewTodo<'a> { title: &'a str }
    ///
    /// let ok = Request::builder(Method::Post, "/todos").body(r#"{"title":"milk"}"#).build();
    /// assert_eq!(ok.json::<NewTodo>().unwrap().title, "milk");
    /// let broken = Request::builder(Method::Post, "/todos").body("{").build();
    /// assert_eq!(broken.json::<NewTodo>().unwrap_err().status(), 400);
    /// let wrong = Request::builder(Method::Post, "/todos").body(r#"{"title":1}"#).build();
    /// assert_eq!(wrong.json::<NewTodo>().unwrap_err().status(), 422);
    /// let wrong_and_broken = Request::builder(Method::Post, "/todos").body("[1,").build();
    /// assert_eq!(wrong_and_broken.json::<NewTodo>().unwrap_err().status(), 400);
    /// ```
    pub fn json<'a, T: serde::Deserialize<'a>>(&'a self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|error| {
            // serde_json reports a wrong type as soon as it sees one (`[1,` for a struct), before
            // reading on to the syntax error: an unparsable body must still be 400.
            if error.is_data() {
                if let Err(syntax) = serde_json::from_slice::<serde::de::IgnoredAny>(&self.body) {
                    return Error::from(syntax);
                }
            }
            Error::from(error)
        })
    }

    /// The body as `application/x-www-form-urlencoded` deserialised into `T`; a body that is
    /// not UTF-8 is 400, fields that do not fit `T` are 422.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Login { user: String, remember: bool }
    ///
    /// let request = sauce_app::Request::builder(sauce_app::Method::Post, "/login")
    ///     .form(&[("user", "ada lovelace"), ("remember", "on")])
    ///     .build();
    /// let login: Login = request.form().unwrap();
    /// assert_eq!((login.user.as_str(), login.remember), ("ada lovelace", true));
    /// ```
    pub fn form<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        crate::form::from_pairs(self.form_pairs()?)
            .map_err(|error| Error::unprocessable(alloc::format!("invalid form: {error}")))
    }

    /// The body's form `(name, value)` pairs, decoded; 400 if the body is not UTF-8.
    pub fn form_pairs(&self) -> Result<impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)>, Error> {
        Ok(percent::pairs(self.text()?))
    }

    /// The request's id, unique in this boot (it appears in log lines).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The client's address and port.
    pub fn peer(&self) -> SocketAddrV4 {
        self.peer
    }

    /// Records the matched route (the router calls this before the handler).
    pub(crate) fn set_route(&mut self, route: &'static str) {
        self.route = route;
    }

    /// Turns a `HEAD` request into the `GET` its handler serves.
    pub(crate) fn serve_as_get(&mut self) {
        self.method = Method::Get;
        self.served_as_head = true;
    }
}

/// Where a request's decoded path is.
#[derive(Clone, Debug)]
enum PathText {
    /// A range of the head: the path had nothing to decode.
    InHead(usize, usize),
    /// The path had escapes: decoded into its own text.
    Decoded(String),
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
