//! Fatal exceptions: print the cause on serial and end the VM with a failure exit.

use super::InterruptFrame;
use core::fmt::Write;

/// Called after an exception report, instead of the default exit; the runtime installs one
/// that prints its exit line.
static FATAL_HANDLER: spin::Once<fn(core::fmt::Arguments<'_>) -> !> = spin::Once::new();

/// Installs the function that ends the VM after a fatal exception or panic.
pub fn set_fatal_handler(handler: fn(core::fmt::Arguments<'_>) -> !) {
    FATAL_HANDLER.call_once(|| handler);
}

/// Name of an exception vector.
pub fn exception_name(vector: u8) -> &'static str {
    match vector {
        0 => "divide error",
        1 => "debug",
        2 => "non-maskable interrupt",
        3 => "breakpoint",
        4 => "overflow",
        5 => "bound range exceeded",
        6 => "invalid opcode",
        7 => "device not available",
        8 => "double fault",
        10 => "invalid TSS",
        11 => "segment not present",
        12 => "stack-segment fault",
        13 => "general protection fault",
        14 => "page fault",
        16 => "x87 floating-point error",
        17 => "alignment check",
        18 => "machine check",
        19 => "SIMD floating-point error",
        20 => "virtualization exception",
        21 => "control protection",
        _ => "reserved exception",
    }
}

/// Which guard page, if any, holds `address`.
fn guard_page_owner(address: u64) -> Option<&'static str> {
    crate::paging::guard_pages()
        .into_iter()
        .find(|(start, _)| address >= *start && address < *start + 4096)
        .map(|(_, name)| name)
}

/// What a page-fault error code says.
struct PageFaultCause(u64);

impl core::fmt::Display for PageFaultCause {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let code = self.0;
        let access = if code & 16 != 0 {
            "instruction fetch"
        } else if code & 2 != 0 {
            "write"
        } else {
            "read"
        };
        let page = if code & 1 != 0 {
            "protection violation"
        } else {
            "page not present"
        };
        write!(formatter, "{access}, {page}")
    }
}

/// Prints the exception and stops the VM with a failure exit.
pub fn report_and_stop(frame: &InterruptFrame) -> ! {
    let vector = frame.vector as u8;
    let faulting_address = x86_64::registers::control::Cr2::read_raw();
    let mut message = crate::console::FixedText::<256>::new();
    let _ = write!(
        message,
        "EXCEPTION: {} (vector {vector}), error code {:#x}, RIP {:#x}, RSP {:#x}",
        exception_name(vector),
        frame.error_code,
        frame.instruction_pointer,
        frame.stack_pointer
    );
    if vector == 14 {
        let _ = write!(
            message,
            ", CR2 {faulting_address:#x} ({})",
            PageFaultCause(frame.error_code)
        );
        if let Some(stack) = guard_page_owner(faulting_address) {
            let _ = write!(
                message,
                "; stack overflow: the guard page of the {stack} stack was hit"
            );
        }
    }
    match FATAL_HANDLER.get() {
        Some(handler) => handler(format_args!("{}", message.as_str())),
        None => {
            let mut serial = crate::serial::SerialPort::new(crate::serial::COM1);
            let _ = writeln!(serial, "{}\r", message.as_str());
            crate::exit::exit(crate::exit::ExitCode::Failure)
        }
    }
}
