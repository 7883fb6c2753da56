//! Timers: [`sleep`], [`sleep_until`], [`now`] and the executor's deadline-ordered queue.
//!
//! A [`Sleep`] registers its deadline and its task's waker in the running executor's
//! [`TimerQueue`] (found through [`context`](crate::context)). Before idling, the executor
//! arms the platform timer for the earliest deadline; each turn of its loop wakes the tasks
//! whose deadlines have passed. The queue is only touched from task context, never from an
//! interrupt handler, so its spin lock is never contended on one core.
//!
//! A `Sleep` that completes or is dropped early takes its entry out of the queue, so the queue
//! holds only live sleeps: a task that waits with a deadline and is woken earlier by an
//! interrupt (the network task, on every request) leaves nothing behind. Before this, each such
//! wait left an entry that later woke the task for nothing: a third of the guest's
//! instructions per HTTP request under load went to those wake-ups (record 0011).

use alloc::vec::Vec;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use core::time::Duration;

use sauce_core::time::Instant;

use crate::context;

/// One registration: its deadline (nanoseconds), then its order of registration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TimerKey {
    deadline: u64,
    sequence: u64,
}

#[derive(Default)]
struct Entries {
    /// Sorted latest first, so the earliest deadline is at the end.
    pending: Vec<(TimerKey, Waker)>,
    next_sequence: u64,
}

/// Wakers waiting for deadlines, earliest first; a registration can be cancelled.
#[derive(Default)]
pub(crate) struct TimerQueue {
    entries: spin::Mutex<Entries>,
}

impl TimerQueue {
    /// Wakes `waker` once the clock reaches `deadline` nanoseconds, unless the returned key is
    /// cancelled first.
    pub(crate) fn register(&self, deadline: u64, waker: Waker) -> TimerKey {
        let mut entries = self.entries.lock();
        let key = TimerKey {
            deadline,
            sequence: entries.next_sequence,
        };
        entries.next_sequence += 1;
        let index = entries.pending.partition_point(|(other, _)| *other > key);
        entries.pending.insert(index, (key, waker));
        key
    }

    /// Forgets the registration `key`, if it has not fired yet.
    pub(crate) fn cancel(&self, key: TimerKey) {
        let removed = {
            let mut entries = self.entries.lock();
            match entries
                .pending
                .binary_search_by(|(other, _)| key.cmp(other))
            {
                Ok(index) => Some(entries.pending.remove(index)),
                Err(_) => None,
            }
        };
        // The waker is dropped after the lock is released.
        drop(removed);
    }

    /// The earliest deadline waited for.
    pub(crate) fn next_deadline(&self) -> Option<u64> {
        self.entries
            .lock()
            .pending
            .last()
            .map(|(key, _)| key.deadline)
    }

    /// Wakes (and forgets) every waker whose deadline is at or before `now`; the lock is not
    /// held while waking.
    pub(crate) fn wake_expired(&self, now: u64) {
        loop {
            let expired = {
                let mut entries = self.entries.lock();
                match entries.pending.last() {
                    Some((key, _)) if key.deadline <= now => entries.pending.pop(),
                    _ => None,
                }
            };
            match expired {
                Some((_, waker)) => waker.wake(),
                None => return,
            }
        }
    }

    /// Number of registered wakers.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.lock().pending.len()
    }
}

/// The current time, read from the running executor's platform clock.
///
/// # Panics
///
/// Outside a running executor (in a task, or a future given to `block_on`); see [`try_now`].
pub fn now() -> Instant {
    try_now().expect("sauce-executor: now() called outside a running executor")
}

/// The current time, or `None` outside a running executor.
pub fn try_now() -> Option<Instant> {
    context::current().map(|running| Instant::from_nanoseconds(running.platform.now_nanoseconds()))
}

/// Completes once `duration` has passed, counted from its first poll.
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        deadline: Deadline::After(duration),
        registered: None,
    }
}

/// Completes once the clock reaches `deadline`.
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        deadline: Deadline::At(deadline),
        registered: None,
    }
}

