//! Waiting for an [`InterruptSignal`] (`sauce-core`'s) with a deadline: [`WaitUntil`], the
//! executor's half of the signal, since deadlines are the executor's timers.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

pub use sauce_core::signal::{InterruptSignal, Wait};

/// Waiting for a signal or a deadline, whichever comes first.
pub trait WaitUntil {
    /// Completes once the flag is set (clearing it; output `true`) or the clock reaches
    /// `deadline` (output `false`), whichever comes first: how a driver loop waits for its
    /// device or its next timeout.
    fn wait_until(&self, deadline: crate::Instant) -> WaitOrDeadline<'_>;
}

impl WaitUntil for InterruptSignal {
    fn wait_until(&self, deadline: crate::Instant) -> WaitOrDeadline<'_> {
        WaitOrDeadline {
            wait: self.wait(),
            sleep: crate::sleep_until(deadline),
        }
    }
}

/// The future of [`WaitUntil::wait_until`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct WaitOrDeadline<'a> {
    wait: Wait<'a>,
    sleep: crate::Sleep,
}

impl Future for WaitOrDeadline<'_> {
    type Output = bool;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<bool> {
        if Pin::new(&mut self.wait).poll(context).is_ready() {
            return Poll::Ready(true);
        }
        match Pin::new(&mut self.sleep).poll(context) {
            Poll::Ready(()) => Poll::Ready(false),
            Poll::Pending => Poll::Pending,
        }
    }
}
