/* Boot entries of a SauceOS image (record 0013 §1-2).
 *
 * sauce_pvh_entry   32-bit PVH entry (QEMU, Firecracker >= 1.12); EBX = hvm_start_info.
 * sauce_linux_entry 64-bit Linux boot-protocol entry (Firecracker's path without the PVH note);
 *                   RSI = boot_params, paging on with the first 1 GiB identity-mapped.
 * Both record the TSC at entry, take the boot stack and call
 *     sauce_kernel_entry(protocol: u64, structure: u64) -> !, protocol 1 = PVH, 2 = Linux
 * The 32-bit path is loop-free for images up to 8 MiB: code before paging is emulated
 * instruction by instruction on nested KVM. Its page tables live in .bss (zero when loaded) and
 * map the first 8 MiB with four 2 MiB pages: the image and the boot structures. A larger image
 * (embedded files) gets one more 2 MiB page per loop turn, up to its end
 * (__sauce_boot_large_pages, from the linker script; at most 512, 1 GiB). The kernel replaces
 * these tables with its own before it touches anything else.
 */

    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 4                      /* name size: "Xen\0" */
    .long 8                      /* descriptor size: a 64-bit address */
    .long 18                     /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .balign 4
    .quad sauce_pvh_entry
    .balign 4
    .popsection

    .pushsection .text.sauce_boot, "ax"
    .code32
    .global sauce_pvh_entry
sauce_pvh_entry:
    cli
    cld
    rdtsc
    movl %eax, sauce_boot_entry_tsc
    movl %edx, sauce_boot_entry_tsc + 4
    movl %ebx, %esi                               /* hvm_start_info, kept across the switch */

    movl $(sauce_boot_level3 + 0x3), sauce_boot_level4
    movl $(sauce_boot_level2 + 0x3), sauce_boot_level3
    movl $0x000083, sauce_boot_level2             /* present | writable | 2 MiB page */
    movl $0x200083, sauce_boot_level2 + 8
    movl $0x400083, sauce_boot_level2 + 16
    movl $0x600083, sauce_boot_level2 + 24
    movl $__sauce_boot_large_pages, %ecx          /* 2 MiB pages up to the image's end */
    cmpl $4, %ecx
    jbe 3f
    movl $4, %edx
    movl $0x800083, %eax
2:  movl %eax, sauce_boot_level2(,%edx,8)
    addl $0x200000, %eax
    incl %edx
    cmpl %ecx, %edx
    jb 2b
3:

    movl %cr4, %eax
    orl $0x20, %eax                               /* PAE */
    movl %eax, %cr4
    movl $sauce_boot_level4, %eax
    movl %eax, %cr3
    movl $0xC0000080, %ecx                        /* EFER */
    rdmsr
    orl $0x900, %eax                              /* LME | NXE */
    wrmsr
    movl %cr0, %eax
    andl $0x9FFFFFFF, %eax                        /* caches on: clear CD and NW */
    orl $0x80010001, %eax                         /* PG | WP | PE */
    movl %eax, %cr0
    lgdt sauce_gdt_pointer                        /* the kernel's GDT (gdt.s) */
    ljmp $0x08, $sauce_pvh_long_mode

    .code64
sauce_pvh_long_mode:
    movl $0x10, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs
    lldt %ax                                      /* no LDT: a stale one makes the state invalid */
    movl %esi, %esi                               /* zero-extend the start_info address */
    movl $1, %edi
    jmp sauce_common_entry

    .global sauce_linux_entry
sauce_linux_entry:
    cli
    cld
    rdtsc
    movl %eax, sauce_boot_entry_tsc(%rip)
    movl %edx, sauce_boot_entry_tsc + 4(%rip)
    movl $2, %edi                                 /* RSI already holds boot_params */

sauce_common_entry:
    leaq sauce_boot_stack_top(%rip), %rsp
    xorl %ebp, %ebp
    call sauce_kernel_entry
2:  hlt
    jmp 2b
    .popsection

    .pushsection .data
    .balign 8
    .global sauce_boot_entry_tsc
sauce_boot_entry_tsc:
    .quad 0
    .popsection

    .pushsection .bss.sauce_boot, "aw", @nobits
    .balign 4096
sauce_boot_level4:
    .skip 4096
sauce_boot_level3:
    .skip 4096
sauce_boot_level2:
    .skip 4096
    .global sauce_boot_stack_guard
sauce_boot_stack_guard:
    .skip 4096
    .global sauce_boot_stack_bottom
sauce_boot_stack_bottom:
    .skip 65536
    .global sauce_boot_stack_top
sauce_boot_stack_top:
    .popsection
