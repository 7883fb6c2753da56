//! 16550 UART on COM1: the log sink of every image, and a source of receive interrupts.
//!
//! On a VMM each port access is a VM exit (20–40 µs on nested KVM), so output goes out in
//! bursts: one line-status read, then up to 16 bytes (the FIFO depth) with one `rep outsb`,
//! which KVM hands to the VMM as a single exit.

use x86_64::instructions::port::Port;

/// I/O port base of COM1.
pub const COM1: u16 = 0x3F8;
/// The legacy interrupt line (GSI) of COM1.
pub const COM1_INTERRUPT_LINE: u8 = 4;
/// Bytes the transmit FIFO holds.
const FIFO_DEPTH: usize = 16;
/// Line status: transmit holding register empty.
const LINE_STATUS_TRANSMIT_EMPTY: u8 = 1 << 5;
/// Line status: received data ready.
const LINE_STATUS_DATA_READY: u8 = 1;

/// A 16550-compatible UART.
#[derive(Debug)]
pub struct SerialPort {
    base: u16,
}

impl SerialPort {
    /// The UART at `base`; nothing is touched until [`SerialPort::initialise`].
    pub const fn new(base: u16) -> Self {
        Self { base }
    }

    fn write_register(&mut self, offset: u16, value: u8) {
        // SAFETY: the registers of a 16550 at `base` have no effect on memory.
        unsafe { Port::<u8>::new(self.base + offset).write(value) }
    }

    fn read_register(&mut self, offset: u16) -> u8 {
        // SAFETY: as for write_register; reads of these registers only affect the UART.
        unsafe { Port::<u8>::new(self.base + offset).read() }
    }

    /// 8 data bits, no parity, one stop bit, FIFOs on, interrupts off. The baud-rate divisor
    /// is left as the VMM set it: emulated UARTs ignore it, and each write is a VM exit.
    pub fn initialise(&mut self) {
        self.write_register(1, 0x00); // interrupts off
        self.write_register(3, 0x03); // 8N1
        self.write_register(2, 0xC7); // FIFOs on and cleared, 14-byte receive threshold
        self.write_register(4, 0x0B); // DTR, RTS, OUT2 (routes the interrupt line)
    }

    /// Raises an interrupt whenever a byte arrives.
    pub fn enable_receive_interrupt(&mut self) {
        self.write_register(1, 0x01);
    }

    /// A received byte, if one is waiting.
    pub fn try_read_byte(&mut self) -> Option<u8> {
        if self.read_register(5) & LINE_STATUS_DATA_READY != 0 {
            Some(self.read_register(0))
        } else {
            None
        }
    }

    /// Sends `bytes`, waiting for room in the FIFO before each burst of up to 16.
    pub fn write_bytes(&mut self, bytes: &[u8]) {
        for burst in bytes.chunks(FIFO_DEPTH) {
            while self.read_register(5) & LINE_STATUS_TRANSMIT_EMPTY == 0 {
                core::hint::spin_loop();
            }
            // SAFETY: `rep outsb` reads `burst.len()` bytes from `burst`, which is a live slice,
            // and writes them to the transmit register; the direction flag is clear (the boot
            // stub clears it and nothing sets it).
            unsafe {
                core::arch::asm!(
                    "rep outsb",
                    in("dx") self.base,
                    inout("rsi") burst.as_ptr() => _,
                    inout("rcx") burst.len() => _,
                    options(nostack, preserves_flags, readonly)
                );
            }
        }
    }
}

impl core::fmt::Write for SerialPort {
    fn write_str(&mut self, text: &str) -> core::fmt::Result {
        self.write_bytes(text.as_bytes());
        Ok(())
    }
}
