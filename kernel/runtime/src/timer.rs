//! One-shot timer interrupts and idling: what an executor needs to sleep without spinning.
//!
//! The local APIC timer runs in TSC-deadline mode where the processor has it (KVM, and
//! `-cpu max` under TCG), else as a one-shot count-down calibrated against the TSC.

use sauce_arch_x86_64::apic::local::{self, TimerMode};
use sauce_arch_x86_64::cpu;

/// Vector of the local APIC timer.
pub const TIMER_VECTOR: u8 = 32;

static MODE: spin::Once<TimerMode> = spin::Once::new();

/// Programs the timer; `tsc_hz` is the TSC frequency, `apic_timer_hz` the APIC timer's when
/// already known (otherwise it is measured against the TSC).
pub(crate) fn initialise(tsc_hz: u64, apic_timer_hz: Option<u64>) -> TimerMode {
    let mode = if local::supports_tsc_deadline() {
        TimerMode::TscDeadline
    } else {
        let ticks_per_second = apic_timer_hz.unwrap_or_else(|| measure_apic_timer_hz(tsc_hz));
        TimerMode::OneShot { ticks_per_second }
    };
    // The timer wakes a halted processor; while code runs, it is the watchdog's.
    sauce_arch_x86_64::interrupts::register_handler(TIMER_VECTOR, crate::watchdog::check);
    local::configure_timer(TIMER_VECTOR, mode);
    *MODE.call_once(|| mode)
}

/// Counts APIC timer ticks over 100 µs of TSC.
fn measure_apic_timer_hz(tsc_hz: u64) -> u64 {
    let window_ticks = tsc_hz / 10_000;
    local::start_calibration_count();
    let start_count = local::current_count();
    let start = cpu::read_time_stamp_counter();
    while cpu::read_time_stamp_counter() - start < window_ticks {
        core::hint::spin_loop();
    }
    let end_count = local::current_count();
    let elapsed = cpu::read_time_stamp_counter() - start;
    u64::from(start_count - end_count) * tsc_hz / elapsed.max(1)
}

/// Requests a timer interrupt at `deadline_nanoseconds` since boot; `None` disarms.
pub fn arm(deadline_nanoseconds: Option<u64>) {
    match (MODE.get(), deadline_nanoseconds) {
        (Some(TimerMode::TscDeadline), Some(deadline)) => {
            local::arm_tsc_deadline(crate::clock::deadline_ticks(deadline).max(1));
        }
        (Some(TimerMode::TscDeadline), None) => local::arm_tsc_deadline(0),
        (Some(TimerMode::OneShot { ticks_per_second }), Some(deadline)) => {
            let remaining = deadline.saturating_sub(crate::clock::now_nanoseconds());
            let ticks = (u128::from(remaining) * u128::from(*ticks_per_second) / 1_000_000_000)
                .clamp(1, u128::from(u32::MAX));
            local::arm_one_shot(ticks as u32);
        }
        (Some(TimerMode::OneShot { .. }), None) => local::arm_one_shot(0),
        (None, _) => {}
    }
}

/// With interrupts disabled on entry: enables them and halts until the next interrupt. The
/// interrupt that ends the halt has been handled when this returns (interrupts enabled).
pub fn wait_for_interrupt() {
    cpu::enable_interrupts_and_halt();
}

/// The timer mode in use.
pub fn mode() -> Option<TimerMode> {
    MODE.get().copied()
}
