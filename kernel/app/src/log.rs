//! Logging: `info!`, `warn!`, `error!`, `debug!` and `log!` hand a level, the route, the
//! request id and the message to the platform.
//!
//! The route and request id come from a context the router sets around each poll of a
//! handler's future (and a periodic task sets around its own), so a log line written after an
//! `.await` still names its own request even though others ran meanwhile.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// How important a log line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Details for debugging.
    Debug,
    /// Normal events.
    Info,
    /// Something unexpected the app handled.
    Warn,
    /// Something failed.
    Error,
}

impl Level {
    /// The level's name in log lines: `DEBUG`, `INFO`, `WARN`, `ERROR`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
        }
    }
}

/// One log line, as the platform receives it.
#[derive(Clone, Copy, Debug)]
pub struct LogRecord<'a> {
    /// The level.
    pub level: Level,
    /// The route pattern of the request being handled (`/todos/{id}`), the name of the
    /// periodic task running, or empty outside both.
    pub route: &'a str,
    /// The id of the request being handled, if any.
    pub request_id: Option<u64>,
    /// The message.
    pub message: fmt::Arguments<'a>,
}

impl fmt::Display for LogRecord<'_> {
    /// `INFO /todos/{id} #7: message`, leaving out the parts that are absent.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.level.as_str())?;
        if !self.route.is_empty() {
            write!(formatter, " {}", self.route)?;
        }
        if let Some(id) = self.request_id {
            write!(formatter, " #{id}")?;
        }
        write!(formatter, ": {}", self.message)
    }
}

/// What is running: a route and request, or a periodic task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct LogContext {
    pub(crate) route: &'static str,
    pub(crate) request_id: Option<u64>,
}

#[cfg(not(any(test, feature = "std")))]
mod current {
    use super::LogContext;

    static CURRENT: spin::Mutex<LogContext> = spin::Mutex::new(LogContext {
        route: "",
        request_id: None,
    });

    pub(super) fn swap(context: LogContext) -> LogContext {
        core::mem::replace(&mut *CURRENT.lock(), context)
    }

    pub(super) fn get() -> LogContext {
        *CURRENT.lock()
    }

    pub(super) fn try_get() -> Option<LogContext> {
        CURRENT.try_lock().map(|context| *context)
    }
}

#[cfg(any(test, feature = "std"))]
mod current {
    use super::LogContext;
    use std::cell::Cell;

    std::thread_local! {
        static CURRENT: Cell<LogContext> = const {
            Cell::new(LogContext { route: "", request_id: None })
        };
    }

    pub(super) fn swap(context: LogContext) -> LogContext {
        CURRENT.replace(context)
    }

    pub(super) fn get() -> LogContext {
        CURRENT.get()
    }

    pub(super) fn try_get() -> Option<LogContext> {
        CURRENT.try_with(std::cell::Cell::get).ok()
    }
}

/// The route pattern (or periodic task name) and request id being run right now; empty and
/// `None` between them. For the kernel's panic handler, which reports them; it never blocks.
///
/// ```
/// assert_eq!(sauce_app::log::current_request(), ("", None));
/// ```
pub fn current_request() -> (&'static str, Option<u64>) {
    current::try_get().map_or(("", None), |context| (context.route, context.request_id))
}

/// Hands one line to the platform, with the current route and request id. The macros call it.
#[doc(hidden)]
pub fn emit(level: Level, message: fmt::Arguments<'_>) {
    let Some(platform) = crate::platform::installed() else {
        return;
    };
    let context = current::get();
    platform.log(&LogRecord {
        level,
        route: context.route,
        request_id: context.request_id,
        message,
    });
}

/// Hands one line to the platform as if `context` were current (the router's own lines).
pub(crate) fn emit_in(context: LogContext, level: Level, message: fmt::Arguments<'_>) {
    let previous = current::swap(context);
    emit(level, message);
    current::swap(previous);
}

/// A future run with a log context set around each of its polls.
pub(crate) struct Scoped<F> {
    context: LogContext,
    future: F,
}

impl<F> Scoped<F> {
    pub(crate) fn new(context: LogContext, future: F) -> Scoped<F> {
        Scoped { context, future }
    }
}

impl<F: Future + Unpin> Future for Scoped<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<F::Output> {
        let previous = current::swap(self.context);
        let result = Pin::new(&mut self.future).poll(context);
        current::swap(previous);
        result
    }
}

/// Logs at a given [`Level`]: `log!(Level::Warn, "disk {}% full", percent)`.
#[macro_export]
macro_rules! log {
    ($level:expr, $($argument:tt)+) => {
        $crate::__private::emit($level, ::core::format_args!($($argument)+))
    };
}

/// Logs at [`Level::Debug`].
#[macro_export]
macro_rules! debug {
    ($($argument:tt)+) => { $crate::log!($crate::Level::Debug, $($argument)+) };
}

/// Logs at [`Level::Info`]: `info!("created todo {}", id)`; the line names the route and the
/// request id.
///
/// ```
/// use sauce_app::testing::HostPlatform;
///
/// let platform = HostPlatform::new().install_for_this_thread();
/// sauce_app::info!("{} todos", 3);
/// assert_eq!(platform.log_lines(), ["INFO: 3 todos"]);
/// ```
#[macro_export]
macro_rules! info {
    ($($argument:tt)+) => { $crate::log!($crate::Level::Info, $($argument)+) };
}

/// Logs at [`Level::Warn`].
#[macro_export]
macro_rules! warn {
    ($($argument:tt)+) => { $crate::log!($crate::Level::Warn, $($argument)+) };
}

/// Logs at [`Level::Error`].
#[macro_export]
macro_rules! error {
    ($($argument:tt)+) => { $crate::log!($crate::Level::Error, $($argument)+) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{block_on, HostPlatform};
    use alloc::boxed::Box;
    use alloc::format;

    #[test]
    fn records_format_with_what_is_known() {
        let with_everything = LogRecord {
            level: Level::Warn,
            route: "/todos/{id}",
            request_id: Some(7),
            message: format_args!("slow: {}ms", 12),
        };
        assert_eq!(
            format!("{with_everything}"),
            "WARN /todos/{id} #7: slow: 12ms"
        );
        let bare = LogRecord {
            level: Level::Error,
            route: "",
            request_id: None,
            message: format_args!("boom"),
        };
        assert_eq!(format!("{bare}"), "ERROR: boom");
    }

    #[test]
    fn the_context_follows_the_future_across_polls() {
        let platform = HostPlatform::new().install_for_this_thread();
        let context = LogContext {
            route: "/a/{b}",
            request_id: Some(3),
        };
        let future = Scoped::new(
            context,
            Box::pin(async {
                assert_eq!(current_request(), ("/a/{b}", Some(3)));
                crate::info!("before");
                crate::testing::yield_now().await;
                crate::warn!("after");
            }),
        );
        block_on(future);
        assert_eq!(current_request(), ("", None));
        crate::error!("outside");
        crate::debug!("details {}", 1);
        crate::log!(Level::Info, "plain");
        assert_eq!(
            platform.log_lines(),
            [
                "INFO /a/{b} #3: before",
                "WARN /a/{b} #3: after",
                "ERROR: outside",
                "DEBUG: details 1",
                "INFO: plain"
            ]
        );
    }
}
