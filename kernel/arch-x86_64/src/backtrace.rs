//! Return addresses of the calls in progress, read from the frame-pointer chain: images are
//! built with frame pointers (`.cargo/config.toml`), so each frame begins with the caller's
//! frame pointer and the return address into the caller. A fault report prints them and
//! `sauce run` names the functions from the image's symbols.

extern "C" {
    static sauce_boot_stack_bottom: u8;
    static sauce_boot_stack_top: u8;
}

/// Fills `addresses` with the return addresses of the calls in progress on the kernel stack,
/// innermost first; returns how many. Stops at the first frame pointer outside the kernel
/// stack, misaligned, or not moving towards the stack's top, so a damaged chain ends the walk
/// rather than a read.
pub fn return_addresses(addresses: &mut [u64]) -> usize {
    let bottom = &raw const sauce_boot_stack_bottom as u64;
    let top = &raw const sauce_boot_stack_top as u64;
    let mut frame: u64;
    // SAFETY: reads the frame-pointer register into a local; no memory is touched.
    unsafe {
        core::arch::asm!("mov {}, rbp", out(reg) frame, options(nomem, nostack, preserves_flags))
    };
    let mut count = 0;
    while count < addresses.len()
        && frame >= bottom
        && frame.saturating_add(16) <= top
        && frame % 8 == 0
    {
        // SAFETY: `frame` and `frame + 8` lie inside the kernel stack, which is mapped
        // read-write for the whole program, and are 8-byte aligned: reading them is sound
        // whatever they hold.
        let (previous, return_address) = unsafe {
            (
                core::ptr::read_volatile(frame as *const u64),
                core::ptr::read_volatile((frame + 8) as *const u64),
            )
        };
        if return_address == 0 {
            break;
        }
        addresses[count] = return_address;
        count += 1;
        if previous <= frame {
            break;
        }
        frame = previous;
    }
    count
}
