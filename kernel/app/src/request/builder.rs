//! Building requests in tests: method, target, headers, a body (raw, text, JSON or form).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::net::{Ipv4Addr, SocketAddrV4};

use super::{Request, RequestParts};
use crate::error::Error;
use crate::method::Method;
use crate::pattern::Pattern;
use crate::percent;

/// Builds a [`Request`] for a test (see [`Request::builder`]).
#[derive(Clone, Debug)]
pub struct RequestBuilder {
    method: Method,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    id: u64,
    peer: SocketAddrV4,
    route: Option<&'static str>,
}

impl RequestBuilder {
    pub(super) fn new(method: Method, target: String) -> RequestBuilder {
        RequestBuilder {
            method,
            target,
            headers: Vec::new(),
            body: Vec::new(),
            id: 1,
            peer: SocketAddrV4::new(Ipv4Addr::LOCALHOST, 49152),
            route: None,
        }
    }

    /// Adds a header (repeated names are kept).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> RequestBuilder {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body bytes.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> RequestBuilder {
        self.body = body.into();
        self
    }

    /// Sets a text body, with `Content-Type: text/plain; charset=utf-8` unless one is set.
    pub fn text(self, text: impl Into<String>) -> RequestBuilder {
        self.with_default_content_type("text/plain; charset=utf-8")
            .body(text.into().into_bytes())
    }

    /// Sets `value` as a JSON body, with `Content-Type: application/json` unless one is set.
    /// Fails only if `value` cannot be serialised.
    pub fn json<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<RequestBuilder, Error> {
        let body = serde_json::to_vec(value).map_err(|error| {
            Error::internal(format!("the request body could not be serialised: {error}"))
        })?;
        Ok(self
            .with_default_content_type("application/json")
            .body(body))
    }

    /// Sets a form body from `(name, value)` pairs, encoded, with
    /// `Content-Type: application/x-www-form-urlencoded` unless one is set.
    pub fn form<'a>(
        self,
        pairs: impl IntoIterator<Item = &'a (&'a str, &'a str)>,
    ) -> RequestBuilder {
        let body = percent::encode_pairs(pairs.into_iter().copied());
        self.with_default_content_type("application/x-www-form-urlencoded")
            .body(body.into_bytes())
    }

    /// Sets the request id (default 1).
    pub fn id(mut self, id: u64) -> RequestBuilder {
        self.id = id;
        self
    }

    /// Sets the client address (default `127.0.0.1:49152`).
    pub fn peer(mut self, peer: SocketAddrV4) -> RequestBuilder {
        self.peer = peer;
        self
    }

    /// Matches the path against `pattern` as the router would, so a handler called directly
    /// sees its path parameters.
    pub fn route(mut self, pattern: &'static str) -> RequestBuilder {
        self.route = Some(pattern);
        self
    }

    /// The request, or why it is invalid (a header with CR/LF, a target without `/`, a path
    /// that does not match [`RequestBuilder::route`]).
    pub fn try_build(self) -> Result<Request, Error> {
        let headers: Vec<(&[u8], &[u8])> = self
            .headers
            .iter()
            .map(|(name, value)| (name.as_bytes(), value.as_bytes()))
            .collect();
        let mut request = Request::from_parts(RequestParts {
            method: self.method,
            target: self.target.as_bytes(),
            headers: headers.iter().copied(),
            body: self.body,
            id: self.id,
            peer: self.peer,
        })?;
        if let Some(route) = self.route {
            let pattern = Pattern::parse(route)
                .map_err(|error| Error::internal(format!("route `{route}`: {error}")))?;
            if !pattern.is_match(request.path()) {
                return Err(Error::internal(format!(
                    "`{}` does not match the route `{route}`",
                    request.path()
                )));
            }
            request.set_route(route);
        }
        Ok(request)
    }

    /// The request.
    ///
    /// # Panics
    /// If [`RequestBuilder::try_build`] fails: this is for tests, where a malformed request is a
    /// mistake in the test.
    pub fn build(self) -> Request {
        match self.try_build() {
            Ok(request) => request,
            Err(error) => panic!("invalid test request: {}", error.message()),
        }
    }

    fn with_default_content_type(mut self, content_type: &str) -> RequestBuilder {
        let has_one = self
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
        if !has_one {
            self.headers
                .push(("Content-Type".to_string(), content_type.to_string()));
        }
        self
    }
}
