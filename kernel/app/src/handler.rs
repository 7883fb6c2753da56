//! Handlers as plain `fn` pointers: the `handler!` macro wraps an `async fn` into one.
//!
//! A route stores `fn(Request, &'static S) -> BoxFuture<Result>`: a pointer the generated
//! board can put in a table, with one allocation per request (the boxed future). The macro
//! accepts both handler shapes, `async fn(Request, &'static S) -> Result` and
//! `async fn(Request) -> Result`, with no procedural macro.

use alloc::boxed::Box;
use core::future::Future;
use core::pin::Pin;

use crate::request::Request;

/// A heap-allocated future of the single-threaded executor (not `Send`).
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + 'static>>;

/// A route's handler: takes the request and the app's state, gives a future of the answer.
pub type Handler<S> = fn(Request, &'static S) -> BoxFuture<crate::Result>;

/// Wraps an `async fn` handler into a [`Handler`] pointer.
///
/// The function may take the state or not; a state-less handler fits any router.
///
/// ```
/// use sauce_app::{handler, Handler, Request, Response, Result};
///
/// struct App { greeting: &'static str }
///
/// async fn hello(_request: Request, state: &'static App) -> Result {
///     Ok(Response::text(state.greeting))
/// }
///
/// async fn health(_request: Request) -> Result {
///     Ok(Response::text("ok"))
/// }
///
/// let with_state: Handler<App> = handler!(hello);
/// let without_state: Handler<App> = handler!(health);
/// # let _ = (with_state, without_state);
/// ```
#[macro_export]
macro_rules! handler {
    ($function:path) => {
        |request: $crate::Request, state| -> $crate::BoxFuture<$crate::Result> {
            $crate::__private::Box::pin($crate::__private::HandlerFunction::call(
                $function, request, state,
            ))
        }
    };
}

/// The two shapes of handler function, told apart by their argument lists (`Arguments`).
///
/// Not for use outside the [`handler!`] macro.
#[doc(hidden)]
pub trait HandlerFunction<S: 'static, Arguments> {
    /// The handler's future.
    type Future: Future<Output = crate::Result> + 'static;
    /// Calls the handler.
    fn call(self, request: Request, state: &'static S) -> Self::Future;
}

impl<S, F, Fut> HandlerFunction<S, (Request, &'static S)> for F
where
    S: 'static,
    F: FnOnce(Request, &'static S) -> Fut,
    Fut: Future<Output = crate::Result> + 'static,
{
    type Future = Fut;

    fn call(self, request: Request, state: &'static S) -> Fut {
        self(request, state)
    }
}

impl<S, F, Fut> HandlerFunction<S, (Request,)> for F
where
    S: 'static,
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = crate::Result> + 'static,
{
    type Future = Fut;

    fn call(self, request: Request, _state: &'static S) -> Fut {
        self(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::block_on;
    use crate::{Method, Response};

    struct Counter {
        start: u32,
    }

    async fn with_state(_request: Request, state: &'static Counter) -> crate::Result {
        Ok(Response::text(alloc::format!("{}", state.start)))
    }

    async fn without_state(request: Request) -> crate::Result {
        Ok(Response::text(alloc::string::ToString::to_string(
            request.path(),
        )))
    }

    #[test]
    fn both_shapes_become_the_same_pointer_type() {
        static STATE: Counter = Counter { start: 41 };
        let handlers: [Handler<Counter>; 2] = [handler!(with_state), handler!(without_state)];
        let request = || Request::builder(Method::Get, "/x").build();
        let first = block_on(handlers[0](request(), &STATE)).unwrap();
        let second = block_on(handlers[1](request(), &STATE)).unwrap();
        assert_eq!(first.body(), b"41");
        assert_eq!(second.body(), b"/x");
    }
}
