//! Reading a PCI function's configuration space: the capability list, the MSI-X capability,
//! virtio's vendor capabilities and memory BARs; and the MSI message that reaches a local
//! APIC. Pure logic over a [`ConfigurationSpace`], so the host tests it on a fake.

/// Dword reads of one function's configuration space.
pub trait ConfigurationSpace {
    /// The dword at `offset` (a multiple of 4).
    fn read(&self, offset: u8) -> u32;
}

/// Capability id of MSI-X.
pub const MSIX_CAPABILITY: u8 = 0x11;
/// Capability id of a vendor-specific capability (virtio's structures).
pub const VENDOR_CAPABILITY: u8 = 0x09;
/// virtio's `cfg_type` of the common configuration structure.
pub const VIRTIO_COMMON_CONFIGURATION: u8 = 1;

const STATUS_COMMAND: u8 = 0x04;
const CAPABILITIES_LIST: u32 = 1 << (16 + 4);
const CAPABILITIES_POINTER: u8 = 0x34;
const FIRST_BAR: u8 = 0x10;
/// More entries than a 256-byte space can hold: a cyclic list ends here.
const MAX_CAPABILITIES: usize = 48;

/// The `(id, offset)` of every capability in the list, in list order.
pub fn capabilities(space: &impl ConfigurationSpace) -> impl Iterator<Item = (u8, u8)> + '_ {
    let listed = space.read(STATUS_COMMAND) & CAPABILITIES_LIST != 0;
    let mut next = if listed {
        (space.read(CAPABILITIES_POINTER) & 0xFC) as u8
    } else {
        0
    };
    core::iter::from_fn(move || {
        if next < 0x40 {
            return None;
        }
        let offset = next;
        let header = space.read(offset);
        next = ((header >> 8) & 0xFC) as u8;
        Some(((header & 0xFF) as u8, offset))
    })
    .take(MAX_CAPABILITIES)
}

/// Where a function's MSI-X table lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Msix {
    /// Offset of the capability in configuration space.
    pub capability: u8,
    /// Number of table entries.
    pub table_size: u16,
    /// The BAR holding the table.
    pub table_bar: u8,
    /// The table's offset inside that BAR.
    pub table_offset: u32,
}

impl Msix {
    /// The capability's first dword with MSI-X enabled (bit 31) and the function unmasked
    /// (bit 30 clear), given its current value.
    pub fn enabled_header(current: u32) -> u32 {
        (current | 1 << 31) & !(1 << 30)
    }

    /// The capability's first dword with MSI-X disabled.
    pub fn disabled_header(current: u32) -> u32 {
        current & !(1 << 31)
    }
}

/// The MSI-X capability, if the function has one.
pub fn find_msix(space: &impl ConfigurationSpace) -> Option<Msix> {
    let (_, capability) = capabilities(space).find(|(id, _)| *id == MSIX_CAPABILITY)?;
    let control = space.read(capability) >> 16;
    let table = space.read(capability + 4);
    Some(Msix {
        capability,
        table_size: (control & 0x7FF) as u16 + 1,
        table_bar: (table & 0x7) as u8,
        table_offset: table & !0x7,
    })
}

/// A virtio structure (§4.1.4): which BAR, where in it, how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VirtioStructure {
    /// The BAR holding it.
    pub bar: u8,
    /// Its offset inside the BAR.
    pub offset: u32,
    /// Its length in bytes.
    pub length: u32,
}

/// The first virtio vendor capability of `cfg_type`.
pub fn find_virtio_structure(
    space: &impl ConfigurationSpace,
    cfg_type: u8,
) -> Option<VirtioStructure> {
    capabilities(space)
        .filter(|(id, _)| *id == VENDOR_CAPABILITY)
        .find_map(|(_, offset)| {
            let header = space.read(offset);
            let (length, kind) = ((header >> 16) & 0xFF, (header >> 24) as u8);
            (kind == cfg_type && length >= 16).then(|| VirtioStructure {
                bar: (space.read(offset + 4) & 0xFF) as u8,
                offset: space.read(offset + 8),
                length: space.read(offset + 12),
            })
        })
}

/// The address a memory BAR decodes, or `None` for an I/O BAR, an unassigned one or an index
/// past the sixth.
pub fn memory_bar(space: &impl ConfigurationSpace, index: u8) -> Option<u64> {
    if index > 5 {
        return None;
    }
    let low = space.read(FIRST_BAR + 4 * index);
    if low & 1 != 0 {
        return None;
    }
    let base = u64::from(low & !0xF);
    let address = match (low >> 1) & 0b11 {
        0b10 if index < 5 => base | u64::from(space.read(FIRST_BAR + 4 * (index + 1))) << 32,
        0b10 => return None,
        _ => base,
    };
    (address != 0).then_some(address)
}

