//! The virtio-pci component's contract with the board: provides `virtio-transport` for the
//! network device on PCI bus 0.
use sauce_virtio_common::virtio_drivers::transport::pci::PciTransport;
use sauce_virtio_common::virtio_drivers::transport::DeviceType;
use sauce_virtio_common::VirtioTransport;

use crate::discovery::discover;
use crate::interrupt::enable_interrupt;

/// The network device's transport; stops the VM with the fix when there is none.
pub fn network_transport() -> VirtioTransport<PciTransport> {
    let device = discover()
        .into_iter()
        .find(|device| device.device_type == DeviceType::Network)
        .unwrap_or_else(|| panic!("no virtio-pci network device on PCI bus 0: start the VM with one (sauce run adds it)"));
    let location = device.location;
    VirtioTransport {
        transport: device.transport,
        route_interrupt: alloc::boxed::Box::new(move |handler| enable_interrupt(location, handler)),
    }
}
