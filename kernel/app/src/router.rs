//! The route table: patterns, allowed methods and handlers; `dispatch` answers a request,
//! including 404, 405 with `Allow`, `OPTIONS`, `HEAD` and body limits.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::Error;
use crate::handler::Handler;
use crate::log::LogContext;
use crate::method::Method;
use crate::pattern::Pattern;
use crate::request::Request;
use crate::response::Response;

mod call;
mod route;

pub use call::Call;
pub use route::{Route, RouteError};

/// Routes sharing one pattern shape, with the `Allow` value their methods make.
struct Entry<S: 'static> {
    pattern: Pattern<'static>,
    routes: Vec<Route<S>>,
    allow: String,
}

impl<S: 'static> Entry<S> {
    fn route_for(&self, method: Method) -> Option<&Route<S>> {
        self.routes.iter().find(|route| route.answers(method))
    }

    /// The methods answered, in the `Allow` order: GET, HEAD (with GET), …, OPTIONS, others.
    fn compute_allow(&mut self) {
        let listed = |method: Method| {
            self.routes
                .iter()
                .any(|route| route.methods.contains(&method))
        };
        let mut answered: Vec<Method> = Method::STANDARD
            .into_iter()
            .filter(|method| match method {
                Method::Head => listed(Method::Head) || listed(Method::Get),
                Method::Options => true,
                other => listed(*other),
            })
            .collect();
        for route in &self.routes {
            for method in &route.methods {
                if !answered.contains(method) {
                    answered.push(*method);
                }
            }
        }
        let mut allow = String::new();
        for method in answered {
            if !allow.is_empty() {
                allow.push_str(", ");
            }
            allow.push_str(method.as_str());
        }
        self.allow = allow;
    }
}

/// The table of routes of an app with state `S`.
///
/// ```
/// use sauce_app::testing::block_on;
/// use sauce_app::{handler, Method, Request, Response, Result, Router, Shared};
///
/// struct App { hits: Shared<u64> }
///
/// async fn hit(_request: Request, app: &'static App) -> Result {
///     let hits = app.hits.with_mut(|hits| { *hits += 1; *hits });
///     Ok(Response::json(&hits))
/// }
///
/// let router = Router::new().route("/hits", &[Method::Post], handler!(hit));
/// let app: &'static App = Box::leak(Box::new(App { hits: Shared::new(0) }));
///
/// let post = Request::builder(Method::Post, "/hits").build();
/// assert_eq!(block_on(router.dispatch(post, app)).body(), b"1");
/// let get = Request::builder(Method::Get, "/hits").build();
/// let refused = block_on(router.dispatch(get, app));
/// assert_eq!(refused.status(), 405);
/// assert_eq!(refused.header("Allow"), Some("POST, OPTIONS"));
/// ```
pub struct Router<S: 'static> {
    entries: Vec<Entry<S>>,
}

impl<S: 'static> Default for Router<S> {
    fn default() -> Router<S> {
        Router::new()
    }
}

