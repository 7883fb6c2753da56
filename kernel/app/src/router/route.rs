//! One route (pattern, methods, handler, options) and why a route can be refused.

use alloc::vec::Vec;
use core::fmt;

use crate::handler::Handler;
use crate::method::Method;
use crate::pattern::PatternError;

/// One route: a pattern, the methods it answers, its handler, and options.
///
/// ```
/// use sauce_app::{handler, Method, Request, Response, Result, Route, Router};
///
/// async fn upload(request: Request) -> Result {
///     Ok(Response::text(format!("{} bytes", request.body().len())))
/// }
///
/// let router: Router<()> = Router::new().add_route(
///     Route::new("/uploads", &[Method::Post], handler!(upload))
///         .body_limit(1024)
///         .cache_control("no-store"),
/// );
/// ```
pub struct Route<S: 'static> {
    pub(super) pattern: &'static str,
    pub(super) methods: Vec<Method>,
    /// The standard methods of `methods` as bits ([`standard_bit`]): answering a request
    /// tests one bit.
    standard: u8,
    pub(super) handler: Handler<S>,
    pub(super) body_limit: Option<usize>,
    pub(super) cache_control: Option<&'static str>,
}

impl<S: 'static> Route<S> {
    /// A route answering `methods` at `pattern` (see [`crate::Pattern::parse`]). Allowing `GET`
    /// allows `HEAD`; `OPTIONS` is answered by the router unless listed here.
    pub fn new(pattern: &'static str, methods: &[Method], handler: Handler<S>) -> Route<S> {
        Route {
            pattern,
            methods: methods.to_vec(),
            standard: methods
                .iter()
                .filter_map(|method| standard_bit(*method))
                .fold(0, |bits, bit| bits | bit),
            handler,
            body_limit: None,
            cache_control: None,
        }
    }

    /// Whether the route answers `method`.
    pub(super) fn answers(&self, method: Method) -> bool {
        match standard_bit(method) {
            Some(bit) => self.standard & bit != 0,
            None => self.methods.contains(&method),
        }
    }

    /// Answers 413 to a request whose body is longer than `bytes`, without calling the handler.
    pub fn body_limit(mut self, bytes: usize) -> Route<S> {
        self.body_limit = Some(bytes);
        self
    }

    /// `Cache-Control` for the route's successful answers that do not set their own.
    pub fn cache_control(mut self, value: &'static str) -> Route<S> {
        self.cache_control = Some(value);
        self
    }
}

/// A standard method's bit; `None` for an extension method.
fn standard_bit(method: Method) -> Option<u8> {
    let index = match method {
        Method::Get => 0,
        Method::Head => 1,
        Method::Post => 2,
        Method::Put => 3,
        Method::Patch => 4,
        Method::Delete => 5,
        Method::Options => 6,
        Method::Extension(_) => return None,
    };
    Some(1 << index)
}

/// Why a route cannot be added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteError {
    /// The pattern `pattern` is invalid: `error`.
    Pattern {
        /// The pattern.
        pattern: &'static str,
        /// What is wrong with it.
        error: PatternError,
    },
    /// The route `pattern` lists no method.
    NoMethods {
        /// The pattern.
        pattern: &'static str,
    },
    /// Method `method` at `pattern` already has a handler.
    DuplicateMethod {
        /// The pattern.
        pattern: &'static str,
        /// The method.
        method: Method,
    },
    /// `pattern` matches the same paths as `existing` but names its parameters differently.
    ConflictingNames {
        /// The new pattern.
        pattern: &'static str,
        /// The pattern added before.
        existing: &'static str,
    },
    /// `header` is not a valid `Cache-Control` value for route `pattern`.
    InvalidCacheControl {
        /// The pattern.
        pattern: &'static str,
        /// The value.
        header: &'static str,
    },
}

impl fmt::Display for RouteError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::Pattern { pattern, error } => write!(formatter, "route `{pattern}`: {error}"),
            RouteError::NoMethods { pattern } => write!(formatter, "route `{pattern}` lists no method"),
            RouteError::DuplicateMethod { pattern, method } => {
                write!(formatter, "{method} `{pattern}` has two handlers")
            }
            RouteError::ConflictingNames { pattern, existing } => write!(
                formatter,
                "route `{pattern}` matches the same paths as `{existing}` with other parameter names"
            ),
            RouteError::InvalidCacheControl { pattern, header } => {
                write!(formatter, "route `{pattern}`: invalid Cache-Control value {header:?}")
            }
        }
    }
}

impl core::error::Error for RouteError {}
