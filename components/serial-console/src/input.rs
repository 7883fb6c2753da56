//! COM1's receive interrupt: routed through the I/O APIC, every received byte queued.

use sauce_arch_x86_64::apic::io::{self, Trigger};
use sauce_arch_x86_64::serial::{SerialPort, COM1, COM1_INTERRUPT_LINE};

use crate::ring::ByteRing;

/// Vector of the serial receive interrupt.
pub const SERIAL_VECTOR: u8 = 36;
/// Received bytes held until the app reads them; more are dropped (and counted).
pub const INPUT_CAPACITY: usize = 256;

static INPUT: ByteRing<INPUT_CAPACITY> = ByteRing::new();
static WAKE: spin::Once<fn()> = spin::Once::new();

/// Routes COM1's receive interrupt; from now on received bytes are queued for [`read_byte`]
/// and `wake` is called (in interrupt context: it must only notify, as
/// `InterruptSignal::notify` does) after each burst. Calling it again keeps the first `wake`.
pub fn enable_input(wake: fn()) {
    WAKE.call_once(|| wake);
    sauce_arch_x86_64::interrupts::register_handler(SERIAL_VECTOR, drain);
    io::route(COM1_INTERRUPT_LINE, SERIAL_VECTOR, Trigger::Edge);
    sauce_arch_x86_64::cpu::without_interrupts(|| SerialPort::new(COM1).enable_receive_interrupt());
}

/// The oldest received byte not read yet.
pub fn read_byte() -> Option<u8> {
    INPUT.pop()
}

/// Bytes dropped because the app did not read them in time.
pub fn dropped_bytes() -> usize {
    INPUT.dropped()
}

/// The interrupt handler: empties the UART's receive FIFO into the queue, then wakes the app.
fn drain() {
    let mut port = SerialPort::new(COM1);
    let mut received = false;
    while let Some(byte) = port.try_read_byte() {
        INPUT.push(byte);
        received = true;
    }
    if received {
        if let Some(wake) = WAKE.get() {
            wake();
        }
    }
}