impl<S: 'static> Router<S> {
    /// An empty table: every request is 404.
    pub fn new() -> Router<S> {
        Router {
            entries: Vec::new(),
        }
    }

    /// Adds a route answering `methods` at `pattern` with `handler`.
    ///
    /// # Panics
    /// On an invalid route (see [`Router::try_add_route`]): routes are fixed when the image is built
    /// and `sauce check` reports these mistakes first, so this only fires on a wiring mistake.
    pub fn route(
        self,
        pattern: &'static str,
        methods: &[Method],
        handler: Handler<S>,
    ) -> Router<S> {
        self.add_route(Route::new(pattern, methods, handler))
    }

    /// Adds a route with its options.
    ///
    /// # Panics
    /// On an invalid route (see [`Router::try_add_route`]).
    pub fn add_route(self, route: Route<S>) -> Router<S> {
        match self.try_add_route(route) {
            Ok(router) => router,
            Err(error) => panic!("{error}"),
        }
    }

    /// Adds a route, or says why it cannot be: an invalid pattern, no methods, a method that
    /// already has a handler for the same paths, the same paths under other parameter names, or
    /// an invalid `Cache-Control`.
    pub fn try_add_route(mut self, route: Route<S>) -> Result<Router<S>, RouteError> {
        let pattern_text = route.pattern;
        let pattern = Pattern::parse(pattern_text).map_err(|error| RouteError::Pattern {
            pattern: pattern_text,
            error,
        })?;
        if route.methods.is_empty() {
            return Err(RouteError::NoMethods {
                pattern: pattern_text,
            });
        }
        if let Some(value) = route.cache_control {
            if !crate::header::is_valid_value(value) {
                return Err(RouteError::InvalidCacheControl {
                    pattern: pattern_text,
                    header: value,
                });
            }
        }
        let existing = self
            .entries
            .iter_mut()
            .find(|entry| entry.pattern.same_shape(&pattern));
        let entry = match existing {
            Some(entry) => {
                if !entry
                    .pattern
                    .parameter_names()
                    .eq(pattern.parameter_names())
                {
                    return Err(RouteError::ConflictingNames {
                        pattern: pattern_text,
                        existing: entry.pattern.as_str(),
                    });
                }
                entry
            }
            None => {
                self.entries.push(Entry {
                    pattern,
                    routes: Vec::new(),
                    allow: String::new(),
                });
                self.entries.last_mut().ok_or(RouteError::NoMethods {
                    pattern: pattern_text,
                })?
            }
        };
        for (index, method) in route.methods.iter().enumerate() {
            let repeated = route
                .methods
                .get(..index)
                .unwrap_or_default()
                .contains(method);
            if repeated || entry.route_for(*method).is_some() {
                return Err(RouteError::DuplicateMethod {
                    pattern: pattern_text,
                    method: *method,
                });
            }
        }
        entry.routes.push(route);
        entry.compute_allow();
        Ok(self)
    }

    /// Every route's pattern, in the order added.
    pub fn patterns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries
            .iter()
            .flat_map(|entry| entry.routes.iter().map(|route| route.pattern))
    }

    /// Whether a route's pattern matches `path` (decoded): the server hands such requests to
    /// this router (which answers 405 and `OPTIONS` itself), with the body limit of the route
    /// for `method` there, if it has one.
    pub fn serves(&self, method: Method, path: &str) -> Option<Option<usize>> {
        self.lookup(method, path).map(|(_, limit)| limit)
    }

    /// [`serves`](Self::serves), with the index of the pattern that matched: handing it to
    /// [`dispatch_at`](Self::dispatch_at) spares matching the path against every pattern again.
    pub fn lookup(&self, method: Method, path: &str) -> Option<(usize, Option<usize>)> {
        self.lookup_ascii(method, path.as_bytes())
    }

    /// [`lookup`](Self::lookup) of a path given as bytes, which must be the decoded path's:
    /// a path received without `%` escapes is its own decoded form, and a server that allows
    /// only ASCII in targets can ask without decoding it.
    pub fn lookup_ascii(&self, method: Method, path: &[u8]) -> Option<(usize, Option<usize>)> {
        let mut best: Option<(usize, &Entry<S>)> = None;
        let slashes = slashes(path);
        for (index, entry) in self.entries.iter().enumerate() {
            if !entry.pattern.could_match(slashes) || !entry.pattern.is_match_bytes(path) {
                continue;
            }
            let better = match best {
                None => true,
                Some((_, current)) => entry.pattern.specificity(&current.pattern).is_gt(),
            };
            if better {
                best = Some((index, entry));
            }
        }
        let (index, entry) = best?;
        Some((
            index,
            entry.route_for(method).and_then(|route| route.body_limit),
        ))
    }

    /// The body limit of the route that would answer `method` at `path` (decoded), so the
    /// server can answer 413 before buffering the body.
    pub fn body_limit(&self, method: Method, path: &str) -> Option<usize> {
        self.lookup(method, path)?.1
    }

    /// The most specific entry whose pattern matches `path`.
    fn find(&self, path: &str) -> Option<&Entry<S>> {
        let mut best: Option<&Entry<S>> = None;
        let slashes = slashes(path.as_bytes());
        for entry in &self.entries {
            if !entry.pattern.could_match(slashes) || !entry.pattern.is_match(path) {
                continue;
            }
            let better = match best {
                None => true,
                Some(current) => entry.pattern.specificity(&current.pattern).is_gt(),
            };
            if better {
                best = Some(entry);
            }
        }
        best
    }

    /// Answers `request`: the matching route's handler, or the router's own answer (404, 405
    /// with `Allow`, 204 to `OPTIONS`, 413 over a body limit). A `HEAD` request without a
    /// `HEAD` route is served by the `GET` handler with the body dropped and its length kept.
    /// A handler's [`Error`] becomes its JSON response; 5xx errors are logged.
    pub async fn dispatch(&self, request: Request, state: &'static S) -> Response {
        self.dispatch_at(None, request, state).await
    }

    /// [`dispatch`](Self::dispatch) when [`lookup`](Self::lookup) already found the pattern
    /// (`Some(index)`, the index `lookup` gave for this request's path): it is not matched
    /// again.
    pub async fn dispatch_at(
        &self,
        known: Option<usize>,
        request: Request,
        state: &'static S,
    ) -> Response {
        self.call(known, request, state).await
    }

    /// Starts answering `request` (see [`dispatch_at`](Self::dispatch_at)) without awaiting:
    /// the [`Call`] is `Unpin`, so a runtime can poll it once in place and make it a task only
    /// if the handler waits.
    pub fn call(&self, known: Option<usize>, mut request: Request, state: &'static S) -> Call {
        let matched = match known.and_then(|index| self.entries.get(index)) {
            Some(entry) => {
                debug_assert!(entry.pattern.is_match(request.path()));
                Some(entry)
            }
            None => self.find(request.path()),
        };
        let Some(entry) = matched else {
            return Error::not_found("not found").into();
        };
        request.set_route(entry.pattern.as_str());
        let method = request.method();
        let mut head = false;
        let route = match entry.route_for(method) {
            Some(route) => route,
            None if method == Method::Options => {
                let mut response = Response::no_content();
                response.set_trusted_header("Allow", entry.allow.clone());
                return Call::answered(response);
            }
            None if method == Method::Head => match entry.route_for(Method::Get) {
                Some(route) => {
                    head = true;
                    request.serve_as_get();
                    route
                }
                None => return Call::answered(method_not_allowed(entry, method)),
            },
            None => return Call::answered(method_not_allowed(entry, method)),
        };
        if let Some(limit) = route.body_limit {
            if request.body().len() > limit {
                return Error::payload_too_large(format!("the body is over {limit} bytes")).into();
            }
        }
        let context = LogContext {
            route: entry.pattern.as_str(),
            request_id: Some(request.id()),
        };
        Call::running(
            (route.handler)(request, state),
            context,
            route.cache_control,
            head,
        )
    }
}

/// The slashes of a path: its segments, which a pattern's must equal (see
/// [`Pattern::could_match`]).
fn slashes(path: &[u8]) -> usize {
    path.iter().filter(|byte| **byte == b'/').count()
}

fn method_not_allowed<S>(entry: &Entry<S>, method: Method) -> Response {
    Error::method_not_allowed(format!("{method} is not allowed here"))
        .with_trusted_header("Allow", entry.allow.clone())
        .into_response()
}

#[cfg(test)]
#[path = "router_tests.rs"]
mod tests;
