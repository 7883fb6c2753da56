//! Probing the windows named on the command line.

use alloc::vec::Vec;
use core::ptr::NonNull;
use sauce_core::command_line::{CommandLine, VirtioMmioDevice};
use sauce_runtime::arch::paging::{DEVICE_WINDOW_END, DEVICE_WINDOW_START};
use sauce_runtime::{debug, warn};
use sauce_virtio_common::virtio_drivers::transport::mmio::{
    MmioError, MmioTransport, VirtIOHeader,
};
use sauce_virtio_common::virtio_drivers::transport::{DeviceType, Transport};

/// A virtio device behind an MMIO window.
pub struct MmioDevice {
    /// The transport, ready for a driver.
    pub transport: MmioTransport<'static>,
    /// What kind of device it is.
    pub device_type: DeviceType,
    /// Physical base of the window.
    pub base: u64,
    /// The interrupt line (GSI) it raises.
    pub interrupt_line: u32,
}

/// Offsets of the interrupt registers, the same in versions 1 and 2.
const INTERRUPT_STATUS: u64 = 0x60;
const INTERRUPT_ACKNOWLEDGE: u64 = 0x64;

/// Every virtio-mmio device the command line names that answers with a known device type.
pub fn discover(command_line: &CommandLine<'_>) -> Vec<MmioDevice> {
    let mut devices = Vec::new();
    for text in command_line.values("virtio_mmio.device") {
        let Ok(entry) = VirtioMmioDevice::parse(text) else {
            warn!("virtio-mmio: cannot parse virtio_mmio.device={text}; skipped");
            continue;
        };
        let end = entry.base.saturating_add(entry.size);
        if entry.base < DEVICE_WINDOW_START || end > DEVICE_WINDOW_END || entry.size < 0x100 {
            warn!(
                "virtio-mmio: window {:#x}+{:#x} is outside the device window; skipped",
                entry.base, entry.size
            );
            continue;
        }
        let Some(header) = NonNull::new(entry.base as *mut VirtIOHeader) else {
            continue;
        };
        // SAFETY: the window lies in the identity-mapped, uncached device window (checked
        // above), is the size the VMM gave, and each command-line entry names a distinct device,
        // so this transport is its only user for the rest of the program.
        match unsafe { MmioTransport::new(header, entry.size as usize) } {
            Ok(transport) => {
                let device_type = transport.device_type();
                debug!(
                    "virtio-mmio: {device_type:?} at {:#x}, interrupt {}, {:?}",
                    entry.base,
                    entry.irq,
                    transport.version()
                );
                devices.push(MmioDevice {
                    transport,
                    device_type,
                    base: entry.base,
                    interrupt_line: entry.irq,
                });
            }
            Err(MmioError::InvalidDeviceID(_)) => {}
            Err(error) => warn!("virtio-mmio: {:#x}: {error}; skipped", entry.base),
        }
    }
    devices
}

/// Reads and acknowledges the interrupt causes of the device at `base`; returns them (bit 0:
/// used buffers, bit 1: configuration change).
pub fn acknowledge_interrupt(base: u64) -> u32 {
    // SAFETY: `base` is the window of a device `discover` found, in the mapped device window;
    // these two registers only report and clear interrupt causes.
    unsafe {
        let status = core::ptr::read_volatile((base + INTERRUPT_STATUS) as *const u32);
        core::ptr::write_volatile((base + INTERRUPT_ACKNOWLEDGE) as *mut u32, status);
        status
    }
}

/// The one interrupt-driven device: its window, and what to call after acknowledging.
static INTERRUPT_DEVICE: spin::Once<(u64, fn())> = spin::Once::new();

/// Vector the interrupt-driven device's line is routed to.
pub const INTERRUPT_VECTOR: u8 = 40;

/// Delivers `device`'s interrupts (level-triggered, through the I/O APIC) to a handler that
/// acknowledges them and then calls `notify` (in interrupt context: it must only wake a task).
/// One device per image may be interrupt-driven; a second call is refused with `false`.
pub fn enable_interrupt(device: &MmioDevice, notify: fn()) -> bool {
    enable_interrupt_at(device.base, device.interrupt_line, notify)
}

/// [`enable_interrupt`] for the device whose window is at `base`, raising `interrupt_line`.
pub fn enable_interrupt_at(base: u64, interrupt_line: u32, notify: fn()) -> bool {
    if INTERRUPT_DEVICE.get().is_some() {
        return false;
    }
    let Ok(line) = u8::try_from(interrupt_line) else {
        return false;
    };
    INTERRUPT_DEVICE.call_once(|| (base, notify));
    sauce_runtime::arch::interrupts::register_handler(INTERRUPT_VECTOR, on_interrupt);
    sauce_runtime::arch::apic::io::route(
        line,
        INTERRUPT_VECTOR,
        sauce_runtime::arch::apic::io::Trigger::Level,
    );
    true
}

fn on_interrupt() {
    if let Some((base, notify)) = INTERRUPT_DEVICE.get() {
        acknowledge_interrupt(*base);
        notify();
    }
}
