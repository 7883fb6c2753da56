//! [`Call`]: one request on its way through a route — either already answered by the router
//! (404, 405, `OPTIONS`, 413) or a handler's future with what must be done to its answer.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::error::Error;
use crate::handler::BoxFuture;
use crate::log::{emit_in, Level, LogContext, Scoped};
use crate::response::Response;

/// A request being answered; a future of its [`Response`].
///
/// `Unpin` (the handler's future is boxed), so whoever runs it may poll it once where it is
/// and move it into a task only if it waits: most handlers answer on their first poll.
pub struct Call {
    state: State,
}

enum State {
    /// The router answered by itself, or the answer was already taken.
    Answered(Option<Response>),
    /// A handler runs.
    Running(Running),
}

struct Running {
    future: Scoped<BoxFuture<crate::Result>>,
    context: LogContext,
    cache_control: Option<&'static str>,
    head: bool,
}

impl Call {
    /// A call the router answered itself.
    pub(super) fn answered(response: Response) -> Call {
        Call {
            state: State::Answered(Some(response)),
        }
    }

    /// A call running `future` in the log context `context`; a successful answer gets
    /// `cache_control` unless it set its own, and loses its body when `head`.
    pub(super) fn running(
        future: BoxFuture<crate::Result>,
        context: LogContext,
        cache_control: Option<&'static str>,
        head: bool,
    ) -> Call {
        Call {
            state: State::Running(Running {
                future: Scoped::new(context, future),
                context,
                cache_control,
                head,
            }),
        }
    }

    /// The answer to a handler's result: an [`Error`] becomes its JSON response (5xx logged).
    fn finish(running: &Running, result: crate::Result) -> Response {
        let mut response = match result {
            Ok(response) => response,
            Err(error) => {
                if error.status() >= 500 {
                    emit_in(running.context, Level::Error, format_args!("{error}"));
                }
                error.into_response()
            }
        };
        if let Some(value) = running.cache_control {
            if response.status() < 400 {
                response.set_default_cache_control(value);
            }
        }
        if running.head {
            response = response.without_body();
        }
        response
    }
}

impl Future for Call {
    type Output = Response;

    /// # Panics
    /// When polled again after it gave its response (as any future may).
    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Response> {
        match &mut self.state {
            State::Answered(response) => match response.take() {
                Some(response) => Poll::Ready(response),
                None => panic!("a call was polled after it answered"),
            },
            State::Running(running) => match Pin::new(&mut running.future).poll(context) {
                Poll::Ready(result) => {
                    let response = Call::finish(running, result);
                    self.state = State::Answered(None);
                    Poll::Ready(response)
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

/// An error's response, as a call.
impl From<Error> for Call {
    fn from(error: Error) -> Call {
        Call::answered(error.into_response())
    }
}
