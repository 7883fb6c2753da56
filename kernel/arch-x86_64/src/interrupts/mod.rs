//! Interrupt descriptor table, entry stubs and dispatch.
//!
//! Vectors 0–31 are exceptions: fatal, reported by [`exceptions`]. Vectors 32–63 are for
//! devices and the local APIC timer: handlers registered with [`register_handler`] run with
//! interrupts disabled, then the local APIC gets its end-of-interrupt. Vector 255 is the
//! spurious vector and is ignored.

pub mod exceptions;

use x86_64::structures::idt::InterruptDescriptorTable;
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

static TABLE: spin::Once<InterruptDescriptorTable> = spin::Once::new();
static HANDLERS: spin::Mutex<[Option<fn()>; DEVICE_VECTORS]> = spin::Mutex::new([None; DEVICE_VECTORS]);

/// Builds and loads the IDT. Double fault, NMI and page fault run on their own stacks.
pub fn initialise() {
    let table = TABLE.call_once(|| {
        let mut table = InterruptDescriptorTable::new();
        // SAFETY: reading a table of addresses the assembler emitted; it is never written.
        let stubs = unsafe { &*(&raw const sauce_interrupt_stubs) };
        let address = |vector: usize| VirtAddr::new(stubs[vector]);
        // SAFETY (every use below): each address is the entry stub of that vector, which saves
        // the scratch registers, calls the dispatcher and returns with `iretq`; the IST
        // indices name stacks the GDT module installed in the TSS.
        macro_rules! install {
            ($($field:ident = $vector:expr),* $(,)?) => {
                $( unsafe { table.$field.set_handler_addr(address($vector)); } )*
            };
        }
        install!(
            divide_error = 0, debug = 1, breakpoint = 3, overflow = 4, bound_range_exceeded = 5,
            invalid_opcode = 6, device_not_available = 7, invalid_tss = 10,
            segment_not_present = 11, stack_segment_fault = 12, general_protection_fault = 13,
            x87_floating_point = 16, alignment_check = 17, machine_check = 18,
            simd_floating_point = 19, virtualization = 20, cp_protection_exception = 21,
            hv_injection_exception = 28, vmm_communication_exception = 29,
            security_exception = 30,
        );
        // SAFETY: as above; these three run on their own interrupt stacks.
        unsafe {
            table.non_maskable_interrupt.set_handler_addr(address(2)).set_stack_index(crate::gdt::NMI_STACK);
            table.double_fault.set_handler_addr(address(8)).set_stack_index(crate::gdt::DOUBLE_FAULT_STACK);
            table.page_fault.set_handler_addr(address(14)).set_stack_index(crate::gdt::PAGE_FAULT_STACK);
        }
        for vector in usize::from(FIRST_DEVICE_VECTOR)..64 {
            // SAFETY: as above, for a device vector.
            unsafe { table[vector as u8].set_handler_addr(address(vector)) };
        }
        // SAFETY: as above, for the spurious vector's stub.
        unsafe { table[SPURIOUS_VECTOR].set_handler_addr(VirtAddr::new(stubs[STUB_COUNT - 1])) };
        table
    });
    table.load();
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
