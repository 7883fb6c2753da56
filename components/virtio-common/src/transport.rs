//! [`VirtioTransport`]: the `virtio-transport` contract between a transport component
//! (virtio-mmio, virtio-pci) and a driver component (virtio-net).

use alloc::boxed::Box;

/// A virtio device's transport, found by a transport component, with how to route its
/// interrupt. The driver sets the device up first, then routes the interrupt (a PCI device's
/// reset clears its MSI-X assignment, so routing comes last for every transport).
pub struct VirtioTransport<T> {
    /// The transport, ready for a driver.
    pub transport: T,
    /// Routes the device's interrupt to `handler` (an interrupt handler: it may only notify a
    /// signal); whether it did (false: the driver's user polls).
    pub route_interrupt: Box<dyn FnOnce(fn()) -> bool>,
}

impl<T> core::fmt::Debug for VirtioTransport<T> {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("VirtioTransport")
            .finish_non_exhaustive()
    }
}