#[derive(Debug)]
enum Deadline {
    After(Duration),
    At(Instant),
}

/// The future of [`sleep`] and [`sleep_until`]. Polling it outside a running executor panics.
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    deadline: Deadline,
    /// The registration in the timer queue, and the waker it holds.
    registered: Option<(TimerKey, Waker)>,
}

impl Sleep {
    /// The deadline, once known (after the first poll, for [`sleep`]).
    pub fn deadline(&self) -> Option<Instant> {
        match self.deadline {
            Deadline::At(deadline) => Some(deadline),
            Deadline::After(_) => None,
        }
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        let running =
            context::current().expect("sauce-executor: Sleep polled outside a running executor");
        let now = Instant::from_nanoseconds(running.platform.now_nanoseconds());
        let deadline = match self.deadline {
            Deadline::At(deadline) => deadline,
            Deadline::After(duration) => {
                let deadline = now + duration;
                self.deadline = Deadline::At(deadline);
                deadline
            }
        };
        if now >= deadline {
            if let Some((key, _)) = self.registered.take() {
                running.timers.cancel(key);
            }
            return Poll::Ready(());
        }
        let already_registered = self
            .registered
            .as_ref()
            .is_some_and(|(_, waker)| waker.will_wake(context.waker()));
        if !already_registered {
            if let Some((key, _)) = self.registered.take() {
                running.timers.cancel(key);
            }
            let key = running
                .timers
                .register(deadline.as_nanoseconds(), context.waker().clone());
            self.registered = Some((key, context.waker().clone()));
        }
        Poll::Pending
    }
}

impl Drop for Sleep {
    /// Takes the registration out of the queue: a sleep dropped early wakes nobody later.
    fn drop(&mut self) {
        if let Some((key, _)) = self.registered.take() {
            if let Some(running) = context::current() {
                running.timers.cancel(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::sync::Arc;
    use alloc::task::Wake;
    use core::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

    struct CountingWaker(AtomicUsize);

    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, AtomicOrdering::Relaxed);
        }
    }

    #[test]
    fn wakes_expired_entries_in_deadline_order() {
        let queue = TimerQueue::default();
        let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
        for deadline in [30, 10, 20, 10] {
            queue.register(deadline, Waker::from(counter.clone()));
        }
        assert_eq!(queue.next_deadline(), Some(10));
        queue.wake_expired(9);
        assert_eq!(counter.0.load(AtomicOrdering::Relaxed), 0);
        queue.wake_expired(20);
        assert_eq!(counter.0.load(AtomicOrdering::Relaxed), 3);
        assert_eq!((queue.len(), queue.next_deadline()), (1, Some(30)));
        queue.wake_expired(u64::MAX);
        assert_eq!(queue.next_deadline(), None);
    }

    #[test]
    fn a_cancelled_registration_never_wakes() {
        let queue = TimerQueue::default();
        let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
        let keys: Vec<TimerKey> = [20, 10, 10, 30]
            .into_iter()
            .map(|deadline| queue.register(deadline, Waker::from(counter.clone())))
            .collect();
        queue.cancel(keys[2]);
        queue.cancel(keys[2]);
        queue.cancel(keys[3]);
        assert_eq!((queue.len(), queue.next_deadline()), (2, Some(10)));
        queue.wake_expired(u64::MAX);
        assert_eq!(counter.0.load(AtomicOrdering::Relaxed), 2);
        queue.cancel(keys[0]);
        assert_eq!(queue.len(), 0);
    }

    #[test]
    fn the_clock_is_unavailable_outside_an_executor() {
        assert_eq!(try_now(), None);
        assert_eq!(
            sleep_until(Instant::from_nanoseconds(5)).deadline(),
            Some(Instant(5))
        );
        assert_eq!(sleep(Duration::from_secs(1)).deadline(), None);
    }

    #[test]
    #[should_panic(expected = "outside a running executor")]
    fn now_panics_outside_an_executor() {
        now();
    }
}
