//! Physical and virtual addresses, 4 KiB frames and half-open physical ranges.
//!
//! Alignment helpers accept any non-zero alignment (powers of two are the usual case); an
//! alignment of zero is treated as one, so no input makes them panic. Rounding up can overflow
//! at the top of the address space, so `align_up` returns an `Option`.

use core::fmt;

/// Size of a small page and of a physical frame: 4 KiB.
pub const PAGE_SIZE: u64 = 4096;

/// Rounds `value` down to a multiple of `alignment` (zero counts as one).
pub const fn align_down(value: u64, alignment: u64) -> u64 {
    let alignment = if alignment == 0 { 1 } else { alignment };
    value - value % alignment
}

/// Rounds `value` up to a multiple of `alignment` (zero counts as one); `None` on overflow.
pub const fn align_up(value: u64, alignment: u64) -> Option<u64> {
    let alignment = if alignment == 0 { 1 } else { alignment };
    let remainder = value % alignment;
    if remainder == 0 {
        Some(value)
    } else {
        value.checked_add(alignment - remainder)
    }
}

macro_rules! address_type {
    ($(#[$attribute:meta])* $name:ident) => {
        $(#[$attribute])*
        #[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u64);

        impl $name {
            /// Wraps a raw address.
            pub const fn new(address: u64) -> Self {
                Self(address)
            }

            /// The raw address.
            pub const fn as_u64(self) -> u64 {
                self.0
            }

            /// This address rounded down to a multiple of `alignment`.
            pub const fn align_down(self, alignment: u64) -> Self {
                Self(align_down(self.0, alignment))
            }

            /// This address rounded up to a multiple of `alignment`; `None` on overflow.
            pub const fn align_up(self, alignment: u64) -> Option<Self> {
                match align_up(self.0, alignment) {
                    Some(address) => Some(Self(address)),
                    None => None,
                }
            }

            /// Whether this address is a multiple of `alignment`.
            pub const fn is_aligned(self, alignment: u64) -> bool {
                align_down(self.0, alignment) == self.0
            }

            /// This address plus `offset`; `None` on overflow.
            pub const fn checked_add(self, offset: u64) -> Option<Self> {
                match self.0.checked_add(offset) {
                    Some(address) => Some(Self(address)),
                    None => None,
                }
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(formatter, concat!(stringify!($name), "({:#x})"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(formatter, "{:#x}", self.0)
            }
        }
    };
}

address_type!(
    /// An address in guest-physical memory.
    PhysicalAddress
);
address_type!(
    /// An address in the kernel's virtual address space.
    VirtualAddress
);

/// A 4 KiB physical frame; its start address is always 4 KiB aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Frame {
    start: PhysicalAddress,
}

impl Frame {
    /// The frame holding `address`.
    pub const fn containing(address: PhysicalAddress) -> Self {
        Self {
            start: address.align_down(PAGE_SIZE),
        }
    }

    /// The frame starting at `address`, or `None` when `address` is not 4 KiB aligned.
    pub const fn from_start_address(address: PhysicalAddress) -> Option<Self> {
        if address.is_aligned(PAGE_SIZE) {
            Some(Self { start: address })
        } else {
            None
        }
    }

    /// The first byte of the frame.
    pub const fn start_address(self) -> PhysicalAddress {
        self.start
    }

    /// The frame as a one-page physical range.
    pub const fn range(self) -> PhysicalRange {
        PhysicalRange::from_start_length(self.start.0, PAGE_SIZE)
    }
}

/// A half-open range `[start, end)` of physical addresses.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PhysicalRange {
    /// First byte of the range.
    pub start: u64,
    /// One past the last byte of the range.
    pub end: u64,
}

impl PhysicalRange {
    /// The range `[start, end)`; a range whose end is not after its start is empty.
    pub const fn new(start: u64, end: u64) -> Self {
        Self { start, end }
    }

    /// The range of `length` bytes from `start`, cut at the top of the address space.
    pub const fn from_start_length(start: u64, length: u64) -> Self {
        Self {
            start,
            end: start.saturating_add(length),
        }
    }

    /// Number of bytes in the range (zero when empty).
    pub const fn len(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }

    /// Whether the range holds no byte.
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// Whether `address` lies in the range.
    pub const fn contains(&self, address: u64) -> bool {
        self.start <= address && address < self.end
    }

    /// Whether every byte of `other` lies in this range (an empty `other` never does).
    pub const fn contains_range(&self, other: &PhysicalRange) -> bool {
        !other.is_empty() && self.start <= other.start && other.end <= self.end
    }

    /// Whether the two ranges share at least one byte.
    pub const fn intersects(&self, other: &PhysicalRange) -> bool {
        !self.is_empty() && !other.is_empty() && self.start < other.end && other.start < self.end
    }

    /// The bytes the two ranges share (possibly empty).
    pub fn intersection(&self, other: &PhysicalRange) -> PhysicalRange {
        PhysicalRange::new(self.start.max(other.start), self.end.min(other.end))
    }

    /// The largest sub-range whose ends are multiples of `alignment` (possibly empty).
    pub fn shrink_to_alignment(&self, alignment: u64) -> PhysicalRange {
        match align_up(self.start, alignment) {
            Some(start) => PhysicalRange::new(start, align_down(self.end, alignment)),
            None => PhysicalRange::new(self.end, self.end),
        }
    }
}

impl fmt::Debug for PhysicalRange {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "[{:#x}, {:#x})", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_helpers_round_and_never_panic() {
        assert_eq!(align_down(0x1234, 0x1000), 0x1000);
        assert_eq!(align_up(0x1234, 0x1000), Some(0x2000));
        assert_eq!(align_up(0x2000, 0x1000), Some(0x2000));
        assert_eq!(align_up(u64::MAX, 0x1000), None);
        assert_eq!(align_up(7, 0), Some(7));
        assert_eq!(align_down(7, 0), 7);
        assert_eq!(align_up(10, 3), Some(12));
    }

    #[test]
    fn addresses_align_and_report_alignment() {
        let address = PhysicalAddress::new(0x1_0001);
        assert_eq!(address.align_down(PAGE_SIZE), PhysicalAddress(0x1_0000));
        assert_eq!(address.align_up(PAGE_SIZE), Some(PhysicalAddress(0x1_1000)));
        assert!(!address.is_aligned(PAGE_SIZE));
        assert!(VirtualAddress(0x20_0000).is_aligned(0x20_0000));
        assert_eq!(VirtualAddress(5).as_u64(), 5);
        assert_eq!(
            format!("{:?}", PhysicalAddress(0x1000)),
            "PhysicalAddress(0x1000)"
        );
    }

    #[test]
    fn frames_are_aligned() {
        let frame = Frame::containing(PhysicalAddress(0x5fff));
        assert_eq!(frame.start_address(), PhysicalAddress(0x5000));
        assert_eq!(frame.range(), PhysicalRange::new(0x5000, 0x6000));
        assert!(Frame::from_start_address(PhysicalAddress(0x5001)).is_none());
        assert!(Frame::from_start_address(PhysicalAddress(0x5000)).is_some());
    }

    #[test]
    fn ranges_measure_and_compare() {
        let range = PhysicalRange::new(0x1000, 0x3000);
        assert_eq!(range.len(), 0x2000);
        assert!(!range.is_empty());
        assert!(PhysicalRange::new(5, 5).is_empty());
        assert_eq!(PhysicalRange::new(9, 5).len(), 0);
        assert!(range.contains(0x1000) && !range.contains(0x3000));
        assert!(range.intersects(&PhysicalRange::new(0x2fff, 0x4000)));
        assert!(!range.intersects(&PhysicalRange::new(0x3000, 0x4000)));
        assert!(!range.intersects(&PhysicalRange::new(0x2000, 0x2000)));
        assert!(range.contains_range(&PhysicalRange::new(0x1000, 0x3000)));
        assert!(!range.contains_range(&PhysicalRange::new(0x1000, 0x3001)));
        assert_eq!(
            PhysicalRange::from_start_length(u64::MAX - 1, 10).end,
            u64::MAX
        );
        assert_eq!(
            PhysicalRange::new(0x1001, 0x2fff).shrink_to_alignment(PAGE_SIZE),
            PhysicalRange::new(0x2000, 0x2000)
        );
        assert!(PhysicalRange::new(u64::MAX - 5, u64::MAX)
            .shrink_to_alignment(PAGE_SIZE)
            .is_empty());
    }
}
