//! The "current executor" slot through which [`sleep`](crate::sleep) and [`now`](crate::now)
//! reach the running executor's clock and timer queue.
//!
//! A run loop fills the slot when it starts and restores the previous content when it ends.
//! In the kernel the slot is one `static` behind a spin lock: a single core runs a single
//! executor, and interrupt handlers never touch the slot, so the lock is never contended.
//! On the host (this crate's tests, or any build with the `std` feature) the slot is
//! per thread, so that tests may run executors on several threads at once.

use alloc::sync::Arc;

use crate::platform::Platform;
use crate::timer::TimerQueue;

/// What a running executor shares with the futures it polls.
#[derive(Clone)]
pub(crate) struct RunningExecutor {
    pub(crate) platform: &'static dyn Platform,
    pub(crate) timers: Arc<TimerQueue>,
}

#[cfg(not(any(test, feature = "std")))]
mod slot {
    use super::RunningExecutor;

    static CURRENT: spin::Mutex<Option<RunningExecutor>> = spin::Mutex::new(None);

    pub(super) fn replace(new: Option<RunningExecutor>) -> Option<RunningExecutor> {
        core::mem::replace(&mut *CURRENT.lock(), new)
    }

    pub(super) fn get() -> Option<RunningExecutor> {
        CURRENT.lock().clone()
    }
}

#[cfg(any(test, feature = "std"))]
mod slot {
    use super::RunningExecutor;
    use std::cell::RefCell;

    std::thread_local! {
        static CURRENT: RefCell<Option<RunningExecutor>> = const { RefCell::new(None) };
    }

    pub(super) fn replace(new: Option<RunningExecutor>) -> Option<RunningExecutor> {
        CURRENT.with(|current| current.replace(new))
    }

    pub(super) fn get() -> Option<RunningExecutor> {
        CURRENT.with(|current| current.borrow().clone())
    }
}

/// The running executor, if any.
pub(crate) fn current() -> Option<RunningExecutor> {
    slot::get()
}

/// Publishes `running` until the returned guard is dropped; the guard then disarms the timer
/// and restores whatever was published before.
pub(crate) fn enter(running: RunningExecutor) -> Entered {
    let platform = running.platform;
    Entered {
        previous: slot::replace(Some(running)),
        platform,
    }
}

/// Keeps an executor published; see [`enter`].
pub(crate) struct Entered {
    previous: Option<RunningExecutor>,
    platform: &'static dyn Platform,
}

impl Drop for Entered {
    fn drop(&mut self) {
        self.platform.arm_timer(None);
        slot::replace(self.previous.take());
    }
}
