/* Interrupt stacks (IST) for double fault, NMI and page fault, each above an unmapped guard
 * page (paging.rs leaves every *_guard page out), and the page-table pool paging.rs builds the
 * kernel's tables in. All in .bss: nothing here takes room in the image file. */
    .pushsection .bss.sauce_boot, "aw", @nobits
    .balign 4096
    .global sauce_double_fault_stack_guard
sauce_double_fault_stack_guard:
    .skip 4096
    .skip 16384
    .global sauce_double_fault_stack_top
sauce_double_fault_stack_top:
    .global sauce_nmi_stack_guard
sauce_nmi_stack_guard:
    .skip 4096
    .skip 16384
    .global sauce_nmi_stack_top
sauce_nmi_stack_top:
    .global sauce_page_fault_stack_guard
sauce_page_fault_stack_guard:
    .skip 4096
    .skip 16384
    .global sauce_page_fault_stack_top
sauce_page_fault_stack_top:
    .global sauce_page_table_pool
sauce_page_table_pool:
    .skip 4096 * 16
    .global sauce_page_table_pool_end
sauce_page_table_pool_end:
    .popsection
