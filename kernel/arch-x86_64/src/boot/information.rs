//! What the VMM tells the kernel at boot: protocol, memory map, command line, ACPI pointer.
//!
//! Everything is copied into a [`BootInformation`] value before the kernel hands low memory to
//! its frame allocator (record 0013 §2: the structures lie inside RAM reported as usable).

use super::physical::{copy_c_string, copy_from_physical, read_u32, read_u64};
use sauce_core::memory_map::MemoryMap;

/// Longest command line kept.
pub const COMMAND_LINE_CAPACITY: usize = 2048;
/// `hvm_start_info.magic`.
const PVH_MAGIC: u32 = 0x336e_c578;
/// Most memory-map entries read from either protocol.
const MAXIMUM_ENTRIES: usize = 64;

/// How the VMM entered the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BootProtocol {
    /// Xen PVH: 32-bit entry, `hvm_start_info` (QEMU, Firecracker ≥ 1.12).
    Pvh,
    /// Linux 64-bit boot protocol, `boot_params` (Firecracker without PVH).
    Linux,
}

impl BootProtocol {
    /// Name shown in the boot banner.
    pub fn name(self) -> &'static str {
        match self {
            BootProtocol::Pvh => "PVH",
            BootProtocol::Linux => "Linux 64-bit",
        }
    }
}

/// Why the boot structure could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BootError {
    /// The entry stub passed a protocol number it does not define.
    UnknownProtocol(u64),
    /// `hvm_start_info` had the wrong magic number.
    BadMagic(u32),
    /// A structure lay outside the memory mapped at boot.
    Unreadable(u64),
    /// The memory map could not be parsed.
    BadMemoryMap,
}

/// Boot information, owned by the kernel.
pub struct BootInformation {
    /// Entry path taken.
    pub protocol: BootProtocol,
    /// The VMM's memory map, as reported (unsorted, with reserved and empty entries).
    pub memory_map: MemoryMap,
    /// Physical address of the ACPI RSDP, when the VMM gave one.
    pub rsdp_address: Option<u64>,
    command_line: [u8; COMMAND_LINE_CAPACITY],
    command_line_length: usize,
}

impl BootInformation {
    /// Reads the structure at `structure` left by the VMM for entry `protocol` (1 PVH, 2 Linux).
    pub fn collect(protocol: u64, structure: u64) -> Result<Self, BootError> {
        match protocol {
            1 => Self::from_pvh(structure),
            2 => Self::from_linux(structure),
            other => Err(BootError::UnknownProtocol(other)),
        }
    }

    /// The kernel command line (lossy: invalid UTF-8 ends it).
    pub fn command_line(&self) -> &str {
        let bytes = &self.command_line[..self.command_line_length];
        match core::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => core::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or(""),
        }
    }

    fn empty(protocol: BootProtocol) -> Self {
        Self {
            protocol,
            memory_map: MemoryMap::new(),
            rsdp_address: None,
            command_line: [0; COMMAND_LINE_CAPACITY],
            command_line_length: 0,
        }
    }

    fn from_pvh(start_info: u64) -> Result<Self, BootError> {
        let magic = read_u32(start_info, 0).ok_or(BootError::Unreadable(start_info))?;
        if magic != PVH_MAGIC {
            return Err(BootError::BadMagic(magic));
        }
        let mut information = Self::empty(BootProtocol::Pvh);
        let command_line = read_u64(start_info, 24).ok_or(BootError::Unreadable(start_info))?;
        information.read_command_line(command_line);
        let rsdp = read_u64(start_info, 32).unwrap_or(0);
        information.rsdp_address = (rsdp != 0).then_some(rsdp);
        let version = read_u32(start_info, 4).unwrap_or(0);
        if version >= 1 {
            let map = read_u64(start_info, 40).ok_or(BootError::Unreadable(start_info))?;
            let entries = (read_u32(start_info, 48).unwrap_or(0) as usize).min(MAXIMUM_ENTRIES);
            let mut bytes = [0u8; MAXIMUM_ENTRIES * 24];
            let bytes = &mut bytes[..entries * 24];
            if !copy_from_physical(map, bytes) {
                return Err(BootError::Unreadable(map));
            }
            information.memory_map =
                MemoryMap::parse_pvh(bytes, entries).map_err(|_| BootError::BadMemoryMap)?;
        }
        Ok(information)
    }

    fn from_linux(boot_parameters: u64) -> Result<Self, BootError> {
        let mut information = Self::empty(BootProtocol::Linux);
        let mut page = [0u8; 4096];
        if !copy_from_physical(boot_parameters, &mut page) {
            return Err(BootError::Unreadable(boot_parameters));
        }
        let little_u32 = |offset: usize| {
            u32::from_le_bytes([
                page[offset],
                page[offset + 1],
                page[offset + 2],
                page[offset + 3],
            ])
        };
        let command_line = u64::from(little_u32(0x228)) | (u64::from(little_u32(0x0C8)) << 32);
        information.read_command_line(command_line);
        let rsdp = u64::from(little_u32(0x070)) | (u64::from(little_u32(0x074)) << 32);
        information.rsdp_address = (rsdp != 0).then_some(rsdp);
        let entries = usize::from(page[0x1E8]).min(MAXIMUM_ENTRIES);
        information.memory_map = MemoryMap::parse_e820(&page[0x2D0..0x2D0 + entries * 20], entries)
            .map_err(|_| BootError::BadMemoryMap)?;
        Ok(information)
    }

    fn read_command_line(&mut self, address: u64) {
        if address != 0 {
            self.command_line_length = copy_c_string(address, &mut self.command_line);
        }
    }
}
