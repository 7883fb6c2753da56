//! Tests that must end the VM with a reported fault; the host checks the report.

use crate::Context;

/// Reading far above RAM, where nothing is mapped, is a page fault naming the address.
pub fn page_fault_is_reported(_: &mut Context) {
    let address = 0x0000_0040_0000_0000 as *const u64;
    // SAFETY: not sound on purpose: the address is unmapped and the read must fault.
    let value = unsafe { core::ptr::read_volatile(address) };
    core::hint::black_box(value);
}

/// Writing to the kernel's own code faults: text is mapped read-only (W^X).
pub fn text_is_not_writable(_: &mut Context) {
    let target = text_is_not_writable as *const () as *mut u8;
    // SAFETY: not sound on purpose: the text page is read-only and the write must fault.
    unsafe { core::ptr::write_volatile(target, 0xC3) };
}

/// Jumping into writable data faults: data is mapped no-execute (W^X).
pub fn data_is_not_executable(_: &mut Context) {
    static mut CODE: [u8; 16] = [0xC3; 16]; // `ret`
    let entry = &raw mut CODE as usize;
    // SAFETY: not sound on purpose: the data page is no-execute and the call must fault.
    let function: extern "C" fn() = unsafe { core::mem::transmute(entry) };
    function();
}

/// Unbounded recursion runs into the guard page below the kernel stack.
pub fn stack_overflow_hits_guard(_: &mut Context) {
    #[inline(never)]
    #[allow(unconditional_recursion)]
    fn recurse(depth: u64) -> u64 {
        let mut frame = [depth; 64];
        core::hint::black_box(&mut frame);
        recurse(depth + 1) + frame[3]
    }
    core::hint::black_box(recurse(0));
}

/// A panic prints its message and location, then the VM fails.
pub fn panic_is_reported(_: &mut Context) {
    let reason = core::hint::black_box("deliberate panic from the in-guest test");
    panic!("{reason}");
}

/// An allocation the heap cannot hold ends the VM with the heap's state in the report.
pub fn heap_exhaustion_is_reported(_: &mut Context) {
    let size = core::hint::black_box(64usize << 20);
    let block: alloc::vec::Vec<u8> = alloc::vec::Vec::with_capacity(size);
    core::hint::black_box(block);
}

/// Never returns: lets the host check `--timeout`.
pub fn never_exits(_: &mut Context) {
    loop {
        sauce_runtime::arch::cpu::halt();
    }
}
