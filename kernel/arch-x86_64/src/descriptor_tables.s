/* The kernel's GDT, TSS and IDT storage. The GDT and TSS are complete at link time except the
 * TSS descriptor's base, which gdt.rs fills in (an address split into bit fields is beyond
 * what relocations express). Built here rather than by code because, under TCG, every
 * instruction run for the first time costs translation: data is cheaper than code at boot. */
    .pushsection .data
    .balign 16
    .global sauce_gdt
sauce_gdt:
    .quad 0
    .quad 0x00AF9B000000FFFF                      /* 0x08: 64-bit code, accessed */
    .quad 0x00CF93000000FFFF                      /* 0x10: data, accessed */
    .global sauce_gdt_task_state
sauce_gdt_task_state:
    .quad 0, 0                                    /* 0x18: 64-bit TSS, set by gdt.rs */
sauce_gdt_end:

    /* Read as limit + 32-bit base by the 32-bit stub, limit + 64-bit base in long mode. */
    .balign 8
    .global sauce_gdt_pointer
sauce_gdt_pointer:
    .word sauce_gdt_end - sauce_gdt - 1
    .quad sauce_gdt

    .balign 16
    .global sauce_task_state
sauce_task_state:
    .long 0                                       /* reserved */
    .quad 0, 0, 0                                 /* RSP0-2: no privilege changes */
    .quad 0                                       /* reserved */
    .quad sauce_double_fault_stack_top            /* IST1 */
    .quad sauce_nmi_stack_top                     /* IST2 */
    .quad sauce_page_fault_stack_top              /* IST3 */
    .quad 0, 0, 0, 0                              /* IST4-7 */
    .quad 0                                       /* reserved */
    .word 0                                       /* reserved */
    .word 104                                     /* no I/O permission bitmap */
    .popsection

    .pushsection .bss.sauce_boot, "aw", @nobits
    .balign 4096
    .global sauce_interrupt_table
sauce_interrupt_table:
    .skip 256 * 16
    .popsection
