//! MSI-X for a virtio-pci device: one table entry aimed at the boot processor, every enabled
//! queue's vector pointed at it, configuration-change interrupts off.

use sauce_runtime::arch::apic;
use sauce_runtime::arch::paging::{DEVICE_WINDOW_END, DEVICE_WINDOW_START};
use sauce_runtime::arch::pci::{self, Location};
use sauce_runtime::debug;

use crate::configuration::{self, ConfigurationSpace, Msix, VIRTIO_COMMON_CONFIGURATION};

/// Vector the interrupt-driven PCI device's MSI-X message carries.
pub const INTERRUPT_VECTOR: u8 = 41;

/// `VIRTIO_MSI_NO_VECTOR`: no interrupt for this cause.
const NO_VECTOR: u16 = 0xFFFF;
/// Offsets in virtio's common configuration structure (§4.1.4.3).
const MSIX_CONFIG: u64 = 0x10;
const NUM_QUEUES: u64 = 0x12;
const QUEUE_SELECT: u64 = 0x16;
const QUEUE_MSIX_VECTOR: u64 = 0x1A;
const QUEUE_ENABLE: u64 = 0x1C;
const COMMON_LENGTH: u32 = 0x20;
/// The PCI command register's bus-master bit: MSI messages are memory writes by the device.
const BUS_MASTER: u32 = 1 << 2;
const MEMORY_SPACE: u32 = 1 << 1;

/// Configuration space of one function through the ports.
struct PortSpace(Location);

impl ConfigurationSpace for PortSpace {
    fn read(&self, offset: u8) -> u32 {
        pci::read(self.0, offset)
    }
}

/// The one interrupt-driven PCI device's handler.
static HANDLER: spin::Once<fn()> = spin::Once::new();

fn on_interrupt() {
    if let Some(handler) = HANDLER.get() {
        handler();
    }
}

/// A register block inside the mapped device window.
#[derive(Clone, Copy)]
struct Registers(u64);

impl Registers {
    fn inside_window(base: u64, length: u32) -> Option<Registers> {
        let end = base.checked_add(u64::from(length))?;
        (base >= DEVICE_WINDOW_START && end <= DEVICE_WINDOW_END).then_some(Registers(base))
    }

    fn write32(self, offset: u64, value: u32) {
        // SAFETY: `inside_window` checked that the block lies in the identity-mapped, uncached
        // device window, where the firmware put this device's BAR; offsets stay within the
        // length checked there. Device registers hold no Rust data.
        unsafe { core::ptr::write_volatile((self.0 + offset) as *mut u32, value) }
    }

    fn write16(self, offset: u64, value: u16) {
        // SAFETY: as for `write32`.
        unsafe { core::ptr::write_volatile((self.0 + offset) as *mut u16, value) }
    }

    fn read16(self, offset: u64) -> u16 {
        // SAFETY: as for `write32`; reading these registers has no side effect.
        unsafe { core::ptr::read_volatile((self.0 + offset) as *const u16) }
    }
}

/// Delivers the interrupts of the virtio device at `location` through MSI-X to `handler`
/// (in interrupt context: it must only wake a task). Call it once the driver has set the
/// device up: a device reset clears virtio's vector assignment. Returns `false`, leaving the
/// device to be polled, when the device has no usable MSI-X, a register block lies outside
/// the mapped device window, the device refuses the vector, or another device already took
/// this path (one per image).
pub fn enable_interrupt(location: Location, handler: fn()) -> bool {
    if HANDLER.get().is_some() {
        return false;
    }
    let space = PortSpace(location);
    let Some(msix) = configuration::find_msix(&space) else {
        debug!("virtio-pci: no MSI-X capability; polled");
        return false;
    };
    let table = configuration::memory_bar(&space, msix.table_bar)
        .and_then(|bar| Registers::inside_window(bar + u64::from(msix.table_offset), 16));
    let common = configuration::find_virtio_structure(&space, VIRTIO_COMMON_CONFIGURATION)
        .filter(|structure| structure.length >= COMMON_LENGTH)
        .and_then(|structure| {
            Some(u64::from(structure.offset) + configuration::memory_bar(&space, structure.bar)?)
        })
        .and_then(|base| Registers::inside_window(base, COMMON_LENGTH));
    let (Some(table), Some(common)) = (table, common) else {
        debug!("virtio-pci: MSI-X table or common configuration outside the device window; polled");
        return false;
    };

    HANDLER.call_once(|| handler);
    sauce_runtime::arch::interrupts::register_handler(INTERRUPT_VECTOR, on_interrupt);
    let (address, data) = configuration::msi_message(apic::local::id(), INTERRUPT_VECTOR);
    table.write32(0, address);
    table.write32(4, 0);
    table.write32(8, data);
    table.write32(12, 0); // unmasked
    let command = pci::read(location, 0x04);
    pci::write(
        location,
        0x04,
        (command & 0xFFFF) | BUS_MASTER | MEMORY_SPACE,
    );
    let header = pci::read(location, msix.capability);
    pci::write(location, msix.capability, Msix::enabled_header(header));

    common.write16(MSIX_CONFIG, NO_VECTOR);
    let queues = common.read16(NUM_QUEUES);
    for queue in 0..queues {
        common.write16(QUEUE_SELECT, queue);
        if common.read16(QUEUE_ENABLE) == 0 {
            continue;
        }
        common.write16(QUEUE_MSIX_VECTOR, 0);
        if common.read16(QUEUE_MSIX_VECTOR) != 0 {
            debug!("virtio-pci: queue {queue} refused MSI-X vector 0; polled");
            pci::write(
                location,
                msix.capability,
                Msix::disabled_header(pci::read(location, msix.capability)),
            );
            return false;
        }
    }
    true
}
