//! Interrupt descriptor table, entry stubs and dispatch.
//!
//! Vectors 0–31 are exceptions: fatal, reported by [`exceptions`]. Vectors 32–63 are for
//! devices and the local APIC timer: handlers registered with [`register_handler`] run with
//! interrupts disabled, then the local APIC gets its end-of-interrupt. Vector 255 is the
//! spurious vector and is ignored.

pub mod exceptions;

use x86_64::structures::DescriptorTablePointer;
use x86_64::VirtAddr;

core::arch::global_asm!(include_str!("stubs.s"), options(att_syntax));

/// First vector for device interrupts.
pub const FIRST_DEVICE_VECTOR: u8 = 32;
/// Number of device vectors with stubs (32–63).
pub const DEVICE_VECTORS: usize = 32;
/// The spurious-interrupt vector programmed into the local APIC.
pub const SPURIOUS_VECTOR: u8 = 255;
/// Stubs in `sauce_interrupt_stubs`: vectors 0–63, then 255.
const STUB_COUNT: usize = 65;

extern "C" {
    static sauce_interrupt_stubs: [u64; STUB_COUNT];
}

/// The registers an interrupt stub saved, in stack order.
#[repr(C)]
#[derive(Debug)]
pub struct InterruptFrame {
    pub r11: u64,
    pub r10: u64,
    pub r9: u64,
    pub r8: u64,
    pub rdi: u64,
    pub rsi: u64,
    pub rdx: u64,
    pub rcx: u64,
    pub rax: u64,
    pub vector: u64,
    pub error_code: u64,
    pub instruction_pointer: u64,
    pub code_segment: u64,
    pub flags: u64,
    pub stack_pointer: u64,
    pub stack_segment: u64,
}

/// The handler of each device vector, if one is registered.
type HandlerTable = [Option<fn()>; DEVICE_VECTORS];

static HANDLERS: spin::Mutex<HandlerTable> = spin::Mutex::new([None; DEVICE_VECTORS]);

extern "C" {
    static mut sauce_interrupt_table: [[u64; 2]; 256];
}

/// The two words of a 64-bit interrupt gate to `handler`, using IST slot `stack` (0: none).
fn interrupt_gate(handler: u64, stack: u8) -> [u64; 2] {
    let low = (handler & 0xFFFF)
        | (u64::from(crate::gdt::CODE_SELECTOR) << 16)
        | (u64::from(stack) << 32)
        | (0x8E << 40) // present, ring 0, 64-bit interrupt gate (interrupts off on entry)
        | (((handler >> 16) & 0xFFFF) << 48);
    [low, handler >> 32]
}

/// Fills in and loads the IDT: every vector with a stub gets a gate; double fault, NMI and
/// page fault run on their own stacks.
pub fn initialise() {
    // SAFETY: reading a table of addresses the assembler emitted; it is never written.
    let stubs = unsafe { &sauce_interrupt_stubs };
    // SAFETY: the IDT storage is static .bss written only here, once, on the boot CPU, before
    // `lidt` makes the processor read it.
    #[allow(clippy::deref_addrof)]
    let table = unsafe { &mut *(&raw mut sauce_interrupt_table) };
    for (stub, handler) in stubs.iter().enumerate() {
        let vector = if stub == STUB_COUNT - 1 {
            usize::from(SPURIOUS_VECTOR)
        } else {
            stub
        };
        let stack = match vector {
            2 => crate::gdt::NMI_STACK,
            8 => crate::gdt::DOUBLE_FAULT_STACK,
            14 => crate::gdt::PAGE_FAULT_STACK,
            _ => 0,
        };
        table[vector] = interrupt_gate(*handler, stack);
    }
    let pointer = DescriptorTablePointer {
        limit: (256 * 16 - 1) as u16,
        base: VirtAddr::new(table.as_ptr() as u64),
    };
    // SAFETY: the table is complete, static, and each gate points at an entry stub that saves
    // the scratch registers, calls the dispatcher and returns with `iretq`.
    unsafe { x86_64::instructions::tables::lidt(&pointer) };
}

/// Runs `handler` on every interrupt at `vector` (32–63).
pub fn register_handler(vector: u8, handler: fn()) {
    let slot = usize::from(vector.wrapping_sub(FIRST_DEVICE_VECTOR));
    assert!(slot < DEVICE_VECTORS, "vector {vector} has no device stub");
    crate::cpu::without_interrupts(|| HANDLERS.lock()[slot] = Some(handler));
}

/// Called by `sauce_interrupt_common` with the saved registers.
#[no_mangle]
extern "C" fn sauce_interrupt_dispatch(frame: &mut InterruptFrame) {
    let vector = frame.vector as u8;
    if vector < FIRST_DEVICE_VECTOR {
        exceptions::report_and_stop(frame);
    }
    if vector == SPURIOUS_VECTOR {
        return;
    }
    let slot = usize::from(vector - FIRST_DEVICE_VECTOR);
    let handler = HANDLERS.lock().get(slot).copied().flatten();
    if let Some(handler) = handler {
        handler();
    }
    crate::apic::local::end_of_interrupt();
}
