//! The time stamp counter's frequency, from the cheapest source the machine offers.
//!
//! In order: CPUID leaf 0x15 (crystal ratio), the hypervisor timing leaf 0x4000_0010 (VMware
//! convention, offered by QEMU/KVM), KVM's pvclock (the hypervisor's own TSC-to-nanoseconds
//! scale), and last a measurement against the local APIC timer, whose frequency QEMU and KVM
//! fix at 1 GHz. None of the first three waits; the last takes about 200 µs.

use crate::cpu::{cpuid, hypervisor_signature, read_time_stamp_counter};

/// Where the TSC frequency came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrequencySource {
    /// CPUID leaf 0x15.
    CrystalLeaf,
    /// Hypervisor leaf 0x4000_0010.
    HypervisorLeaf,
    /// KVM pvclock scale.
    KvmClock,
    /// Counted against the local APIC timer (assumed 1 GHz).
    ApicTimer,
}

impl FrequencySource {
    /// Name shown in the boot log.
    pub fn name(self) -> &'static str {
        match self {
            FrequencySource::CrystalLeaf => "CPUID 0x15",
            FrequencySource::HypervisorLeaf => "hypervisor leaf 0x40000010",
            FrequencySource::KvmClock => "kvmclock",
            FrequencySource::ApicTimer => "APIC timer",
        }
    }
}

/// Clock frequencies found at boot.
#[derive(Clone, Copy, Debug)]
pub struct Frequencies {
    /// TSC ticks per second.
    pub tsc_hz: u64,
    /// Where `tsc_hz` came from.
    pub source: FrequencySource,
    /// Local APIC timer ticks per second (divide by 1), when a source gave it.
    pub apic_timer_hz: Option<u64>,
}

/// The TSC frequency (and the APIC timer's, when known) from the cheapest source available.
pub fn frequencies() -> Frequencies {
    if let Some(tsc_hz) = from_crystal_leaf() {
        return Frequencies {
            tsc_hz,
            source: FrequencySource::CrystalLeaf,
            apic_timer_hz: None,
        };
    }
    if let Some((tsc_hz, apic_timer_hz)) = from_hypervisor_leaf() {
        return Frequencies {
            tsc_hz,
            source: FrequencySource::HypervisorLeaf,
            apic_timer_hz,
        };
    }
    if let Some(tsc_hz) = from_kvm_clock() {
        return Frequencies {
            tsc_hz,
            source: FrequencySource::KvmClock,
            apic_timer_hz: None,
        };
    }
    Frequencies {
        tsc_hz: measure_against_apic_timer(),
        source: FrequencySource::ApicTimer,
        apic_timer_hz: Some(APIC_TIMER_HZ),
    }
}

/// The local APIC timer frequency QEMU and KVM model (a 1 ns bus cycle).
const APIC_TIMER_HZ: u64 = 1_000_000_000;

fn from_crystal_leaf() -> Option<u64> {
    if cpuid(0, 0).eax < 0x15 {
        return None;
    }
    let leaf = cpuid(0x15, 0);
    sauce_core::time::hz_from_cpuid_15(leaf.eax, leaf.ebx, leaf.ecx)
}

fn from_hypervisor_leaf() -> Option<(u64, Option<u64>)> {
    let (_, maximum_leaf) = hypervisor_signature()?;
    if maximum_leaf < 0x4000_0010 {
        return None;
    }
    let leaf = cpuid(0x4000_0010, 0);
    let apic_timer_hz = (leaf.ebx != 0).then(|| u64::from(leaf.ebx) * 1000);
    (leaf.eax != 0).then(|| (u64::from(leaf.eax) * 1000, apic_timer_hz))
}

/// The first 32 bytes of KVM's `pvclock_vcpu_time_info`.
#[repr(C, align(64))]
#[derive(Default)]
struct PvclockTimeInformation {
    version: u32,
    padding: u32,
    tsc_timestamp: u64,
    system_time: u64,
    tsc_to_system_multiplier: u32,
    tsc_shift: i8,
    flags: u8,
    padding_end: [u8; 2],
}

fn from_kvm_clock() -> Option<u64> {
    const SYSTEM_TIME_MSR: u32 = 0x4b56_4d01;
    const CLOCKSOURCE2_FEATURE: u32 = 1 << 3;
    let (signature, _) = hypervisor_signature()?;
    if &signature != b"KVMKVMKVM\0\0\0" || cpuid(0x4000_0001, 0).eax & CLOCKSOURCE2_FEATURE == 0 {
        return None;
    }
    let information = PvclockTimeInformation::default();
    let address = &raw const information as u64;
    let mut register = x86_64::registers::model_specific::Msr::new(SYSTEM_TIME_MSR);
    // SAFETY: `information` is a live, suitably aligned stack value that is identity-mapped;
    // KVM writes the time information into it before the next guest instruction, and the
    // second write turns the updates off before `information` goes out of scope.
    let (multiplier, shift) = unsafe {
        register.write(address | 1);
        let multiplier = core::ptr::read_volatile(&raw const information.tsc_to_system_multiplier);
        let shift = core::ptr::read_volatile(&raw const information.tsc_shift);
        register.write(0);
        (multiplier, shift)
    };
    sauce_core::time::hz_from_kvm_pvclock(multiplier, shift)
}

/// Counts TSC ticks over 100 µs of local APIC timer at 1 GHz (divide by 1): with the counter
/// read in well under a microsecond (TCG), the error stays below 1%.
fn measure_against_apic_timer() -> u64 {
    use crate::apic::local::{current_count, start_calibration_count};
    const APIC_HZ: u64 = APIC_TIMER_HZ;
    const WINDOW_TICKS: u32 = 100_000;
    start_calibration_count();
    let start_count = current_count();
    let start_tsc = read_time_stamp_counter();
    while start_count - current_count() < WINDOW_TICKS {
        core::hint::spin_loop();
    }
    let end_count = current_count();
    let end_tsc = read_time_stamp_counter();
    let apic_ticks = u64::from(start_count - end_count);
    (end_tsc - start_tsc) * APIC_HZ / apic_ticks
}
