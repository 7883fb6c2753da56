//! Monotonic time since the kernel's first instruction, from the TSC.

use sauce_core::time::TscScale;

static SCALE: spin::Once<(TscScale, u64)> = spin::Once::new();

/// Sets the TSC frequency once it is known.
pub(crate) fn set_frequency(hz: u64) {
    if let Some(scale) = TscScale::from_hz(hz) {
        SCALE.call_once(|| (scale, hz));
    }
}

/// The TSC frequency, once known.
pub fn tsc_hz() -> Option<u64> {
    SCALE.get().map(|(_, hz)| *hz)
}

/// TSC ticks since the kernel's entry.
pub fn ticks_since_boot() -> u64 {
    sauce_arch_x86_64::cpu::read_time_stamp_counter()
        .saturating_sub(sauce_arch_x86_64::boot::entry_time_stamp())
}

/// Nanoseconds since the kernel's entry (0 until the frequency is known).
pub fn now_nanoseconds() -> u64 {
    ticks_to_nanoseconds(ticks_since_boot())
}

/// Converts a TSC tick count to nanoseconds (0 until the frequency is known).
pub fn ticks_to_nanoseconds(ticks: u64) -> u64 {
    SCALE
        .get()
        .map_or(0, |(scale, _)| scale.ticks_to_nanoseconds(ticks))
}

/// The TSC value at `nanoseconds` after entry.
pub fn deadline_ticks(nanoseconds: u64) -> u64 {
    let ticks = SCALE
        .get()
        .map_or(0, |(scale, _)| scale.nanoseconds_to_ticks(nanoseconds));
    sauce_arch_x86_64::boot::entry_time_stamp().saturating_add(ticks)
}
