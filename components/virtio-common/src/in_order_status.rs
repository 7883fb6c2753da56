//! [`InOrderStatus`]: a transport wrapper that walks the device status through every step.
//!
//! virtio-drivers writes `ACKNOWLEDGE | DRIVER` in one go after a reset. The specification
//! (§3.1.1) lists the bits as successive steps, and Firecracker enforces it: it rejects the
//! transition 0 → 3 ("invalid virtio driver status transition") and then ignores feature and
//! queue set-up. This wrapper sets the missing bits one at a time, in the specification's order.

use virtio_drivers::transport::{DeviceStatus, DeviceType, InterruptStatus, Transport};
use virtio_drivers::{PhysAddr, Result};
use zerocopy::{FromBytes, Immutable, IntoBytes};

/// The status bits a driver sets during initialisation, in order.
const STEPS: [DeviceStatus; 4] = [
    DeviceStatus::ACKNOWLEDGE,
    DeviceStatus::DRIVER,
    DeviceStatus::FEATURES_OK,
    DeviceStatus::DRIVER_OK,
];

/// `T`, with status writes split into the specification's steps.
#[derive(Debug)]
pub struct InOrderStatus<T: Transport>(pub T);

impl<T: Transport> Transport for InOrderStatus<T> {
    fn device_type(&self) -> DeviceType {
        self.0.device_type()
    }
    fn read_device_features(&mut self) -> u64 {
        self.0.read_device_features()
    }
    fn write_driver_features(&mut self, driver_features: u64) {
        self.0.write_driver_features(driver_features);
    }
    fn max_queue_size(&mut self, queue: u16) -> u32 {
        self.0.max_queue_size(queue)
    }
    fn notify(&mut self, queue: u16) {
        self.0.notify(queue);
    }
    fn get_status(&self) -> DeviceStatus {
        self.0.get_status()
    }
    fn set_status(&mut self, status: DeviceStatus) {
        if status.is_empty() {
            self.0.set_status(status);
            return;
        }
        let mut current = self.0.get_status();
        for step in STEPS {
            if status.contains(step) && !current.contains(step) {
                current |= step;
                self.0.set_status(current);
            }
        }
        if current != status {
            self.0.set_status(status);
        }
    }
    fn set_guest_page_size(&mut self, guest_page_size: u32) {
        self.0.set_guest_page_size(guest_page_size);
    }
    fn requires_legacy_layout(&self) -> bool {
        self.0.requires_legacy_layout()
    }
    fn queue_set(
        &mut self,
        queue: u16,
        size: u32,
        descriptors: PhysAddr,
        driver_area: PhysAddr,
        device_area: PhysAddr,
    ) {
        self.0
            .queue_set(queue, size, descriptors, driver_area, device_area);
    }
    fn queue_unset(&mut self, queue: u16) {
        self.0.queue_unset(queue);
    }
    fn queue_used(&mut self, queue: u16) -> bool {
        self.0.queue_used(queue)
    }
    fn ack_interrupt(&mut self) -> InterruptStatus {
        self.0.ack_interrupt()
    }
    fn read_config_generation(&self) -> u32 {
        self.0.read_config_generation()
    }
    fn read_config_space<V: FromBytes + IntoBytes>(&self, offset: usize) -> Result<V> {
        self.0.read_config_space(offset)
    }
    fn write_config_space<V: IntoBytes + Immutable>(
        &mut self,
        offset: usize,
        value: V,
    ) -> Result<()> {
        self.0.write_config_space(offset, value)
    }
}
