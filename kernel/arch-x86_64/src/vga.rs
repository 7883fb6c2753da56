//! VGA text mode (80×25 at 0xB8000) where the machine has a VGA (q35, pc); absent elsewhere.

use x86_64::instructions::port::Port;

const BUFFER: u64 = 0xB_8000;
const COLUMNS: usize = 80;
const ROWS: usize = 25;
/// Light grey on black.
const ATTRIBUTE: u16 = 0x07 << 8;

/// A text console writing to the bottom line and scrolling up.
#[derive(Debug)]
pub struct VgaText {
    column: usize,
}

impl VgaText {
    /// The console if a VGA answers on its ports: the miscellaneous-output register reads
    /// 0xFF where nothing is attached.
    pub fn detect() -> Option<Self> {
        // SAFETY: reading the VGA miscellaneous-output register has no side effects; on a
        // machine without VGA the port is unassigned and reads 0xFF.
        let misc = unsafe { Port::<u8>::new(0x3CC).read() };
        if misc == 0xFF || misc & 0x02 == 0 {
            return None;
        }
        let mut console = Self { column: 0 };
        for row in 0..ROWS {
            console.clear_row(row);
        }
        Some(console)
    }

    fn cell(row: usize, column: usize) -> *mut u16 {
        (BUFFER + 2 * (row * COLUMNS + column) as u64) as *mut u16
    }

    fn put(row: usize, column: usize, value: u16) {
        // SAFETY: row < 25 and column < 80 keep the pointer inside the 4000-byte text buffer,
        // which `detect` found present and paging maps uncached.
        unsafe { core::ptr::write_volatile(Self::cell(row, column), value) }
    }

    fn get(row: usize, column: usize) -> u16 {
        // SAFETY: as for `put`.
        unsafe { core::ptr::read_volatile(Self::cell(row, column)) }
    }

    fn clear_row(&mut self, row: usize) {
        for column in 0..COLUMNS {
            Self::put(row, column, ATTRIBUTE | u16::from(b' '));
        }
    }

    fn new_line(&mut self) {
        for row in 1..ROWS {
            for column in 0..COLUMNS {
                Self::put(row - 1, column, Self::get(row, column));
            }
        }
        self.clear_row(ROWS - 1);
        self.column = 0;
    }

    /// Writes `bytes`, mapping non-ASCII to '?'.
    pub fn write_bytes(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            match byte {
                b'\n' => self.new_line(),
                b'\r' => self.column = 0,
                _ => {
                    if self.column == COLUMNS {
                        self.new_line();
                    }
                    let shown = if (0x20..0x7F).contains(&byte) {
                        byte
                    } else {
                        b'?'
                    };
                    Self::put(ROWS - 1, self.column, ATTRIBUTE | u16::from(shown));
                    self.column += 1;
                }
            }
        }
    }
}
