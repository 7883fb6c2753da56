//! Console output: `print!`, `println!` and levelled `log!` lines over serial (and the sinks
//! components add, see [`crate::console`]), each log line stamped with the time since boot.
//!
//! Output is gathered into 128-byte bursts before it reaches the UART (one VM exit per burst
//! rather than per byte); the console lock is taken with interrupts disabled, so interrupt
//! handlers may log too.

use crate::console::{ConsoleSink, SinkNames, Sinks, SinksFull};
use core::fmt::Write;
use sauce_arch_x86_64::serial::{SerialPort, COM1};
use sauce_core::log::Level;

struct Console {
    serial: SerialPort,
    sinks: Sinks,
}

static CONSOLE: spin::Mutex<Console> = spin::Mutex::new(Console {
    serial: SerialPort::new(COM1),
    sinks: Sinks::new(),
});
static MAXIMUM_LEVEL: core::sync::atomic::AtomicU8 =
    core::sync::atomic::AtomicU8::new(Level::Info as u8);

/// Programs the UART; output before this call is lost.
pub(crate) fn initialise_serial() {
    CONSOLE.lock().serial.initialise();
}

/// Mirrors the console to `sink` from now on (see [`crate::console::add_sink`]).
pub(crate) fn add_sink(sink: &'static dyn ConsoleSink) -> Result<(), SinksFull> {
    sauce_arch_x86_64::cpu::without_interrupts(|| CONSOLE.lock().sinks.add(sink))
}

/// The names of the attached sinks, for the banner.
pub(crate) fn sink_names() -> SinkNames {
    sauce_arch_x86_64::cpu::without_interrupts(|| CONSOLE.lock().sinks.names())
}

/// Sets the most detailed level printed (from `loglevel=`).
pub fn set_maximum_level(level: Level) {
    MAXIMUM_LEVEL.store(level as u8, core::sync::atomic::Ordering::Relaxed);
}

/// Whether lines at `level` are printed.
pub fn enabled(level: Level) -> bool {
    level as u8 <= MAXIMUM_LEVEL.load(core::sync::atomic::Ordering::Relaxed)
}

/// Gathers output into bursts, turning `\n` into `\r\n`.
struct Burst<'a> {
    console: &'a mut Console,
    buffer: [u8; 128],
    length: usize,
}

impl Burst<'_> {
    fn flush(&mut self) {
        let bytes = &self.buffer[..self.length];
        self.console.serial.write_bytes(bytes);
        self.console.sinks.write_bytes(bytes);
        self.length = 0;
    }

    fn push(&mut self, byte: u8) {
        if self.length == self.buffer.len() {
            self.flush();
        }
        self.buffer[self.length] = byte;
        self.length += 1;
    }
}

impl Write for Burst<'_> {
    fn write_str(&mut self, text: &str) -> core::fmt::Result {
        for &byte in text.as_bytes() {
            if byte == b'\n' {
                self.push(b'\r');
            }
            self.push(byte);
        }
        Ok(())
    }
}

fn with_burst(work: impl FnOnce(&mut Burst<'_>)) {
    sauce_arch_x86_64::cpu::without_interrupts(|| {
        let mut console = CONSOLE.lock();
        let mut burst = Burst {
            console: &mut console,
            buffer: [0; 128],
            length: 0,
        };
        work(&mut burst);
        burst.flush();
    });
}

/// Writes formatted text as is.
pub fn print(arguments: core::fmt::Arguments<'_>) {
    with_burst(|burst| {
        let _ = burst.write_fmt(arguments);
    });
}

/// Writes one log line: timestamp, level, text.
pub fn log(level: Level, arguments: core::fmt::Arguments<'_>) {
    if !enabled(level) {
        return;
    }
    let now = crate::clock::now_nanoseconds();
    with_burst(|burst| {
        let _ = sauce_core::log::format_timestamp(now, burst);
        let _ = writeln!(burst, " {} {}", level.as_str(), arguments);
    });
}

/// Writes a line even when the console lock is held (after a fault inside the logger).
pub(crate) fn emergency_line(arguments: core::fmt::Arguments<'_>) {
    let mut console = Console {
        serial: SerialPort::new(COM1),
        sinks: Sinks::new(),
    };
    let mut burst = Burst {
        console: &mut console,
        buffer: [0; 128],
        length: 0,
    };
    let _ = burst.write_fmt(arguments);
    let _ = burst.write_str("\n");
    burst.flush();
}

/// Prints formatted text to the console.
#[macro_export]
macro_rules! print {
    ($($argument:tt)*) => { $crate::log::print(format_args!($($argument)*)) };
}

/// Prints formatted text and a new line to the console.
#[macro_export]
macro_rules! println {
    () => { $crate::log::print(format_args!("\n")) };
    ($($argument:tt)*) => { $crate::log::print(format_args!("{}\n", format_args!($($argument)*))) };
}

/// Logs a line at a level: `log!(Level::Info, "…", …)`.
#[macro_export]
macro_rules! log {
    ($level:expr, $($argument:tt)*) => { $crate::log::log($level, format_args!($($argument)*)) };
}

/// Logs at `Info`.
#[macro_export]
macro_rules! info {
    ($($argument:tt)*) => { $crate::log!($crate::sauce_core::log::Level::Info, $($argument)*) };
}

/// Logs at `Warn`.
#[macro_export]
macro_rules! warn {
    ($($argument:tt)*) => { $crate::log!($crate::sauce_core::log::Level::Warn, $($argument)*) };
}

/// Logs at `Debug`.
#[macro_export]
macro_rules! debug {
    ($($argument:tt)*) => { $crate::log!($crate::sauce_core::log::Level::Debug, $($argument)*) };
}
