//! Time: TSC tick conversions, TSC frequency discovery formulas and [`Instant`].
//!
//! Conversions use a `u128` intermediate (`ticks * 10^9 / hz`): exact, and free of overflow for
//! every `u64` input since the product stays below 2^94. The price is one 128-by-64-bit
//! division per call, a few tens of nanoseconds, which a kernel reading the clock a few
//! thousand times a second does not notice. Results beyond `u64::MAX` (584 years of
//! nanoseconds) saturate.

use core::ops::{Add, AddAssign, Sub};
use core::time::Duration;

const NANOSECONDS_PER_SECOND: u64 = 1_000_000_000;

/// Converts between TSC ticks and nanoseconds for one TSC frequency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TscScale {
    hz: u64,
}

impl TscScale {
    /// The scale of a TSC running at `hz` ticks per second; `None` for zero.
    pub const fn from_hz(hz: u64) -> Option<Self> {
        if hz == 0 {
            None
        } else {
            Some(Self { hz })
        }
    }

    /// The frequency in ticks per second.
    pub const fn hz(&self) -> u64 {
        self.hz
    }

    /// Nanoseconds in `ticks` (rounded down, saturating).
    pub const fn ticks_to_nanoseconds(&self, ticks: u64) -> u64 {
        saturate((ticks as u128 * NANOSECONDS_PER_SECOND as u128) / self.hz as u128)
    }

    /// Ticks in `nanoseconds` (rounded down, saturating).
    pub const fn nanoseconds_to_ticks(&self, nanoseconds: u64) -> u64 {
        saturate((nanoseconds as u128 * self.hz as u128) / NANOSECONDS_PER_SECOND as u128)
    }
}

const fn saturate(value: u128) -> u64 {
    if value > u64::MAX as u128 {
        u64::MAX
    } else {
        value as u64
    }
}

/// The TSC frequency implied by a KVM pvclock's `tsc_to_system_mul` and `tsc_shift`.
///
/// The pvclock computes `ns = ((tsc << shift) * multiplier) >> 32` (a right shift by `-shift`
/// when negative), so `hz = 10^9 * 2^32 / multiplier`, halved for each positive shift step and
/// doubled for each negative one. `None` when `multiplier` is zero or `shift` is outside
/// `-32..=32`, which no hypervisor produces.
pub const fn hz_from_kvm_pvclock(multiplier: u32, shift: i8) -> Option<u64> {
    if multiplier == 0 || shift < -32 || shift > 32 {
        return None;
    }
    let mut numerator = (NANOSECONDS_PER_SECOND as u128) << 32;
    let mut denominator = multiplier as u128;
    if shift >= 0 {
        denominator <<= shift as u32;
    } else {
        numerator <<= shift.unsigned_abs() as u32;
    }
    Some(saturate(numerator / denominator))
}

/// The TSC frequency from CPUID leaf 0x15: `crystal_hz * numerator / denominator`.
///
/// `None` when a register is zero (the leaf, the ratio or the crystal frequency is not
/// enumerated); the caller then needs another source, such as leaf 0x16 or calibration.
pub const fn hz_from_cpuid_15(
    eax_denominator: u32,
    ebx_numerator: u32,
    ecx_crystal_hz: u32,
) -> Option<u64> {
    if eax_denominator == 0 || ebx_numerator == 0 || ecx_crystal_hz == 0 {
        return None;
    }
    Some(ecx_crystal_hz as u64 * ebx_numerator as u64 / eax_denominator as u64)
}

/// A moment, as nanoseconds since boot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub u64);

impl Instant {
    /// The moment of boot.
    pub const ZERO: Instant = Instant(0);

    /// The moment `nanoseconds` after boot.
    pub const fn from_nanoseconds(nanoseconds: u64) -> Self {
        Self(nanoseconds)
    }

    /// Nanoseconds since boot.
    pub const fn as_nanoseconds(self) -> u64 {
        self.0
    }

