//! [`NetworkDevice`]: the `net-device` contract, what a network driver component hands the
//! network stack component: the device, its address, and how it signals.

use crate::signal::InterruptSignal;

/// A network device ready for a stack: `device` is the driver (a `smoltcp` device in the
/// images built today), `interrupt` is raised by its interrupt handler when frames arrive,
/// unless the driver could not route one (`interrupt_driven` false: the stack polls).
#[derive(Debug)]
pub struct NetworkDevice<D> {
    /// The driver.
    pub device: D,
    /// Its Ethernet address.
    pub mac: [u8; 6],
    /// Raised by its interrupt handler.
    pub interrupt: &'static InterruptSignal,
    /// Whether its interrupt is routed (false: the stack polls it every millisecond).
    pub interrupt_driven: bool,
}
