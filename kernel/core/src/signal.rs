//! [`InterruptSignal`]: an interrupt handler notifies, a task awaits (with a deadline through
//! the executor's `WaitUntil`).

use core::future::Future;
use core::pin::Pin;
use core::sync::atomic::{fence, AtomicBool, Ordering};
use core::task::{Context, Poll, Waker};

/// A flag that an interrupt handler raises and one task awaits.
///
/// [`notify`](InterruptSignal::notify) sets the flag and wakes the waiting task; each
/// [`wait`](InterruptSignal::wait) completes once the flag is set and clears it, so several
/// notifications before the task runs count as one (the task should then drain its device).
///
/// `notify` is safe in an interrupt handler: it never allocates or frees, and it only *tries*
/// the lock guarding the waiter. Task code holds that lock briefly; if the handler interrupted
/// it there, the task re-checks the flag after releasing the lock, so the notification is seen.
///
/// One task waits on a signal at a time: a second waiter replaces the first's waker.
///
/// ```
/// use sauce_core::signal::InterruptSignal;
/// static SERIAL_RECEIVED: InterruptSignal = InterruptSignal::new();
/// // interrupt handler:   SERIAL_RECEIVED.notify();
/// // task:                SERIAL_RECEIVED.wait().await;
/// # SERIAL_RECEIVED.notify();
/// # assert!(SERIAL_RECEIVED.take());
/// ```
#[derive(Debug, Default)]
pub struct InterruptSignal {
    pending: AtomicBool,
    waiter: spin::Mutex<Option<Waker>>,
}

impl InterruptSignal {
    /// A signal not yet notified, usable as a `static`.
    pub const fn new() -> Self {
        Self {
            pending: AtomicBool::new(false),
            waiter: spin::Mutex::new(None),
        }
    }

    /// Raises the flag and wakes the waiting task. Safe to call from an interrupt handler.
    pub fn notify(&self) {
        self.pending.store(true, Ordering::SeqCst);
        // Orders the flag before the lock attempt; pairs with the fence in `Wait::poll`.
        fence(Ordering::SeqCst);
        if let Some(waiter) = self.waiter.try_lock() {
            if let Some(waker) = waiter.as_ref() {
                waker.wake_by_ref();
            }
        }
    }

    /// Clears the flag, returning whether it was set (a non-blocking wait).
    pub fn take(&self) -> bool {
        self.pending.swap(false, Ordering::SeqCst)
    }

    /// Completes once the flag is set, and clears it.
    pub fn wait(&self) -> Wait<'_> {
        Wait { signal: self }
    }
}

/// The future of [`InterruptSignal::wait`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Wait<'a> {
    signal: &'a InterruptSignal,
}

impl Future for Wait<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.signal.take() {
            return Poll::Ready(());
        }
        let replaced = {
            let mut waiter = self.signal.waiter.lock();
            match waiter.as_ref() {
                Some(waker) if waker.will_wake(context.waker()) => None,
                _ => waiter.replace(context.waker().clone()),
            }
        };
        // The old waker is dropped in task context, after the lock is released.
        drop(replaced);
        // A notification that found the lock taken is seen here.
        fence(Ordering::SeqCst);
        if self.signal.take() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::sync::atomic::AtomicUsize;
    use std::sync::Arc;
    use std::task::Wake;

    struct CountingWaker(AtomicUsize);

    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn poll(signal: &InterruptSignal, waker: &Waker) -> Poll<()> {
        Pin::new(&mut signal.wait()).poll(&mut Context::from_waker(waker))
    }

    #[test]
    fn notifications_coalesce_and_complete_one_wait() {
        let signal = InterruptSignal::new();
        let waker = Waker::noop();
        signal.notify();
        signal.notify();
        signal.notify();
        assert_eq!(poll(&signal, waker), Poll::Ready(()));
        assert_eq!(poll(&signal, waker), Poll::Pending);
    }

    #[test]
    fn notify_wakes_the_registered_waiter() {
        let signal = InterruptSignal::new();
        let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
        let waker = Waker::from(counter.clone());
        assert_eq!(poll(&signal, &waker), Poll::Pending);
        assert_eq!(
            poll(&signal, &waker),
            Poll::Pending,
            "same waker: registered once"
        );
        signal.notify();
        assert_eq!(counter.0.load(Ordering::Relaxed), 1);
        assert_eq!(poll(&signal, &waker), Poll::Ready(()));
    }

    #[test]
    fn a_notification_during_registration_is_not_lost() {
        let signal = InterruptSignal::new();
        // The "interrupt" arrives while task code holds the lock: the wake is skipped…
        let guard = signal.waiter.lock();
        signal.notify();
        drop(guard);
        // …but the flag is up, so the next poll completes.
        assert_eq!(poll(&signal, Waker::noop()), Poll::Ready(()));
        assert!(!signal.take());
    }
}
