//! Tiny hand-assembled PVH images that print a few serial lines and stop in a chosen way.
//!
//! They exercise the launcher without the kernel (unit and CLI tests), and measure the VMM's own
//! floor, launch → exit of an image that does nothing, for the boot benchmark (bench/README.md).
//! Layout: one ELF64 file linked at 1 MiB with a `PT_LOAD` covering the whole file, a `PT_NOTE`
//! holding the Xen PVH entry note (record 0013 §1), and 32-bit code run at the PVH entry.

use std::path::Path;

/// Physical address everything is loaded at.
const LOAD_ADDRESS: u32 = 0x10_0000;
const ELF_HEADER_SIZE: usize = 64;
const PROGRAM_HEADER_SIZE: usize = 56;
/// File offset of the PVH note: right after the ELF header and two program headers.
const NOTE_OFFSET: usize = ELF_HEADER_SIZE + 2 * PROGRAM_HEADER_SIZE;
/// Note header (12 bytes) + name "Xen\0" (4) + descriptor (8).
const NOTE_SIZE: usize = 24;
/// File offset of the first instruction.
const CODE_OFFSET: usize = NOTE_OFFSET + NOTE_SIZE;
/// `XEN_ELFNOTE_PHYS32_ENTRY`.
const PVH_NOTE_TYPE: u32 = 18;
/// COM1's data port.
const SERIAL_PORT: u16 = 0x3F8;

/// How a trivial image stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrivialImage {
    /// Prints `ready` and `sauce: exit success`, then writes 0x10 to isa-debug-exit (status 33).
    ExitSuccess,
    /// Prints `ready` and `sauce: exit failure`, then writes 0x11 to isa-debug-exit (status 35).
    ExitFailure,
    /// Prints `ready`, then spins forever.
    Hang,
    /// Prints `ready`, then triple faults (QEMU with `-no-reboot` exits with status 0).
    TripleFault,
    /// Prints `sauce: exit success`, then triple faults: the exit path of a VMM without
    /// isa-debug-exit.
    SuccessLineThenTripleFault,
}

impl TrivialImage {
    /// The serial text this image prints.
    pub fn serial_text(self) -> &'static str {
        match self {
            Self::ExitSuccess => "trivial image\nready\nsauce: exit success\n",
            Self::ExitFailure => "trivial image\nready\nsauce: exit failure\n",
            Self::Hang | Self::TripleFault => "trivial image\nready\n",
            Self::SuccessLineThenTripleFault => "trivial image\nready\nsauce: exit success\n",
        }
    }

    /// The whole ELF file.
    pub fn bytes(self) -> Vec<u8> {
        let code = self.code();
        let file_size = CODE_OFFSET + code.len();
        let mut image = Vec::with_capacity(file_size);
        elf_header(&mut image, LOAD_ADDRESS + CODE_OFFSET as u32);
        let whole_file = (0, LOAD_ADDRESS, file_size);
        program_header(&mut image, 1, 0b101, whole_file, 0x1000); // PT_LOAD, read + execute
        let note = (NOTE_OFFSET, LOAD_ADDRESS + NOTE_OFFSET as u32, NOTE_SIZE);
        program_header(&mut image, 4, 0b100, note, 4); // PT_NOTE, read
        image.extend_from_slice(&4u32.to_le_bytes());
        image.extend_from_slice(&8u32.to_le_bytes());
        image.extend_from_slice(&PVH_NOTE_TYPE.to_le_bytes());
        image.extend_from_slice(b"Xen\0");
        image.extend_from_slice(&u64::from(LOAD_ADDRESS + CODE_OFFSET as u32).to_le_bytes());
        image.extend_from_slice(&code);
        image
    }

    /// Writes the image to `path`.
    pub fn write_to(self, path: &Path) -> std::io::Result<()> {
        std::fs::write(path, self.bytes())
    }

    /// 32-bit code run at the PVH entry: print, then stop.
    fn code(self) -> Vec<u8> {
        let mut code = Vec::new();
        code.extend_from_slice(&[0x66, 0xBA]); // mov dx, COM1
        code.extend_from_slice(&SERIAL_PORT.to_le_bytes());
        for byte in self.serial_text().bytes() {
            code.extend_from_slice(&[0xB0, byte, 0xEE]); // mov al, byte; out dx, al
        }
        match self {
            Self::ExitSuccess => debug_exit(&mut code, 0x10),
            Self::ExitFailure => debug_exit(&mut code, 0x11),
            Self::Hang => code.extend_from_slice(&[0xEB, 0xFE]), // jmp $
            Self::TripleFault | Self::SuccessLineThenTripleFault => triple_fault(&mut code),
        }
        code
    }
}