    /// Time from `earlier` to `self`, or zero if `earlier` is later.
    pub const fn saturating_duration_since(self, earlier: Instant) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }

    /// Time from `earlier` to `self`, or `None` if `earlier` is later.
    pub const fn checked_duration_since(self, earlier: Instant) -> Option<Duration> {
        match self.0.checked_sub(earlier.0) {
            Some(nanoseconds) => Some(Duration::from_nanos(nanoseconds)),
            None => None,
        }
    }

    /// `self + duration`, or `None` past 584 years of uptime.
    pub fn checked_add(self, duration: Duration) -> Option<Instant> {
        let nanoseconds = u64::try_from(duration.as_nanos()).ok()?;
        self.0.checked_add(nanoseconds).map(Instant)
    }

    /// `self + duration`, stopping at the largest representable instant.
    pub fn saturating_add(self, duration: Duration) -> Instant {
        self.checked_add(duration).unwrap_or(Instant(u64::MAX))
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;

    /// Saturates at the largest representable instant instead of overflowing.
    fn add(self, duration: Duration) -> Instant {
        self.saturating_add(duration)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, duration: Duration) {
        *self = *self + duration;
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;

    /// Saturates at boot instead of underflowing.
    fn sub(self, duration: Duration) -> Instant {
        let nanoseconds = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
        Instant(self.0.saturating_sub(nanoseconds))
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;

    /// Saturates at zero when `earlier` is later.
    fn sub(self, earlier: Instant) -> Duration {
        self.saturating_duration_since(earlier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEN_YEARS_NANOSECONDS: u64 = 10 * 365 * 24 * 3600 * NANOSECONDS_PER_SECOND;

    #[test]
    fn converts_ten_years_at_five_gigahertz_exactly() {
        let scale = TscScale::from_hz(5_000_000_000).unwrap();
        let ticks = TEN_YEARS_NANOSECONDS * 5;
        assert_eq!(scale.ticks_to_nanoseconds(ticks), TEN_YEARS_NANOSECONDS);
        assert_eq!(scale.nanoseconds_to_ticks(TEN_YEARS_NANOSECONDS), ticks);
        assert_eq!(scale.ticks_to_nanoseconds(u64::MAX), u64::MAX / 5);
        assert_eq!(scale.nanoseconds_to_ticks(u64::MAX), u64::MAX, "saturates");
    }

    #[test]
    fn converts_odd_frequencies() {
        let scale = TscScale::from_hz(2_893_299_000).unwrap();
        assert_eq!(
            scale.ticks_to_nanoseconds(2_893_299_000),
            NANOSECONDS_PER_SECOND
        );
        assert_eq!(scale.ticks_to_nanoseconds(2_893), 999);
        let round_trip = scale.ticks_to_nanoseconds(scale.nanoseconds_to_ticks(123_456_789));
        assert!(123_456_789 - round_trip <= 1);
        assert_eq!(TscScale::from_hz(0), None);
        assert_eq!(
            TscScale::from_hz(1).unwrap().ticks_to_nanoseconds(u64::MAX),
            u64::MAX
        );
    }

    #[test]
    fn derives_frequency_from_a_kvm_pvclock() {
        // What KVM reports for a 2.5 GHz TSC: shift -1, multiplier 2^32 * 0.8.
        let multiplier = ((1u64 << 32) * 4 / 5) as u32;
        let hz = hz_from_kvm_pvclock(multiplier, -1).unwrap();
        assert!(hz.abs_diff(2_500_000_000) <= 1, "{hz}");
        // A 500 MHz TSC: 2 ns per tick = (tick << 1) * 2^32 >> 32, multiplier just below 2^32.
        let hz = hz_from_kvm_pvclock(u32::MAX, 1).unwrap();
        assert!(hz.abs_diff(500_000_000) <= 1, "{hz}");
        assert_eq!(hz_from_kvm_pvclock(0, 0), None);
        assert_eq!(hz_from_kvm_pvclock(1, 100), None);
        assert_eq!(hz_from_kvm_pvclock(1, -32), Some(u64::MAX));
    }

    #[test]
    fn derives_frequency_from_cpuid_15() {
        assert_eq!(hz_from_cpuid_15(2, 188, 24_000_000), Some(2_256_000_000));
        assert_eq!(hz_from_cpuid_15(0, 188, 24_000_000), None);
        assert_eq!(hz_from_cpuid_15(2, 188, 0), None);
        assert_eq!(
            hz_from_cpuid_15(1, u32::MAX, u32::MAX),
            Some(u32::MAX as u64 * u32::MAX as u64)
        );
    }

    #[test]
    fn instants_do_saturating_arithmetic() {
        let start = Instant::from_nanoseconds(1_000);
        let later = start + Duration::from_micros(5);
        assert_eq!(later.as_nanoseconds(), 6_000);
        assert_eq!(later - start, Duration::from_nanos(5_000));
        assert_eq!(start - later, Duration::ZERO);
        assert_eq!(start.saturating_duration_since(later), Duration::ZERO);
        assert_eq!(start.checked_duration_since(later), None);
        assert_eq!(
            later.checked_duration_since(start),
            Some(Duration::from_micros(5))
        );
        assert_eq!(start - Duration::from_secs(1), Instant::ZERO);
        assert_eq!(start + Duration::MAX, Instant(u64::MAX));
        assert_eq!(start.checked_add(Duration::MAX), None);
        let mut moving = Instant::ZERO;
        moving += Duration::from_millis(10);
        assert_eq!(moving, Instant(10_000_000));
    }
}
