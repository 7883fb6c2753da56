//! PCI enumeration and transports.

use alloc::vec::Vec;
use sauce_runtime::arch::pci::{self, Location};
use sauce_runtime::{debug, warn};
use sauce_virtio_common::virtio_drivers::transport::pci::bus::{
    ConfigurationAccess, DeviceFunction, PciRoot,
};
use sauce_virtio_common::virtio_drivers::transport::pci::{virtio_device_type, PciTransport};
use sauce_virtio_common::virtio_drivers::transport::DeviceType;
use sauce_virtio_common::KernelHal;

/// Configuration space through ports 0xCF8/0xCFC.
#[derive(Debug)]
struct PortAccess;

fn location(function: DeviceFunction) -> Location {
    Location {
        bus: function.bus,
        device: function.device,
        function: function.function,
    }
}

impl ConfigurationAccess for PortAccess {
    fn read_word(&self, function: DeviceFunction, offset: u8) -> u32 {
        pci::read(location(function), offset)
    }

    fn write_word(&mut self, function: DeviceFunction, offset: u8, data: u32) {
        pci::write(location(function), offset, data);
    }

    unsafe fn unsafe_clone(&self) -> Self {
        PortAccess
    }
}

/// A virtio device on PCI.
pub struct PciDevice {
    /// The transport, ready for a driver.
    pub transport: PciTransport,
    /// What kind of device it is.
    pub device_type: DeviceType,
    /// Where it sits on the bus.
    pub location: Location,
}

/// Every virtio device on PCI bus 0.
pub fn discover() -> Vec<PciDevice> {
    let mut root = PciRoot::new(PortAccess);
    let mut devices = Vec::new();
    let functions: Vec<_> = root.enumerate_bus(0).collect();
    for (function, information) in functions {
        let Some(device_type) = virtio_device_type(&information) else {
            continue;
        };
        match PciTransport::new::<KernelHal, _>(&mut root, function) {
            Ok(transport) => {
                debug!("virtio-pci: {device_type:?} at {function}");
                devices.push(PciDevice {
                    transport,
                    device_type,
                    location: location(function),
                });
            }
            Err(error) => warn!("virtio-pci: {device_type:?} at {function}: {error}; skipped"),
        }
    }
    devices
}
