//! The panic handler: message and location on serial, then what components add to a fault
//! report (the heap's state after a failed allocation), then a failure exit.

/// Fault reports components may register at most.
const FAULT_REPORTS: usize = 4;

/// Components' additions to the fault report, registered with [`on_fault`]; read without a
/// lock by the panic handler.
static FAULT_REPORT: [spin::Once<fn()>; FAULT_REPORTS] =
    [const { spin::Once::new() }; FAULT_REPORTS];

/// Registers `report` to run when the image panics or faults, after the cause is printed: it
/// prints further lines with [`fault_line`] (the heap component names the allocation that
/// failed and the heap's state; the app runtime names the request being handled). Reports run
/// in the order registered; up to four, later ones are not kept.
pub fn on_fault(report: fn()) {
    if let Some(slot) = FAULT_REPORT.iter().find(|slot| !slot.is_completed()) {
        slot.call_once(|| report);
    }
}

/// Prints one line of a fault report on serial, without taking the console lock.
pub fn fault_line(arguments: core::fmt::Arguments<'_>) {
    crate::log::emergency_line(arguments);
}

/// Prints the calls in progress as `backtrace: 0x… 0x…` (innermost first); `sauce run` names
/// each function from the image's symbols.
pub(crate) fn backtrace() {
    let mut addresses = [0u64; 16];
    let count = sauce_arch_x86_64::backtrace::return_addresses(&mut addresses);
    if count == 0 {
        return;
    }
    crate::log::emergency_line(format_args!("backtrace:{}", Addresses(&addresses[..count])));
}

/// Addresses written as ` 0x…` each.
struct Addresses<'a>(&'a [u64]);

impl core::fmt::Display for Addresses<'_> {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0
            .iter()
            .try_for_each(|address| write!(formatter, " {address:#x}"))
    }
}

/// Runs the registered fault report, once even if it panics in turn.
pub(crate) fn report() {
    static REPORTED: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);
    if !REPORTED.swap(true, core::sync::atomic::Ordering::AcqRel) {
        for report in FAULT_REPORT.iter().map_while(spin::Once::get) {
            report();
        }
    }
}

#[panic_handler]
fn panic(information: &core::panic::PanicInfo<'_>) -> ! {
    sauce_arch_x86_64::cpu::disable_interrupts();
    let message = information.message();
    match information.location() {
        Some(location) => crate::platform::fail(format_args!(
            "PANIC at {}:{}:{}: {}",
            location.file(),
            location.line(),
            location.column(),
            message
        )),
        None => crate::platform::fail(format_args!("PANIC: {message}")),
    }
}
