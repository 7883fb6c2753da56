//! The app-runtime component's contract with the board: takes the app's state and router
//! (built by the board from the intent's routes) and the executor; provides `app-routes` (for
//! the HTTP server) and `app-dispatch` (for the HTTP service).
use alloc::boxed::Box;

use sauce_app::{Periodic, Router};
use sauce_core::command_line::CommandLine;
use sauce_executor::Executor;
use sauce_http_server::AppRoutes;
use sauce_http_service::app::AppDispatch;

use crate::dispatch::Dispatcher;
use crate::kernel::KernelPlatform;
use crate::routes::AppRouter;
pub use crate::Configuration;

/// A task whose every poll runs under the watchdog: a poll that does not return within the
/// limit stops the image, naming the route being handled.
struct Watched<F> {
    inner: core::pin::Pin<Box<F>>,
    limit_ms: u64,
}

impl<F: core::future::Future<Output = ()>> core::future::Future for Watched<F> {
    type Output = ();

    fn poll(
        mut self: core::pin::Pin<&mut Self>,
        context: &mut core::task::Context<'_>,
    ) -> core::task::Poll<()> {
        let limit_ms = self.limit_ms;
        sauce_runtime::watchdog::start(limit_ms);
        let polled = self.inner.as_mut().poll(context);
        sauce_runtime::watchdog::stop();
        polled
    }
}

/// Installs the app API's platform (run-time values: `env_defaults` from `[app.env]`,
/// overridden by the command line's `sauce.env.KEY=`; the host's clock; randomness; timers;
/// the log) and registers the fault report that names the request being handled. Called
/// before the app's `init`, which may read all of them.
pub fn platform(
    env_defaults: &'static [(&'static str, &'static str)],
    command_line: &CommandLine<'_>,
) {
    let env = crate::environment::merged(env_defaults, command_line.iter());
    let launched_at_ms = command_line
        .get("sauce.time")
        .and_then(|text| text.parse().ok());
    let platform: &'static KernelPlatform =
        Box::leak(Box::new(KernelPlatform::new(env, launched_at_ms)));
    // Installed once per boot: a second call would find it installed and changes nothing.
    let _ = sauce_app::install(platform);
    sauce_runtime::panic::on_fault(report_request);
}

/// Takes the app's state (built by its `init` after [`platform`]) and router, and returns the
/// router for the server and the dispatcher for the service.
pub fn init<S: 'static>(
    state: &'static S,
    router: Router<S>,
    executor: &Executor,
    configuration: Configuration,
) -> (&'static dyn AppRoutes, Box<dyn AppDispatch>)
where
    Router<S>: Sync,
{
    let router: &'static Router<S> = Box::leak(Box::new(router));
    let routes: &'static AppRouter<S> = Box::leak(Box::new(AppRouter::new(router)));
    let spawner = executor.spawner();
    let room = executor.spawner();
    let has_room = Box::new(move || room.has_room());
    let limit_ms = configuration.watchdog_ms;
    let spawn = Box::new(move |task: sauce_app::BoxFuture<()>| {
        if !spawner.has_room() {
            return Err(task);
        }
        // Cannot fail: a slot is free and the executor runs for the whole boot.
        let _ = spawner.spawn(Watched {
            inner: Box::pin(task),
            limit_ms,
        });
        Ok(())
    });
    let run_now = Box::new(move |call: &mut sauce_app::Call| {
        sauce_runtime::watchdog::start(limit_ms);
        let response = crate::dispatch::run_once(call);
        sauce_runtime::watchdog::stop();
        response
    });
    (
        routes,
        Box::new(Dispatcher::new(
            router,
            state,
            run_now,
            (spawn, has_room),
            configuration.queue_timeout_ms,
        )),
    )
}

/// Runs `task` at its period for the rest of the run, under the watchdog.
pub fn every<S: 'static>(
    executor: &Executor,
    state: &'static S,
    task: Periodic<S>,
    configuration: Configuration,
) {
    let name = task.name();
    executor
        .spawn(Watched {
            inner: Box::pin(task.run(state)),
            limit_ms: configuration.watchdog_ms,
        })
        .unwrap_or_else(|error| panic!("app: cannot start the periodic task {name}: {error:?}"));
}

/// The fault report's line naming the request (or periodic task) in progress.
fn report_request() {
    let (route, request_id) = sauce_app::log::current_request();
    match (route.is_empty(), request_id) {
        (true, _) => {}
        (false, Some(id)) => sauce_runtime::panic::fault_line(format_args!(
            "app: while handling {route} (request #{id})"
        )),
        (false, None) => {
            sauce_runtime::panic::fault_line(format_args!("app: while running the task {route}"))
        }
    }
}
