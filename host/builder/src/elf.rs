//! Telling an ELF image apart from an intent: by its first four bytes.

use std::io::{self, Read};
use std::path::Path;

/// The first bytes of every ELF file.
pub const MAGIC: [u8; 4] = *b"\x7fELF";

/// Whether the file at `path` starts with the ELF magic.
pub fn is_elf(path: &Path) -> io::Result<bool> {
    let mut start = [0; 4];
    let mut file = std::fs::File::open(path)?;
    match file.read_exact(&mut start) {
        Ok(()) => Ok(start == MAGIC),
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_elf_files_only() {
        let folder = std::env::temp_dir().join(format!("sauce-elf-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let cases: [(&str, &[u8], bool); 3] = [
            ("image", b"\x7fELF\x02\x01", true),
            ("toml", b"[app]\n", false),
            ("short", b"\x7f", false),
        ];
        for (name, bytes, expected) in cases {
            std::fs::write(folder.join(name), bytes).unwrap();
            assert_eq!(is_elf(&folder.join(name)).unwrap(), expected, "{name}");
        }
        assert!(is_elf(&folder.join("missing")).is_err());
        std::fs::remove_dir_all(folder).unwrap();
    }
}
