//! [`Platform`]: what the executor needs from the machine.

/// The clock, timer and interrupt control the executor runs on.
///
/// The kernel implements it with the TSC (clock), the LAPIC one-shot timer and `cli`/`sti`/
/// `hlt`; tests implement it with a simulated clock. It is `Sync` because the running
/// executor publishes `&'static dyn Platform` for [`now`](crate::now) and
/// [`sleep`](crate::sleep).
pub trait Platform: Sync {
    /// Nanoseconds since boot; never decreases.
    fn now_nanoseconds(&self) -> u64;

    /// Arms the one-shot timer to interrupt at `deadline_nanoseconds` (or as soon as possible
    /// if that is already past), replacing any earlier setting; `None` disarms it.
    fn arm_timer(&self, deadline_nanoseconds: Option<u64>);

    /// Masks interrupts (`cli`).
    fn disable_interrupts(&self);

    /// Unmasks interrupts (`sti`).
    fn enable_interrupts(&self);

    /// Called with interrupts disabled: enables them and halts in one step (`sti; hlt`), so
    /// an interrupt already pending, or arriving in between, ends the halt. Returns with
    /// interrupts enabled once an interrupt has been handled.
    fn wait_for_interrupt(&self);
}
