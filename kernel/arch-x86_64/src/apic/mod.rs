//! Interrupt controllers: the local APIC (timer, end of interrupt) and the I/O APIC (device
//! lines), plus masking the legacy 8259 PICs that q35 and Firecracker still have.

pub mod io;
pub mod local;

use x86_64::instructions::port::Port;

/// Masks every line of both 8259 PICs so only the APICs deliver interrupts.
pub fn mask_legacy_pics() {
    // SAFETY: writing 0xFF to the PIC data ports masks their lines; where no PIC exists the
    // ports are unassigned. No memory is affected.
    unsafe {
        Port::<u8>::new(0x21).write(0xFF);
        Port::<u8>::new(0xA1).write(0xFF);
    }
}
