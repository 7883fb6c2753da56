//! The I/O APIC: routes device interrupt lines (GSIs) to vectors on the boot processor.

/// Physical (and identity-mapped) address of the I/O APIC.
pub const BASE: u64 = 0xFEC0_0000;
const SELECT: u64 = 0x00;
const WINDOW: u64 = 0x10;
const VERSION: u32 = 0x01;
const REDIRECTION_TABLE: u32 = 0x10;
const MASKED: u32 = 1 << 16;
const LEVEL_TRIGGERED: u32 = 1 << 15;

fn write(register: u32, value: u32) {
    // SAFETY: BASE is mapped uncached; selecting a register then writing the window only
    // changes interrupt routing. Callers run with interrupts disabled or at boot, so the
    // select/window pair is not interleaved.
    unsafe {
        core::ptr::write_volatile((BASE + SELECT) as *mut u32, register);
        core::ptr::write_volatile((BASE + WINDOW) as *mut u32, value);
    }
}

fn read(register: u32) -> u32 {
    // SAFETY: as for `write`.
    unsafe {
        core::ptr::write_volatile((BASE + SELECT) as *mut u32, register);
        core::ptr::read_volatile((BASE + WINDOW) as *const u32)
    }
}

/// Number of lines the I/O APIC has.
pub fn line_count() -> u32 {
    ((read(VERSION) >> 16) & 0xFF) + 1
}

/// How a line signals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// Edge-triggered, active high (ISA devices such as the UART).
    Edge,
    /// Level-triggered, active high (virtio-mmio on Firecracker and microvm).
    Level,
}

/// Delivers line `line` as `vector` to the boot processor (APIC id 0).
pub fn route(line: u8, vector: u8, trigger: Trigger) {
    let register = REDIRECTION_TABLE + 2 * u32::from(line);
    let mut low = u32::from(vector);
    if trigger == Trigger::Level {
        low |= LEVEL_TRIGGERED;
    }
    crate::cpu::without_interrupts(|| {
        write(register + 1, 0);
        write(register, low);
    });
}

/// Masks line `line`.
pub fn mask(line: u8) {
    let register = REDIRECTION_TABLE + 2 * u32::from(line);
    crate::cpu::without_interrupts(|| write(register, MASKED));
}
