//! Processor instructions: identification, time stamp counter, halting, control registers.

use core::arch::x86_64::{__cpuid_count, _rdtsc, CpuidResult};

/// Executes `cpuid` for `leaf` and `subleaf`.
pub fn cpuid(leaf: u32, subleaf: u32) -> CpuidResult {
    __cpuid_count(leaf, subleaf)
}

/// The time stamp counter.
#[inline]
pub fn read_time_stamp_counter() -> u64 {
    // SAFETY: `rdtsc` only reads the time stamp counter; every x86_64 processor has it.
    unsafe { _rdtsc() }
}

/// 64 random bits from the processor's generator: RDSEED when CPUID lists it, else RDRAND;
/// `None` when it has neither, or when the instruction reports no entropy ten times running
/// (the vendors' advice: retry a few times, then fall back).
pub fn hardware_random() -> Option<u64> {
    const RETRIES: usize = 10;
    let has_rdseed = cpuid(0, 0).eax >= 7 && cpuid(7, 0).ebx & (1 << 18) != 0;
    let has_rdrand = cpuid(1, 0).ecx & (1 << 30) != 0;
    for _ in 0..RETRIES {
        // SAFETY: each instruction runs only when CPUID says the processor has it; it writes
        // nothing but the value it returns and the carry flag.
        let value = unsafe {
            if has_rdseed {
                rdseed()
            } else if has_rdrand {
                rdrand()
            } else {
                return None;
            }
        };
        if value.is_some() {
            return value;
        }
    }
    None
}

/// RDSEED once; callable only where the processor has RDSEED (CPUID leaf 7, EBX bit 18).
#[target_feature(enable = "rdseed")]
fn rdseed() -> Option<u64> {
    let mut value = 0;
    let ready = core::arch::x86_64::_rdseed64_step(&mut value);
    (ready == 1).then_some(value)
}

/// RDRAND once; callable only where the processor has RDRAND (CPUID leaf 1, ECX bit 30).
#[target_feature(enable = "rdrand")]
fn rdrand() -> Option<u64> {
    let mut value = 0;
    let ready = core::arch::x86_64::_rdrand64_step(&mut value);
    (ready == 1).then_some(value)
}

/// The hypervisor's vendor signature from leaf 0x4000_0000, if running under one.
pub fn hypervisor_signature() -> Option<([u8; 12], u32)> {
    let features = cpuid(1, 0);
    if features.ecx & (1 << 31) == 0 {
        return None;
    }
    let leaf = cpuid(0x4000_0000, 0);
    let mut signature = [0u8; 12];
    signature[0..4].copy_from_slice(&leaf.ebx.to_le_bytes());
    signature[4..8].copy_from_slice(&leaf.ecx.to_le_bytes());
    signature[8..12].copy_from_slice(&leaf.edx.to_le_bytes());
    Some((signature, leaf.eax))
}

/// Puts caches on (CD and NW clear), makes the kernel honour read-only pages (WP), turns on
/// no-execute pages (EFER.NXE), and lets code use SSE (CR4.OSFXSR, CR0.EM clear).
/// Firecracker's Linux path enters with CR0.CD still set.
///
/// SSE: the kernel itself is compiled without SSE (the `x86_64-unknown-none` target), but
/// crates that detect processor features at run time (sha2's SHA-NI path, taken by the
/// database clients' SCRAM and caching_sha2 and by apps' HMACs) execute SSE instructions when
/// CPUID offers them, as it does under KVM; with CR4.OSFXSR clear those fault. Only such
/// detected code, in task context, touches the XMM registers, and nothing that interrupts it
/// does (interrupt handlers are compiled without SSE), so no XMM state needs saving.
pub fn initialise_control_registers() {
    use x86_64::registers::control::{Cr0, Cr0Flags, Cr4, Cr4Flags};
    use x86_64::registers::model_specific::{Efer, EferFlags};
    let mut cr0 = Cr0::read();
    cr0.remove(
        Cr0Flags::CACHE_DISABLE | Cr0Flags::NOT_WRITE_THROUGH | Cr0Flags::EMULATE_COPROCESSOR,
    );
    cr0.insert(Cr0Flags::WRITE_PROTECT | Cr0Flags::NUMERIC_ERROR | Cr0Flags::MONITOR_COPROCESSOR);
    // SAFETY: paging and protected mode stay on; only cache, protection and coprocessor bits
    // change, which the kernel's mappings and code are built for.
    unsafe { Cr0::write(cr0) };
    let mut cr4 = Cr4::read();
    cr4.insert(Cr4Flags::OSFXSR | Cr4Flags::OSXMMEXCPT_ENABLE);
    // SAFETY: OSFXSR and OSXMMEXCPT only allow SSE instructions and route their (masked by
    // default) floating-point exceptions to #XM; paging and every other CR4 bit are unchanged.
    unsafe { Cr4::write(cr4) };
    if cpuid(1, 0).edx & (1 << 12) != 0 {
        const MTRR_DEFAULT_TYPE: u32 = 0x2FF;
        const ENABLED_WRITE_BACK: u64 = (1 << 11) | 6;
        let mut register = x86_64::registers::model_specific::Msr::new(MTRR_DEFAULT_TYPE);
        // SAFETY: with no firmware to program the MTRRs (PVH and Linux boot skip it), the
        // default type is uncached and every access crawls; write-back as the default is what
        // firmware would set for RAM. Device windows stay uncached through their page-table
        // entries (PCD | PWT), which win over a write-back MTRR.
        unsafe {
            if register.read() & (1 << 11) == 0 {
                register.write(ENABLED_WRITE_BACK);
            }
        }
    }
    let efer = Efer::read();
    if !efer.contains(EferFlags::NO_EXECUTE_ENABLE) {
        // SAFETY: enabling NXE only makes the NX bit meaningful; no entry in the boot page tables
        // sets it, so nothing that is mapped becomes unreachable.
        unsafe { Efer::write(efer | EferFlags::NO_EXECUTE_ENABLE) };
    }
}

/// Stops the processor until the next interrupt.
#[inline]
pub fn halt() {
    x86_64::instructions::hlt();
}

/// Enables interrupts and halts in one step: an interrupt that arrives between the two
/// instructions still ends the halt (`sti` takes effect after the next instruction).
#[inline]
pub fn enable_interrupts_and_halt() {
    x86_64::instructions::interrupts::enable_and_hlt();
}

/// Disables interrupts.
#[inline]
pub fn disable_interrupts() {
    x86_64::instructions::interrupts::disable();
}

/// Enables interrupts.
#[inline]
pub fn enable_interrupts() {
    x86_64::instructions::interrupts::enable();
}

/// Whether interrupts are enabled.
#[inline]
pub fn interrupts_enabled() -> bool {
    x86_64::instructions::interrupts::are_enabled()
}

/// Runs `work` with interrupts disabled, restoring the previous state afterwards.
#[inline]
pub fn without_interrupts<R>(work: impl FnOnce() -> R) -> R {
    x86_64::instructions::interrupts::without_interrupts(work)
}
