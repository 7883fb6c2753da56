//! `TestClient`: build a request, run it through the router, inspect the response.

use std::boxed::Box;
use std::cell::Cell;
use std::fmt;
use std::net::SocketAddrV4;
use std::string::String;
use std::vec::Vec;

use super::{block_on, join_all, HostPlatform, LocalFuture};
use crate::error::Error;
use crate::method::Method;
use crate::request::{Request, RequestBuilder};
use crate::response::Response;
use crate::router::Router;

/// Sends requests to a router with the app's state, as the server would, on this thread.
///
/// ```
/// use sauce_app::testing::TestClient;
/// use sauce_app::{handler, Method, Request, Response, Result, Router, Shared};
///
/// struct App { names: Shared<Vec<String>> }
///
/// async fn names(request: Request, app: &'static App) -> Result {
///     if request.method() == Method::Post {
///         let name: String = request.json()?;
///         app.names.with_mut(|names| names.push(name));
///         return Ok(Response::no_content());
///     }
///     Ok(app.names.with(|names| Response::json(names)))
/// }
///
/// let router = Router::new().route("/names", &[Method::Get, Method::Post], handler!(names));
/// let client = TestClient::new(router, App { names: Shared::new(Vec::new()) });
///
/// assert_eq!(client.post("/names").json(&"ada").send().status(), 204);
/// let response = client.get("/names").send();
/// assert_eq!(response.status(), 200);
/// assert_eq!(response.json::<Vec<String>>(), ["ada"]);
/// assert_eq!(client.post("/names").body("{").send().status(), 400);
/// ```
pub struct TestClient<S: 'static> {
    router: Router<S>,
    state: &'static S,
    platform: &'static HostPlatform,
    next_id: Cell<u64>,
}

impl<S: 'static> TestClient<S> {
    /// A client for `router`, with `state` (kept for the rest of the test process, as the board
    /// keeps it for the life of the image) and this thread's platform (a default
    /// [`HostPlatform`] unless the test installed one).
    pub fn new(router: Router<S>, state: S) -> TestClient<S> {
        let state: &'static S = Box::leak(Box::new(state));
        let platform = match super::host() {
            Some(platform) => platform,
            None => HostPlatform::new().install_for_this_thread(),
        };
        TestClient {
            router,
            state,
            platform,
            next_id: Cell::new(1),
        }
    }

    /// A client using `platform` (installed for this thread).
    pub fn with_platform(router: Router<S>, state: S, platform: HostPlatform) -> TestClient<S> {
        platform.install_for_this_thread();
        TestClient::new(router, state)
    }

    /// The app's state, to inspect.
    pub fn state(&self) -> &'static S {
        self.state
    }

    /// The platform: clock, configuration, captured log lines.
    pub fn platform(&self) -> &'static HostPlatform {
        self.platform
    }

    /// A request with any method.
    pub fn request(&self, method: Method, target: &str) -> TestRequest<'_, S> {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        TestRequest {
            client: self,
            builder: Some(Request::builder(method, target).id(id)),
            error: None,
        }
    }

    /// A `GET` request.
    pub fn get(&self, target: &str) -> TestRequest<'_, S> {
        self.request(Method::Get, target)
    }

    /// A `HEAD` request.
    pub fn head(&self, target: &str) -> TestRequest<'_, S> {
        self.request(Method::Head, target)
    }

    /// A `POST` request.
    pub fn post(&self, target: &str) -> TestRequest<'_, S> {
        self.request(Method::Post, target)
    }

    /// A `PUT` request.
    pub fn put(&self, target: &str) -> TestRequest<'_, S> {
        self.request(Method::Put, target)
    }

    /// A `PATCH` request.
    pub fn patch(&self, target: &str) -> TestRequest<'_, S> {
        self.request(Method::Patch, target)
    }

    /// A `DELETE` request.
    pub fn delete(&self, target: &str) -> TestRequest<'_, S> {
        self.request(Method::Delete, target)
    }

    /// An `OPTIONS` request.
    pub fn options(&self, target: &str) -> TestRequest<'_, S> {
        self.request(Method::Options, target)
    }

    /// Sends every request concurrently (their handlers interleave at each `.await`, as
    /// connections do on the executor) and gives the responses in order.
    pub fn send_all(&self, requests: Vec<TestRequest<'_, S>>) -> Vec<TestResponse> {
        let futures: Vec<LocalFuture<'_, TestResponse>> = requests
            .into_iter()
            .map(|request| Box::pin(request.into_future()) as LocalFuture<'_, _>)
            .collect();
        block_on(join_all(futures))
    }
}

