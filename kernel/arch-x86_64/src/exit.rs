//! Ending the virtual machine: isa-debug-exit, i8042 reset, triple fault (record 0013 §4).

use x86_64::instructions::port::Port;

/// The verdict a guest reports when it stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// The guest finished its work.
    Success,
    /// The guest failed: a panic, a fault, a failed test.
    Failure,
}

/// isa-debug-exit port; QEMU exits with status `(value << 1) | 1`.
const DEBUG_EXIT_PORT: u16 = 0xF4;
/// Written for success: QEMU exits with 33.
pub const DEBUG_EXIT_SUCCESS: u8 = 0x10;
/// Written for failure: QEMU exits with 35.
pub const DEBUG_EXIT_FAILURE: u8 = 0x11;

/// TSC cycles to wait for the i8042 reset to take effect (about 0.1 s at 2 GHz).
const I8042_GRACE_CYCLES: u64 = 200_000_000;

/// Stops the machine with `code`, trying each exit path in turn.
///
/// Success: isa-debug-exit (QEMU), then an i8042 reset (Firecracker exits 0), then a triple
/// fault. Failure skips the i8042 reset, which Firecracker reports as a clean exit, and triple
/// faults (Firecracker exits 1; QEMU with `-no-reboot` exits without the success line).
pub fn exit(code: ExitCode) -> ! {
    crate::cpu::disable_interrupts();
    let value = match code {
        ExitCode::Success => DEBUG_EXIT_SUCCESS,
        ExitCode::Failure => DEBUG_EXIT_FAILURE,
    };
    // SAFETY: port 0xF4 is isa-debug-exit where present and unassigned elsewhere; writing it has
    // no effect on memory.
    unsafe { Port::<u32>::new(DEBUG_EXIT_PORT).write(u32::from(value)) };
    if code == ExitCode::Success {
        // SAFETY: 0xFE to the i8042 command port pulses the reset line; nothing in memory changes.
        unsafe { Port::<u8>::new(0x64).write(0xFE) };
        // Firecracker handles the reset on another thread: give it time before the fallback
        // triple fault, which under some KVMs is an internal error rather than a clean stop.
        let start = crate::cpu::read_time_stamp_counter();
        while crate::cpu::read_time_stamp_counter().wrapping_sub(start) < I8042_GRACE_CYCLES {
            core::hint::spin_loop();
        }
    }
    triple_fault()
}

/// Loads an empty interrupt table and raises an exception: the processor shuts down.
fn triple_fault() -> ! {
    use x86_64::structures::DescriptorTablePointer;
    use x86_64::VirtAddr;
    let empty = DescriptorTablePointer {
        limit: 0,
        base: VirtAddr::new(0),
    };
    // SAFETY: with a zero-length table every exception escalates to a triple fault, which is
    // the intent; no code runs after it.
    unsafe {
        x86_64::instructions::tables::lidt(&empty);
        core::arch::asm!("int3", options(noreturn));
    }
}
