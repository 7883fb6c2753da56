//! Host-side testing (feature `std`): a platform with a virtual clock, a test client, and a
//! tiny executor (`block_on`, `run_for`, `join_all`) — no tokio.
//!
//! On the virtual clock, time moves only when every future being driven waits for a timer:
//! the driver then jumps to the earliest one. A test of a task that sleeps an hour takes
//! microseconds, and concurrent sleeps overlap as they would on the real clock.

use std::boxed::Box;
use std::cell::Cell;
use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};
use std::vec::Vec;

mod client;
mod host_platform;

pub use client::{TestClient, TestRequest, TestResponse};
pub use host_platform::HostPlatform;

std::thread_local! {
    static HOST: Cell<Option<&'static HostPlatform>> = const { Cell::new(None) };
}

/// Records `host` as this thread's host platform (called when it is installed).
fn set_host(host: &'static HostPlatform) {
    HOST.set(Some(host));
}

/// This thread's host platform, if the installed platform is one.
fn host() -> Option<&'static HostPlatform> {
    // Installing the default platform if there is none also records it as the host.
    let _ = crate::platform::installed();
    HOST.get()
}

/// Runs `future` to completion on this thread.
///
/// # Panics
/// If the future waits on the virtual clock with no timer pending and nothing else can wake
/// it: it would wait forever.
///
/// ```
/// let answer = sauce_app::testing::block_on(async { 6 * 7 });
/// assert_eq!(answer, 42);
/// ```
pub fn block_on<F: Future>(future: F) -> F::Output {
    match drive(future, None) {
        Some(output) => output,
        None => unreachable!("drive without a time limit only returns on completion"),
    }
}

/// Drives `future` until it completes or `duration` of (virtual or real) time has passed;
/// `None` if it did not complete. For tasks that never end, like [`crate::Periodic::run`].
pub fn run_for<F: Future>(future: F, duration: Duration) -> Option<F::Output> {
    drive(future, Some(duration))
}

fn drive<F: Future>(future: F, limit: Option<Duration>) -> Option<F::Output> {
    let mut future = pin!(future);
    let signal = Arc::new(Signal::default());
    let waker = Waker::from(Arc::clone(&signal));
    let mut context = Context::from_waker(&waker);
    let host = host().filter(|host| host.is_virtual());
    let started = Instant::now();
    let virtual_deadline = host.zip(limit).map(|(host, limit)| host.elapsed() + limit);
    loop {
        signal.take();
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return Some(output);
        }
        if signal.take() {
            continue;
        }
        if let Some(host) = host {
            let next = host.next_timer();
            match (next, virtual_deadline) {
                (Some(at), Some(deadline)) if at > deadline => {
                    host.advance_to(deadline);
                    return None;
                }
                (Some(at), _) => host.advance_to(at),
                (None, Some(deadline)) => {
                    host.advance_to(deadline);
                    return None;
                }
                (None, None) => panic!(
                    "block_on: the future waits, but no timer is pending on the virtual clock \
                     and nothing else can wake it"
                ),
            }
        } else {
            let remaining = limit.map(|limit| limit.saturating_sub(started.elapsed()));
            if remaining == Some(Duration::ZERO) {
                return None;
            }
            signal.wait(remaining);
        }
    }
}

/// Wakes the driver: a flag and a condition variable.
#[derive(Default)]
struct Signal {
    woken: Mutex<bool>,
    condition: Condvar,
}

impl Signal {
    fn take(&self) -> bool {
        std::mem::take(&mut *self.woken.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn wait(&self, timeout: Option<Duration>) {
        let woken = self.woken.lock().unwrap_or_else(PoisonError::into_inner);
        let timeout = timeout.unwrap_or(Duration::from_secs(3600));
        let _ = self
            .condition
            .wait_timeout_while(woken, timeout, |woken| !*woken)
            .unwrap_or_else(PoisonError::into_inner);
    }
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        *self.woken.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.condition.notify_one();
    }
}

/// A boxed future that may borrow (a request borrowing its client).
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Completes after being polled once more: lets other futures run.
pub async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|context| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            context.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

/// Runs every future concurrently (interleaved on this thread, as the executor interleaves
/// connections) and gives their outputs in order.
///
/// ```
/// use sauce_app::testing::{block_on, join_all, yield_now};
///
/// let outputs = block_on(join_all(vec![
///     Box::pin(async { yield_now().await; 1 }) as sauce_app::testing::LocalFuture<i32>,
///     Box::pin(async { 2 }),
/// ]));
/// assert_eq!(outputs, [1, 2]);
/// ```
pub async fn join_all<T>(futures: Vec<LocalFuture<'_, T>>) -> Vec<T> {
    let mut slots: Vec<(Option<LocalFuture<'_, T>>, Option<T>)> = futures
        .into_iter()
        .map(|future| (Some(future), None))
        .collect();
    std::future::poll_fn(|context| {
        let mut pending = false;
        for (future, output) in &mut slots {
            if let Some(running) = future {
                match running.as_mut().poll(context) {
                    Poll::Ready(value) => {
                        *output = Some(value);
                        *future = None;
                    }
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    slots.into_iter().filter_map(|(_, output)| output).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_sleeps_overlap() {
        let platform = HostPlatform::new().install_for_this_thread();
        let start = platform.elapsed();
        let outputs = block_on(join_all(vec![
            Box::pin(async {
                crate::sleep(Duration::from_secs(5)).await;
                crate::monotonic_ms()
            }) as Pin<Box<dyn Future<Output = u64>>>,
            Box::pin(async {
                crate::sleep(Duration::from_secs(3)).await;
                crate::sleep(Duration::from_secs(1)).await;
                crate::monotonic_ms()
            }),
        ]));
        let start_ms = u64::try_from(start.as_millis()).unwrap();
        assert_eq!(outputs, [start_ms + 5_000, start_ms + 4_000]);
        assert_eq!(platform.elapsed() - start, Duration::from_secs(5));
    }

    #[test]
    fn run_for_stops_at_the_limit() {
        let platform = HostPlatform::new().install_for_this_thread();
        let start = platform.elapsed();
        let never = async {
            loop {
                crate::sleep(Duration::from_secs(2)).await;
            }
        };
        assert!(run_for(never, Duration::from_secs(5)).is_none());
        assert_eq!(platform.elapsed() - start, Duration::from_secs(5));
    }

    #[test]
    #[should_panic(expected = "no timer is pending")]
    fn waiting_forever_on_the_virtual_clock_is_reported() {
        HostPlatform::new().install_for_this_thread();
        block_on(std::future::pending::<()>());
    }

    #[test]
    fn real_clock_sleeps_really_wait() {
        HostPlatform::new().real_clock().install_for_this_thread();
        let started = Instant::now();
        block_on(crate::sleep(Duration::from_millis(30)));
        assert!(started.elapsed() >= Duration::from_millis(30));
        let unfinished = run_for(std::future::pending::<()>(), Duration::from_millis(20));
        assert!(unfinished.is_none());
    }
}
