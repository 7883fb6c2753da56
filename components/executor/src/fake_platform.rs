//! A simulated machine for tests: a clock that jumps to the next event when the core halts.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::platform::Platform;

type Interrupt = Box<dyn FnOnce() + Send>;

/// Simulated clock, one-shot timer and interrupt controller.
///
/// `wait_for_interrupt` delivers the interrupts raised while interrupts were disabled; if
/// there are none, it jumps the clock to the earliest of the armed timer and the scheduled
/// device interrupts, and delivers that. Halting with nothing that could ever wake the core
/// panics: in a real machine that is a hang, usually a lost wake-up.
#[derive(Default)]
pub(crate) struct FakePlatform {
    now: AtomicU64,
    interrupts_disabled: AtomicBool,
    armed: Mutex<Option<u64>>,
    arm_history: Mutex<Vec<Option<u64>>>,
    halts: AtomicUsize,
    held_interrupts: Mutex<Vec<Interrupt>>,
    scheduled: Mutex<BTreeMap<(u64, usize), Interrupt>>,
    disable_hook: Mutex<Option<Interrupt>>,
    held_at_disable: Mutex<Option<Interrupt>>,
}

impl FakePlatform {
    pub(crate) fn leaked() -> &'static FakePlatform {
        Box::leak(Box::default())
    }

    /// Raises a device interrupt now: its handler runs at once, or when interrupts are next
    /// enabled if they are disabled.
    pub(crate) fn raise(&self, handler: impl FnOnce() + Send + 'static) {
        if self.interrupts_disabled.load(Ordering::SeqCst) {
            self.held_interrupts.lock().unwrap().push(Box::new(handler));
        } else {
            handler();
        }
    }

    /// Schedules a device interrupt at `nanoseconds` on the simulated clock.
    pub(crate) fn raise_at(&self, nanoseconds: u64, handler: impl FnOnce() + Send + 'static) {
        let mut scheduled = self.scheduled.lock().unwrap();
        let key = (nanoseconds, scheduled.len());
        scheduled.insert(key, Box::new(handler));
    }

    /// Runs `hook` (as an interrupt handler) during the next `disable_interrupts`, just
    /// before interrupts are actually masked: the narrowest window before the idle check.
    pub(crate) fn on_next_disable(&self, hook: impl FnOnce() + Send + 'static) {
        *self.disable_hook.lock().unwrap() = Some(Box::new(hook));
    }

    /// Raises `handler` as a device interrupt right after the next `disable_interrupts` has
    /// masked interrupts: the CPU holds it until `wait_for_interrupt` unmasks them.
    pub(crate) fn raise_after_next_disable(&self, handler: impl FnOnce() + Send + 'static) {
        *self.held_at_disable.lock().unwrap() = Some(Box::new(handler));
    }

    pub(crate) fn arm_history(&self) -> Vec<Option<u64>> {
        self.arm_history.lock().unwrap().clone()
    }

    pub(crate) fn halts(&self) -> usize {
        self.halts.load(Ordering::SeqCst)
    }

    pub(crate) fn advance(&self, nanoseconds: u64) {
        self.now.fetch_add(nanoseconds, Ordering::SeqCst);
    }

    fn deliver_held_interrupts(&self) -> bool {
        let held: Vec<_> = self.held_interrupts.lock().unwrap().drain(..).collect();
        let any = !held.is_empty();
        held.into_iter().for_each(|handler| handler());
        any
    }
}

impl Platform for FakePlatform {
    fn now_nanoseconds(&self) -> u64 {
        self.now.load(Ordering::SeqCst)
    }

    fn arm_timer(&self, deadline_nanoseconds: Option<u64>) {
        *self.armed.lock().unwrap() = deadline_nanoseconds;
        self.arm_history.lock().unwrap().push(deadline_nanoseconds);
    }

    fn disable_interrupts(&self) {
        let hook = self.disable_hook.lock().unwrap().take();
        if let Some(hook) = hook {
            hook();
        }
        self.interrupts_disabled.store(true, Ordering::SeqCst);
        let held = self.held_at_disable.lock().unwrap().take();
        if let Some(handler) = held {
            self.raise(handler);
        }
    }

    fn enable_interrupts(&self) {
        self.interrupts_disabled.store(false, Ordering::SeqCst);
        self.deliver_held_interrupts();
    }

    fn wait_for_interrupt(&self) {
        assert!(
            self.interrupts_disabled.load(Ordering::SeqCst),
            "halt with interrupts enabled"
        );
        self.halts.fetch_add(1, Ordering::SeqCst);
        self.interrupts_disabled.store(false, Ordering::SeqCst);
        if self.deliver_held_interrupts() {
            return;
        }
        let timer = *self.armed.lock().unwrap();
        let device = self
            .scheduled
            .lock()
            .unwrap()
            .first_key_value()
            .map(|(key, _)| *key);
        match (timer, device) {
            (Some(deadline), Some((at, _))) if deadline <= at => self.fire_timer(deadline),
            (_, Some(key)) => {
                let handler = self.scheduled.lock().unwrap().remove(&key).unwrap();
                self.now.fetch_max(key.0, Ordering::SeqCst);
                handler();
            }
            (Some(deadline), None) => self.fire_timer(deadline),
            (None, None) => panic!("halted with no interrupt that could ever come: lost wake-up?"),
        }
    }
}

impl FakePlatform {
    fn fire_timer(&self, deadline: u64) {
        self.now.fetch_max(deadline, Ordering::SeqCst);
        *self.armed.lock().unwrap() = None;
    }
}
