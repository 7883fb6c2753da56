//! The virtio-mmio component's contract with the board: provides `virtio-transport` for the
//! network device the command line names.
use sauce_core::command_line::CommandLine;
use sauce_virtio_common::virtio_drivers::transport::mmio::MmioTransport;
use sauce_virtio_common::virtio_drivers::transport::DeviceType;
use sauce_virtio_common::VirtioTransport;

use crate::discovery::{discover, enable_interrupt_at};

/// The network device's transport; stops the VM with the fix when there is none.
pub fn network_transport(
    command_line: &CommandLine<'_>,
) -> VirtioTransport<MmioTransport<'static>> {
    let device = discover(command_line)
        .into_iter()
        .find(|device| device.device_type == DeviceType::Network)
        .unwrap_or_else(|| panic!("no virtio-mmio network device on the command line (virtio_mmio.device=): start the VM with one (sauce run adds it)"));
    let (base, line) = (device.base, device.interrupt_line);
    VirtioTransport {
        transport: device.transport,
        route_interrupt: alloc::boxed::Box::new(move |handler| {
            enable_interrupt_at(base, line, handler)
        }),
    }
}
