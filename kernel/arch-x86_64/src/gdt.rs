//! Segment descriptors and the task state segment with one interrupt stack per fatal exception.

use x86_64::instructions::segmentation::{Segment, CS, DS, ES, SS};
use x86_64::instructions::tables::load_tss;
use x86_64::structures::gdt::{Descriptor, GlobalDescriptorTable, SegmentSelector};
use x86_64::structures::tss::TaskStateSegment;
use x86_64::VirtAddr;

/// IST slot (0-based) of the double-fault stack.
pub const DOUBLE_FAULT_STACK: u16 = 0;
/// IST slot of the NMI stack.
pub const NMI_STACK: u16 = 1;
/// IST slot of the page-fault stack.
pub const PAGE_FAULT_STACK: u16 = 2;

extern "C" {
    static sauce_double_fault_stack_top: u8;
    static sauce_nmi_stack_top: u8;
    static sauce_page_fault_stack_top: u8;
}

static TASK_STATE: spin::Once<TaskStateSegment> = spin::Once::new();
static TABLE: spin::Once<(GlobalDescriptorTable, SegmentSelector, SegmentSelector, SegmentSelector)> =
    spin::Once::new();

/// Loads the kernel's GDT and TSS and reloads every segment register.
pub fn initialise() {
    let task_state = TASK_STATE.call_once(|| {
        let mut task_state = TaskStateSegment::new();
        let top = |symbol: *const u8| VirtAddr::new(symbol as u64);
        task_state.interrupt_stack_table[usize::from(DOUBLE_FAULT_STACK)] =
            top(&raw const sauce_double_fault_stack_top);
        task_state.interrupt_stack_table[usize::from(NMI_STACK)] = top(&raw const sauce_nmi_stack_top);
        task_state.interrupt_stack_table[usize::from(PAGE_FAULT_STACK)] =
            top(&raw const sauce_page_fault_stack_top);
        task_state
    });
    let (table, code, data, task) = TABLE.call_once(|| {
        let mut table = GlobalDescriptorTable::new();
        let code = table.append(Descriptor::kernel_code_segment());
        let data = table.append(Descriptor::kernel_data_segment());
        let task = table.append(Descriptor::tss_segment(task_state));
        (table, code, data, task)
    });
    table.load();
    // SAFETY: the selectors index the table just loaded, which lives for the whole program
    // (`spin::Once` in a static); the code selector is a 64-bit code segment and the data
    // selector a writable data segment, as the kernel's code expects.
    unsafe {
        CS::set_reg(*code);
        DS::set_reg(*data);
        ES::set_reg(*data);
        SS::set_reg(*data);
        load_tss(*task);
    }
}
