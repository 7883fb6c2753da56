//! Segment descriptors and the task state segment with one interrupt stack per fatal exception.
//!
//! The tables themselves are data (descriptor_tables.s); this module fills in the TSS
//! descriptor, loads the GDT and reloads every segment register and the task register.

use x86_64::instructions::segmentation::{Segment, CS, DS, ES, SS};
use x86_64::instructions::tables::{lgdt, load_tss};
use x86_64::structures::gdt::SegmentSelector;
use x86_64::structures::DescriptorTablePointer;
use x86_64::{PrivilegeLevel, VirtAddr};

/// IST slot (1-based, as written in an IDT gate) of the double-fault stack.
pub const DOUBLE_FAULT_STACK: u8 = 1;
/// IST slot of the NMI stack.
pub const NMI_STACK: u8 = 2;
/// IST slot of the page-fault stack.
pub const PAGE_FAULT_STACK: u8 = 3;
/// Kernel code selector.
pub const CODE_SELECTOR: u16 = 0x08;
const DATA_SELECTOR: u16 = 0x10;
const TASK_STATE_SELECTOR: u16 = 0x18;
const TASK_STATE_LIMIT: u64 = 103;

extern "C" {
    static mut sauce_gdt: [u64; 5];
    static mut sauce_gdt_task_state: [u64; 2];
    static sauce_task_state: u8;
}

/// The two words of a 64-bit available-TSS descriptor for a TSS at `base`.
fn task_state_descriptor(base: u64) -> [u64; 2] {
    let low = (TASK_STATE_LIMIT & 0xFFFF)
        | ((base & 0xFF_FFFF) << 16)
        | (0x89 << 40) // present, type 9: available 64-bit TSS
        | (((TASK_STATE_LIMIT >> 16) & 0xF) << 48)
        | (((base >> 24) & 0xFF) << 56);
    [low, base >> 32]
}

/// Loads the kernel's GDT and TSS and reloads every segment register.
pub fn initialise() {
    let descriptor = task_state_descriptor(&raw const sauce_task_state as u64);
    let table = DescriptorTablePointer {
        limit: (core::mem::size_of::<[u64; 5]>() - 1) as u16,
        base: VirtAddr::new(&raw const sauce_gdt as u64),
    };
    // SAFETY: the GDT is static data that lives for the whole program; writing the TSS
    // descriptor before `ltr` is the only write to it, done once on the boot CPU. The
    // selectors index descriptors of the right kinds: 0x08 a 64-bit code segment, 0x10 a
    // writable data segment, 0x18 the TSS, whose IST entries point at guarded stacks.
    unsafe {
        core::ptr::write_volatile(&raw mut sauce_gdt_task_state, descriptor);
        lgdt(&table);
        CS::set_reg(SegmentSelector::new(
            CODE_SELECTOR / 8,
            PrivilegeLevel::Ring0,
        ));
        let data = SegmentSelector::new(DATA_SELECTOR / 8, PrivilegeLevel::Ring0);
        DS::set_reg(data);
        ES::set_reg(data);
        SS::set_reg(data);
        load_tss(SegmentSelector::new(
            TASK_STATE_SELECTOR / 8,
            PrivilegeLevel::Ring0,
        ));
    }
}
