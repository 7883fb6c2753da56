//! [`yield_now`]: gives the executor a turn in the middle of long work (a key derivation), so
//! a task never holds the CPU past the handler watchdog.
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// Completes on its second poll: the first wakes the task and returns `Pending`, so every
/// executor (the image's, or [`host::block_on`](crate::host)) runs what else is ready first.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future of [`yield_now`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        context.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::sync::Arc;
    use alloc::task::Wake;
    use core::sync::atomic::{AtomicUsize, Ordering};
    use core::task::Waker;

    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn it_is_pending_once_and_wakes_its_task() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let mut context = Context::from_waker(&waker);
        let mut future = core::pin::pin!(yield_now());
        assert_eq!(future.as_mut().poll(&mut context), Poll::Pending);
        assert_eq!(count.0.load(Ordering::SeqCst), 1, "woken to run again");
        assert_eq!(future.as_mut().poll(&mut context), Poll::Ready(()));
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
    }
}