/// The MSI message (address, data) that delivers `vector` to the local APIC `apic_id`:
/// fixed delivery, physical destination, edge-triggered.
pub fn msi_message(apic_id: u8, vector: u8) -> (u32, u32) {
    (0xFEE0_0000 | u32::from(apic_id) << 12, u32::from(vector))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 256-byte configuration space.
    struct Fake([u32; 64]);

    impl ConfigurationSpace for Fake {
        fn read(&self, offset: u8) -> u32 {
            self.0[usize::from(offset / 4)]
        }
    }

    /// A virtio-net-pci function as QEMU presents it: MSI-X (3 entries, table in BAR 1 at 0),
    /// then virtio's common configuration in BAR 4 at 0, 56 bytes.
    fn virtio_net() -> Fake {
        let mut space = [0u32; 64];
        space[1] = CAPABILITIES_LIST | 0x0007;
        space[0x10 / 4 + 1] = 0xFEB8_0000; // BAR 1: 32-bit memory
        space[0x10 / 4 + 4] = 0xFE00_000C; // BAR 4: 64-bit prefetchable memory, low half
        space[0x10 / 4 + 5] = 0x0000_0000; // BAR 4: high half
        space[0x34 / 4] = 0x98;
        space[0x98 / 4] = 0x0002_8411; // MSI-X, next 0x84, 3 entries
        space[0x98 / 4 + 1] = 0x0000_0001; // table in BAR 1 at 0
        space[0x84 / 4] = 0x0110_7009; // vendor, next 0x70, length 16, cfg_type 1 (common)
        space[0x84 / 4 + 1] = 4;
        space[0x84 / 4 + 2] = 0;
        space[0x84 / 4 + 3] = 0x38;
        space[0x70 / 4] = 0x0310_0009; // vendor, end of list, cfg_type 3 (ISR)
        space[0x70 / 4 + 1] = 4;
        space[0x70 / 4 + 2] = 0x1000;
        space[0x70 / 4 + 3] = 0x1000;
        Fake(space)
    }

    #[test]
    fn walks_the_capability_list() {
        let space = virtio_net();
        assert_eq!(
            capabilities(&space).collect::<alloc::vec::Vec<_>>(),
            [(0x11, 0x98), (0x09, 0x84), (0x09, 0x70)]
        );
    }

    #[test]
    fn no_list_and_a_cyclic_list_end() {
        let mut space = virtio_net();
        space.0[1] = 0x0007;
        assert_eq!(capabilities(&space).count(), 0);
        let mut space = virtio_net();
        space.0[0x70 / 4] = 0x0310_9809; // points back to the first
        assert_eq!(capabilities(&space).count(), MAX_CAPABILITIES);
    }

    #[test]
    fn finds_msix_and_the_common_configuration() {
        let space = virtio_net();
        assert_eq!(
            find_msix(&space),
            Some(Msix {
                capability: 0x98,
                table_size: 3,
                table_bar: 1,
                table_offset: 0
            })
        );
        assert_eq!(
            find_virtio_structure(&space, VIRTIO_COMMON_CONFIGURATION),
            Some(VirtioStructure {
                bar: 4,
                offset: 0,
                length: 0x38
            })
        );
        assert_eq!(
            find_virtio_structure(&space, 3).map(|structure| structure.offset),
            Some(0x1000)
        );
        assert_eq!(find_virtio_structure(&space, 2), None);
        let mut without = virtio_net();
        without.0[0x34 / 4] = 0x84;
        assert_eq!(find_msix(&without), None);
    }

    #[test]
    fn decodes_memory_bars() {
        let mut space = virtio_net();
        assert_eq!(memory_bar(&space, 1), Some(0xFEB8_0000));
        assert_eq!(memory_bar(&space, 4), Some(0xFE00_0000));
        space.0[0x10 / 4 + 5] = 0x1;
        assert_eq!(memory_bar(&space, 4), Some(0x1_FE00_0000));
        space.0[0x10 / 4] = 0xC001; // I/O BAR
        assert_eq!(memory_bar(&space, 0), None);
        assert_eq!(memory_bar(&space, 2), None); // unassigned
        assert_eq!(memory_bar(&space, 6), None);
        space.0[0x10 / 4 + 5] = 0xFE00_0004; // a 64-bit BAR in the last slot has no high half
        assert_eq!(memory_bar(&space, 5), None);
    }

    #[test]
    fn msix_header_bits_and_the_message() {
        assert_eq!(Msix::enabled_header(0x4002_8411), 0x8002_8411);
        assert_eq!(Msix::disabled_header(0x8002_8411), 0x0002_8411);
        assert_eq!(msi_message(0, 41), (0xFEE0_0000, 41));
        assert_eq!(msi_message(3, 0x30), (0xFEE0_3000, 0x30));
    }
}
