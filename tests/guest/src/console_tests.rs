//! Console tests: COM1 input through the I/O APIC (serial-console, in the UART's loopback
//! mode), and the VGA mirror (vga-console) where the machine has a VGA.

use crate::Context;
use core::sync::atomic::{AtomicUsize, Ordering};
use sauce_runtime::arch::serial::{SerialPort, COM1};
use sauce_runtime::{clock, println};
use x86_64::instructions::port::Port;

/// Modem control: DTR, RTS and OUT2, as the runtime programs it.
const MODEM_CONTROL_NORMAL: u8 = 0x0B;
/// The same plus loopback: what the UART transmits, it receives.
const MODEM_CONTROL_LOOPBACK: u8 = MODEM_CONTROL_NORMAL | 0x10;
/// Exactly the receive FIFO's interrupt threshold, so the interrupt comes at once.
const MESSAGE: &[u8] = b"sauce loopback";

static WAKE_UPS: AtomicUsize = AtomicUsize::new(0);

fn set_modem_control(value: u8) {
    // SAFETY: the modem-control register of COM1 only changes the UART's line signals and
    // loopback; nothing in memory depends on it.
    unsafe { Port::<u8>::new(COM1 + 4).write(value) }
}

/// Bytes the UART sends to itself in loopback arrive through the receive interrupt, the
/// I/O APIC route, the queue and the wake-up callback.
pub fn serial_input_loopback(_: &mut Context) {
    sauce_serial_console::enable_input(|| {
        WAKE_UPS.fetch_add(1, Ordering::Relaxed);
    });
    while sauce_serial_console::read_byte().is_some() {}
    let mut received = [0u8; 32];
    let mut count = 0;
    // Nothing may be printed while the UART talks to itself.
    set_modem_control(MODEM_CONTROL_LOOPBACK);
    SerialPort::new(COM1).write_bytes(MESSAGE);
    let deadline = clock::now_nanoseconds() + 2_000_000_000;
    while count < MESSAGE.len() && clock::now_nanoseconds() < deadline {
        match sauce_serial_console::read_byte() {
            Some(byte) => {
                received[count] = byte;
                count += 1;
            }
            None => core::hint::spin_loop(),
        }
    }
    set_modem_control(MODEM_CONTROL_NORMAL);
    let wake_ups = WAKE_UPS.load(Ordering::Relaxed);
    println!("serial input: {count} bytes, {wake_ups} wake-ups");
    assert_eq!(&received[..count], MESSAGE, "bytes received in loopback");
    assert!(wake_ups >= 1, "the wake-up callback never ran");
    assert_eq!(sauce_serial_console::dropped_bytes(), 0);
}

/// With a VGA (q35), a printed line appears on the screen's second-to-last row; without one
/// (microvm), nothing was attached and the banner named no VGA.
pub fn vga_mirrors_console(context: &mut Context) {
    if !context.vga_attached {
        println!("no VGA on this machine: nothing attached");
        return;
    }
    let marker = "vga-console mirror check 0123456789";
    println!("{marker}");
    let mut row = [0u8; 80];
    for (column, cell) in row.iter_mut().enumerate() {
        let address = (0xB_8000 + 2 * (23 * 80 + column)) as *const u16;
        // SAFETY: the address lies inside the 80×25 text buffer, which the VGA probe found
        // present and the kernel maps; a volatile read of it has no side effect.
        *cell = unsafe { core::ptr::read_volatile(address) } as u8;
    }
    let shown = core::str::from_utf8(&row).unwrap_or("");
    assert!(shown.starts_with(marker), "the screen shows {shown:?}");
}