/// A request being built by a [`TestClient`]; [`TestRequest::send`] runs it.
pub struct TestRequest<'c, S: 'static> {
    client: &'c TestClient<S>,
    builder: Option<RequestBuilder>,
    error: Option<Error>,
}

impl<'c, S: 'static> TestRequest<'c, S> {
    fn map(mut self, change: impl FnOnce(RequestBuilder) -> RequestBuilder) -> Self {
        self.builder = self.builder.take().map(change);
        self
    }

    /// Adds a header.
    pub fn header(self, name: &str, value: &str) -> Self {
        self.map(|builder| builder.header(name, value))
    }

    /// Sets the body bytes.
    pub fn body(self, body: impl Into<Vec<u8>>) -> Self {
        self.map(|builder| builder.body(body))
    }

    /// Sets a text body.
    pub fn text(self, text: impl Into<String>) -> Self {
        self.map(|builder| builder.text(text))
    }

    /// Sets a JSON body (and `Content-Type: application/json`).
    pub fn json<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Self {
        if let Some(builder) = self.builder.take() {
            match builder.json(value) {
                Ok(builder) => self.builder = Some(builder),
                Err(error) => self.error = Some(error),
            }
        }
        self
    }

    /// Sets a form body.
    pub fn form(self, pairs: &[(&str, &str)]) -> Self {
        self.map(|builder| builder.form(pairs))
    }

    /// Sets the client address.
    pub fn peer(self, peer: SocketAddrV4) -> Self {
        self.map(|builder| builder.peer(peer))
    }

    /// Runs the request through the router and returns the response.
    ///
    /// # Panics
    /// If the request itself is malformed (a header with CR/LF, a body that cannot be
    /// serialised): a mistake in the test.
    pub fn send(self) -> TestResponse {
        block_on(self.into_future())
    }

    /// The response as a future, to run several requests concurrently.
    pub async fn into_future(self) -> TestResponse {
        if let Some(error) = self.error {
            panic!("invalid test request: {}", error.message());
        }
        let Some(builder) = self.builder else {
            unreachable!("a TestRequest always holds its builder until sent")
        };
        let request = builder.build();
        let response = self
            .client
            .router
            .dispatch(request, self.client.state)
            .await;
        TestResponse { response }
    }
}

/// A response from a [`TestClient`], with readers that fail the test on a mismatch.
pub struct TestResponse {
    response: Response,
}

impl TestResponse {
    /// The status code.
    pub fn status(&self) -> u16 {
        self.response.status()
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response.header(name)
    }

    /// Every header.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.response.headers()
    }

    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        self.response.body()
    }

    /// The `Content-Length` the server would send.
    pub fn content_length(&self) -> Option<usize> {
        self.response.content_length()
    }

    /// The body as text.
    ///
    /// # Panics
    /// If the body is not UTF-8.
    pub fn text(&self) -> &str {
        match std::str::from_utf8(self.body()) {
            Ok(text) => text,
            Err(error) => panic!("the response body is not UTF-8: {error}"),
        }
    }

    /// The body as JSON of type `T`.
    ///
    /// # Panics
    /// If it does not parse as `T` (the message shows the body).
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        match serde_json::from_slice(self.body()) {
            Ok(value) => value,
            Err(error) => panic!(
                "the response body is not the JSON expected ({error}): {}",
                String::from_utf8_lossy(self.body())
            ),
        }
    }

    /// The response itself.
    pub fn into_response(self) -> Response {
        self.response
    }
}

impl fmt::Debug for TestResponse {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} {}",
            self.status(),
            String::from_utf8_lossy(self.body())
        )
    }
}
