/* Interrupt entry stubs for vectors 0-63 and 255. Each pushes a zero error code where the CPU
 * pushes none, then its vector, and joins sauce_interrupt_common, which saves the scratch
 * registers (the target has no SSE state) and calls sauce_interrupt_dispatch(frame). At entry
 * the CPU aligned RSP to 16 before its 40-byte frame; 16 + 72 more bytes keep the call aligned. */
    .macro SAUCE_STUB vector, pushes_error
sauce_interrupt_stub_\vector:
    .if \pushes_error == 0
    pushq $0
    .endif
    pushq $\vector
    jmp sauce_interrupt_common
    .endm

    .pushsection .text, "ax"
    .code64
sauce_interrupt_common:
    pushq %rax
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    movq %rsp, %rdi
    cld
    call sauce_interrupt_dispatch
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rax
    addq $16, %rsp
    iretq

    .irp vector, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,255
    SAUCE_STUB \vector, 0
    .endr
    .irp vector, 8,10,11,12,13,14,17,21,29,30
    SAUCE_STUB \vector, 1
    .endr
    .popsection

    .pushsection .rodata
    .balign 8
    .global sauce_interrupt_stubs
sauce_interrupt_stubs:
    .irp vector, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,255
    .quad sauce_interrupt_stub_\vector
    .endr
    .popsection
