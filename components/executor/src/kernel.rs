//! The kernel's [`Platform`]: the TSC clock, the local APIC one-shot timer, `cli`/`sti; hlt`.

use crate::Platform;
use sauce_arch_x86_64::cpu;
use sauce_runtime::{clock, timer};

/// The machine the kernel runs on; zero-sized, so a `static` serves every executor.
#[derive(Debug)]
pub struct KernelPlatform;

static KERNEL_PLATFORM: KernelPlatform = KernelPlatform;

/// The platform to pass to [`Executor`](crate::Executor)'s run loops inside an image.
pub fn platform() -> &'static dyn Platform {
    &KERNEL_PLATFORM
}

impl Platform for KernelPlatform {
    fn now_nanoseconds(&self) -> u64 {
        clock::now_nanoseconds()
    }

    fn arm_timer(&self, deadline_nanoseconds: Option<u64>) {
        timer::arm(deadline_nanoseconds);
    }

    fn disable_interrupts(&self) {
        cpu::disable_interrupts();
    }

    fn enable_interrupts(&self) {
        cpu::enable_interrupts();
    }

    fn wait_for_interrupt(&self) {
        timer::wait_for_interrupt();
    }
}
