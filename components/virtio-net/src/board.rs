//! The virtio-net component's contract with the board: takes a `virtio-transport`, provides
//! `net-device`.
use sauce_core::net::NetworkDevice;
use sauce_core::signal::InterruptSignal;
use sauce_virtio_common::virtio_drivers::transport::Transport;
use sauce_virtio_common::VirtioTransport;

use crate::VirtioNet;

/// Raised by the device's interrupt handler (one network device per image).
static INTERRUPT: InterruptSignal = InterruptSignal::new();

/// The interrupt handler: it only raises the signal the network loop waits on.
fn notify() {
    INTERRUPT.notify();
}

/// Sets the device up on `transport`, then routes its interrupt (a PCI reset clears MSI-X,
/// so routing comes after); stops the VM with the cause when the device refuses.
pub fn init<T: Transport>(transport: VirtioTransport<T>) -> NetworkDevice<VirtioNet<T>> {
    let VirtioTransport {
        transport,
        route_interrupt,
    } = transport;
    let device = VirtioNet::new(transport).unwrap_or_else(|error| panic!("virtio-net: {error}"));
    let mac = device.mac_address();
    let interrupt_driven = route_interrupt(notify);
    NetworkDevice {
        device,
        mac,
        interrupt: &INTERRUPT,
        interrupt_driven,
    }
}
