//! The local APIC in xAPIC mode: enable, end of interrupt, and the timer in TSC-deadline or
//! one-shot mode.

/// Physical (and identity-mapped) address of the local APIC registers.
pub const BASE: u64 = 0xFEE0_0000;
const IDENTIFIER: u64 = 0x20;
const END_OF_INTERRUPT: u64 = 0xB0;
const SPURIOUS: u64 = 0xF0;
const TIMER_VECTOR_TABLE: u64 = 0x320;
const TIMER_INITIAL_COUNT: u64 = 0x380;
const TIMER_CURRENT_COUNT: u64 = 0x390;
const TIMER_DIVIDE: u64 = 0x3E0;
const TASK_PRIORITY: u64 = 0x80;
const TSC_DEADLINE_MSR: u32 = 0x6E0;
const MODE_TSC_DEADLINE: u32 = 0b10 << 17;
const MASKED: u32 = 1 << 16;

fn write(register: u64, value: u32) {
    // SAFETY: BASE is mapped uncached by paging::initialise; the register offsets are those of
    // the xAPIC, whose writes affect only the interrupt controller.
    unsafe { core::ptr::write_volatile((BASE + register) as *mut u32, value) }
}

fn read(register: u64) -> u32 {
    // SAFETY: as for `write`; reads have no side effects on memory.
    unsafe { core::ptr::read_volatile((BASE + register) as *const u32) }
}

/// Software-enables the local APIC with `spurious_vector` and accepts every priority.
pub fn enable(spurious_vector: u8) {
    write(TASK_PRIORITY, 0);
    write(SPURIOUS, 0x100 | u32::from(spurious_vector));
}

/// This processor's local APIC id (xAPIC: bits 24–31 of the ID register), the destination
/// that MSI messages name.
pub fn id() -> u8 {
    (read(IDENTIFIER) >> 24) as u8
}

/// Signals the end of the interrupt being handled.
pub fn end_of_interrupt() {
    write(END_OF_INTERRUPT, 0);
}

/// Whether the processor supports the TSC-deadline timer mode.
pub fn supports_tsc_deadline() -> bool {
    crate::cpu::cpuid(1, 0).ecx & (1 << 24) != 0
}

/// How the timer is programmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerMode {
    /// The timer fires when the TSC reaches a deadline.
    TscDeadline,
    /// A count-down at the APIC timer frequency (divide by 1), `ticks_per_second`.
    OneShot { ticks_per_second: u64 },
}

/// Sets the timer to deliver `vector` in `mode`, disarmed.
pub fn configure_timer(vector: u8, mode: TimerMode) {
    match mode {
        TimerMode::TscDeadline => write(TIMER_VECTOR_TABLE, MODE_TSC_DEADLINE | u32::from(vector)),
        TimerMode::OneShot { .. } => {
            write(TIMER_DIVIDE, 0b1011);
            write(TIMER_VECTOR_TABLE, u32::from(vector));
        }
    }
}

/// Arms the TSC-deadline timer for TSC value `deadline` (0 disarms).
pub fn arm_tsc_deadline(deadline: u64) {
    // SAFETY: IA32_TSC_DEADLINE only schedules a timer interrupt; `configure_timer` put the
    // timer in TSC-deadline mode before this is used.
    unsafe { x86_64::registers::model_specific::Msr::new(TSC_DEADLINE_MSR).write(deadline) }
}

/// Arms the one-shot timer to fire after `ticks` APIC timer ticks (0 disarms).
pub fn arm_one_shot(ticks: u32) {
    write(TIMER_INITIAL_COUNT, ticks);
}

/// Masks the timer and starts a free count-down from `u32::MAX`, for calibration.
pub fn start_calibration_count() {
    write(TIMER_DIVIDE, 0b1011);
    write(TIMER_VECTOR_TABLE, MASKED);
    write(TIMER_INITIAL_COUNT, u32::MAX);
}

/// The current count of the timer.
pub fn current_count() -> u32 {
    read(TIMER_CURRENT_COUNT)
}
