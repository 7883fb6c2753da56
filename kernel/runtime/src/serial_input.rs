//! The serial receive interrupt: COM1's line routed through the I/O APIC, each received byte
//! handed to a callback the board installs (the first user of device interrupts).

use sauce_arch_x86_64::apic::io::{self, Trigger};
use sauce_arch_x86_64::serial::{SerialPort, COM1, COM1_INTERRUPT_LINE};

/// Vector of the serial receive interrupt.
pub const SERIAL_VECTOR: u8 = 36;

static CALLBACK: spin::Once<fn(u8)> = spin::Once::new();

/// Calls `callback` (in interrupt context) for every byte received on COM1.
pub fn on_receive(callback: fn(u8)) {
    CALLBACK.call_once(|| callback);
    sauce_arch_x86_64::interrupts::register_handler(SERIAL_VECTOR, drain);
    io::route(COM1_INTERRUPT_LINE, SERIAL_VECTOR, Trigger::Edge);
    sauce_arch_x86_64::cpu::without_interrupts(|| SerialPort::new(COM1).enable_receive_interrupt());
}

fn drain() {
    let mut port = SerialPort::new(COM1);
    while let Some(byte) = port.try_read_byte() {
        if let Some(callback) = CALLBACK.get() {
            callback(byte);
        }
    }
}
