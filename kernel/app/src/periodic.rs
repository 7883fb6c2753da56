//! Background work: a task the board runs every N seconds on the executor.

use core::future::Future;
use core::time::Duration;

use crate::handler::BoxFuture;
use crate::log::{LogContext, Scoped};
use crate::platform::{monotonic_ms, sleep};

/// A periodic task's function: takes the app's state, gives a future of one run.
pub type TaskFunction<S> = fn(&'static S) -> BoxFuture<()>;

/// A task run every `every`, at a fixed rate: one period after boot, then each period after
/// the previous start. Runs that would fall while the previous one is still going are
/// skipped, never queued up. Log lines written by the task name it.
///
/// ```
/// use core::time::Duration;
/// use sauce_app::{periodic, Periodic, Shared};
///
/// struct App { ticks: Shared<u64> }
///
/// async fn tick(app: &'static App) {
///     app.ticks.with_mut(|ticks| *ticks += 1);
/// }
///
/// let every_second: Periodic<App> = periodic!(Duration::from_secs(1), tick);
/// assert_eq!(every_second.name(), "tick");
/// let app: &'static App = Box::leak(Box::new(App { ticks: Shared::new(0) }));
/// sauce_app::testing::block_on(every_second.run_once(app));
/// assert_eq!(app.ticks.get(), 1);
/// ```
#[derive(Clone, Copy)]
pub struct Periodic<S: 'static> {
    name: &'static str,
    every: Duration,
    task: TaskFunction<S>,
}

impl<S: 'static> Periodic<S> {
    /// A task named `name` (in log lines) running `task` every `every` (at least 1 ms).
    pub fn new(name: &'static str, every: Duration, task: TaskFunction<S>) -> Periodic<S> {
        Periodic { name, every, task }
    }

    /// The name log lines carry.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The period.
    pub fn every(&self) -> Duration {
        self.every
    }

    /// Runs the task once, now (for tests).
    pub async fn run_once(&self, state: &'static S) {
        let context = LogContext {
            route: self.name,
            request_id: None,
        };
        Scoped::new(context, (self.task)(state)).await;
    }

    /// Runs the task forever at its period; the board spawns this on the executor.
    pub async fn run(self, state: &'static S) {
        let period = u64::try_from(self.every.as_millis())
            .unwrap_or(u64::MAX)
            .max(1);
        let mut next = monotonic_ms().saturating_add(period);
        loop {
            let now = monotonic_ms();
            if next > now {
                sleep(Duration::from_millis(next - now)).await;
            }
            self.run_once(state).await;
            next = next.saturating_add(period);
            let now = monotonic_ms();
            if next <= now {
                // Skip the starts missed while the task ran; stay on the original grid.
                next = now.saturating_add(period - (now - next) % period);
            }
        }
    }
}

/// Wraps an `async fn(&'static S)` (or `async fn()`) into a [`Periodic`] named after it.
///
/// `periodic!(every, path::to::function)`, `every` a [`Duration`].
#[macro_export]
macro_rules! periodic {
    ($every:expr, $function:path) => {
        $crate::Periodic::new(
            ::core::stringify!($function),
            $every,
            |state| -> $crate::BoxFuture<()> {
                $crate::__private::Box::pin($crate::__private::TaskFunctionShape::call(
                    $function, state,
                ))
            },
        )
    };
}

/// The two shapes of task function, told apart by their argument lists (`Arguments`).
///
/// Not for use outside the [`periodic!`] macro.
#[doc(hidden)]
pub trait TaskFunctionShape<S: 'static, Arguments> {
    /// The task's future.
    type Future: Future<Output = ()> + 'static;
    /// Calls the task.
    fn call(self, state: &'static S) -> Self::Future;
}

impl<S: 'static, F, Fut> TaskFunctionShape<S, (&'static S,)> for F
where
    F: FnOnce(&'static S) -> Fut,
    Fut: Future<Output = ()> + 'static,
{
    type Future = Fut;

    fn call(self, state: &'static S) -> Fut {
        self(state)
    }
}

impl<S: 'static, F, Fut> TaskFunctionShape<S, ()> for F
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ()> + 'static,
{
    type Future = Fut;

    fn call(self, _state: &'static S) -> Fut {
        self()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{run_for, HostPlatform};
    use crate::Shared;
    use alloc::vec::Vec;

    struct Ticks {
        at: Shared<Vec<u64>>,
    }

    async fn record(state: &'static Ticks) {
        crate::info!("tick");
        state.at.with_mut(|at| at.push(monotonic_ms()));
    }

    async fn slow(state: &'static Ticks) {
        state.at.with_mut(|at| at.push(monotonic_ms()));
        sleep(Duration::from_millis(2_500)).await;
    }

    async fn stateless() {}

    fn leak(ticks: Ticks) -> &'static Ticks {
        alloc::boxed::Box::leak(alloc::boxed::Box::new(ticks))
    }

    #[test]
    fn runs_at_a_fixed_rate_from_one_period_after_start() {
        let platform = HostPlatform::new().install_for_this_thread();
        let state = leak(Ticks {
            at: Shared::new(Vec::new()),
        });
        let task: Periodic<Ticks> = periodic!(Duration::from_secs(1), record);
        let start = monotonic_ms();
        assert!(run_for(task.run(state), Duration::from_millis(3_500)).is_none());
        let relative: Vec<u64> = state.at.get().iter().map(|at| at - start).collect();
        assert_eq!(relative, [1_000, 2_000, 3_000]);
        assert_eq!(platform.log_lines(), ["INFO record: tick"; 3]);
    }

    #[test]
    fn slow_runs_skip_missed_starts() {
        HostPlatform::new().install_for_this_thread();
        let state = leak(Ticks {
            at: Shared::new(Vec::new()),
        });
        let task: Periodic<Ticks> = periodic!(Duration::from_secs(1), slow);
        let start = monotonic_ms();
        assert!(run_for(task.run(state), Duration::from_millis(7_000)).is_none());
        let relative: Vec<u64> = state.at.get().iter().map(|at| at - start).collect();
        assert_eq!(relative, [1_000, 4_000, 7_000]);
    }

    #[test]
    fn stateless_tasks_fit_any_state() {
        let task: Periodic<Ticks> = periodic!(Duration::from_millis(0), stateless);
        assert_eq!(task.every(), Duration::ZERO);
        let state = leak(Ticks {
            at: Shared::new(Vec::new()),
        });
        crate::testing::block_on(task.run_once(state));
    }
}