/// `mov eax, value; out 0xF4, eax`, then `cli; hlt` forever in case the device is absent.
fn debug_exit(code: &mut Vec<u8>, value: u32) {
    code.push(0xB8);
    code.extend_from_slice(&value.to_le_bytes());
    code.extend_from_slice(&[0xE7, 0xF4, 0xFA, 0xF4, 0xEB, 0xFD]);
}

/// `lidt [empty]; int3`, followed by the six zero bytes of the empty table descriptor.
fn triple_fault(code: &mut Vec<u8>) {
    let descriptor = LOAD_ADDRESS + (CODE_OFFSET + code.len() + 8) as u32;
    code.extend_from_slice(&[0x0F, 0x01, 0x1D]);
    code.extend_from_slice(&descriptor.to_le_bytes());
    code.push(0xCC);
    code.extend_from_slice(&[0; 6]);
}

fn elf_header(image: &mut Vec<u8>, entry: u32) {
    image.extend_from_slice(&[0x7F, b'E', b'L', b'F', 2, 1, 1, 0]); // 64-bit, little endian
    image.extend_from_slice(&[0; 8]);
    image.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    image.extend_from_slice(&62u16.to_le_bytes()); // EM_X86_64
    image.extend_from_slice(&1u32.to_le_bytes());
    image.extend_from_slice(&u64::from(entry).to_le_bytes());
    image.extend_from_slice(&(ELF_HEADER_SIZE as u64).to_le_bytes()); // program headers
    image.extend_from_slice(&0u64.to_le_bytes()); // no section headers
    image.extend_from_slice(&0u32.to_le_bytes());
    image.extend_from_slice(&(ELF_HEADER_SIZE as u16).to_le_bytes());
    image.extend_from_slice(&(PROGRAM_HEADER_SIZE as u16).to_le_bytes());
    image.extend_from_slice(&2u16.to_le_bytes());
    image.extend_from_slice(&[0; 6]); // section header size, count, string index
}

/// One program header; `segment` is (file offset, address, size).
fn program_header(
    image: &mut Vec<u8>,
    kind: u32,
    flags: u32,
    segment: (usize, u32, usize),
    align: u64,
) {
    let (offset, address, size) = segment;
    image.extend_from_slice(&kind.to_le_bytes());
    image.extend_from_slice(&flags.to_le_bytes());
    image.extend_from_slice(&(offset as u64).to_le_bytes());
    image.extend_from_slice(&u64::from(address).to_le_bytes()); // virtual
    image.extend_from_slice(&u64::from(address).to_le_bytes()); // physical
    image.extend_from_slice(&(size as u64).to_le_bytes());
    image.extend_from_slice(&(size as u64).to_le_bytes());
    image.extend_from_slice(&align.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_consistent() {
        let image = TrivialImage::ExitSuccess.bytes();
        assert_eq!(&image[..4], b"\x7fELF");
        assert_eq!(&image[NOTE_OFFSET + 12..NOTE_OFFSET + 16], b"Xen\0");
        let entry = u64::from_le_bytes(image[24..32].try_into().unwrap());
        assert_eq!(entry, u64::from(LOAD_ADDRESS) + CODE_OFFSET as u64);
        let loaded_size = u64::from_le_bytes(image[64 + 32..64 + 40].try_into().unwrap());
        assert_eq!(loaded_size, image.len() as u64);
    }

    #[test]
    fn the_empty_table_follows_the_triple_fault() {
        let image = TrivialImage::TripleFault.bytes();
        assert_eq!(&image[image.len() - 7..], &[0xCC, 0, 0, 0, 0, 0, 0]);
        let descriptor =
            u32::from_le_bytes(image[image.len() - 11..image.len() - 7].try_into().unwrap());
        assert_eq!(descriptor as usize, LOAD_ADDRESS as usize + image.len() - 6);
    }
}
