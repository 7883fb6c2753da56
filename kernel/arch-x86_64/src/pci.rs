//! PCI configuration space through the legacy ports 0xCF8 (address) and 0xCFC (data), the
//! mechanism every x86 PC chipset (q35, i440fx) offers.

use x86_64::instructions::port::Port;

const ADDRESS_PORT: u16 = 0xCF8;
const DATA_PORT: u16 = 0xCFC;

/// A function on a PCI bus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// Bus number.
    pub bus: u8,
    /// Device number, 0–31.
    pub device: u8,
    /// Function number, 0–7.
    pub function: u8,
}

fn select(location: Location, offset: u8) {
    let address = 0x8000_0000u32
        | (u32::from(location.bus) << 16)
        | (u32::from(location.device & 0x1F) << 11)
        | (u32::from(location.function & 0x7) << 8)
        | u32::from(offset & 0xFC);
    // SAFETY: writing the configuration address register only selects which dword the data
    // port reaches; it has no effect on memory.
    unsafe { Port::<u32>::new(ADDRESS_PORT).write(address) };
}

/// Reads the configuration dword at `offset` (rounded down to 4) of `location`. Callers keep
/// the select/read pair from being interleaved (one CPU, no configuration access in interrupt
/// handlers).
pub fn read(location: Location, offset: u8) -> u32 {
    select(location, offset);
    // SAFETY: reading the data port returns the selected configuration dword (0xFFFF_FFFF for
    // an absent function); configuration reads have no side effects on memory.
    unsafe { Port::<u32>::new(DATA_PORT).read() }
}

/// Writes the configuration dword at `offset` of `location`.
pub fn write(location: Location, offset: u8, value: u32) {
    select(location, offset);
    // SAFETY: configuration writes program the device (BARs, command register); the drivers
    // that call this own the device and keep its BARs inside the identity-mapped device window.
    unsafe { Port::<u32>::new(DATA_PORT).write(value) };
}
