//! Timers: [`sleep`], [`sleep_until`], [`now`] and the executor's deadline-ordered queue.
//!
//! A [`Sleep`] registers its deadline and its task's waker in the running executor's
//! [`TimerQueue`] (found through [`context`](crate::context)). Before idling, the executor
//! arms the platform timer for the earliest deadline; each turn of its loop wakes the tasks
//! whose deadlines have passed. The queue is only touched from task context, never from an
//! interrupt handler, so its spin lock is never contended on one core.
//!
//! A `Sleep` dropped early leaves its entry behind until the deadline, when it wakes its task
//! once for nothing (tasks must tolerate spurious polls anyway).

use alloc::collections::BinaryHeap;
use core::cmp::{Ordering, Reverse};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use core::time::Duration;

use sauce_core::time::Instant;

use crate::context;

struct TimerEntry {
    deadline: u64,
    sequence: u64,
    waker: Waker,
}

impl PartialEq for TimerEntry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for TimerEntry {}

impl PartialOrd for TimerEntry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TimerEntry {
    /// Earliest deadline first; equal deadlines in registration order.
    fn cmp(&self, other: &Self) -> Ordering {
        (self.deadline, self.sequence).cmp(&(other.deadline, other.sequence))
    }
}

#[derive(Default)]
struct Entries {
    heap: BinaryHeap<Reverse<TimerEntry>>,
    next_sequence: u64,
}

/// Wakers waiting for deadlines, earliest first.
#[derive(Default)]
pub(crate) struct TimerQueue {
    entries: spin::Mutex<Entries>,
}

impl TimerQueue {
    /// Wakes `waker` once the clock reaches `deadline` nanoseconds.
    pub(crate) fn register(&self, deadline: u64, waker: Waker) {
        let mut entries = self.entries.lock();
        let sequence = entries.next_sequence;
        entries.next_sequence += 1;
        entries.heap.push(Reverse(TimerEntry {
            deadline,
            sequence,
            waker,
        }));
    }

    /// The earliest deadline waited for.
    pub(crate) fn next_deadline(&self) -> Option<u64> {
        self.entries
            .lock()
            .heap
            .peek()
            .map(|entry| entry.0.deadline)
    }

    /// Wakes (and forgets) every waker whose deadline is at or before `now`; the lock is not
    /// held while waking.
    pub(crate) fn wake_expired(&self, now: u64) {
        loop {
            let expired = {
                let mut entries = self.entries.lock();
                match entries.heap.peek() {
                    Some(entry) if entry.0.deadline <= now => entries.heap.pop(),
                    _ => None,
                }
            };
            match expired {
                Some(Reverse(entry)) => entry.waker.wake(),
                None => return,
            }
        }
    }

    /// Number of registered wakers.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.lock().heap.len()
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
    /// The waker last registered in the timer queue.
    registered: Option<Waker>,
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
            return Poll::Ready(());
        }
        let already_registered = self
            .registered
            .as_ref()
            .is_some_and(|waker| waker.will_wake(context.waker()));
        if !already_registered {
            running
                .timers
                .register(deadline.as_nanoseconds(), context.waker().clone());
            self.registered = Some(context.waker().clone());
        }
        Poll::Pending
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
