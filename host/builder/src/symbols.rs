//! Images without symbols, symbols kept beside them: a built image is stripped (smaller, and
//! what the VMMs load is the same), while its symbols stay in the cache, found again by the
//! stripped image's digest, so `sauce run` can name the functions of a fault report's
//! `backtrace:` line.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Why an image could not be stripped.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StripError {
    /// Not a 64-bit little-endian ELF file, or its headers are cut short.
    #[error("not a 64-bit little-endian ELF image, or its headers are cut short")]
    NotElf64,
}

/// A little-endian integer of `width` bytes at `offset`.
fn read(bytes: &[u8], offset: usize, width: usize) -> Option<u64> {
    let field = bytes.get(offset..offset + width)?;
    Some(
        field
            .iter()
            .rev()
            .fold(0, |value, byte| value << 8 | u64::from(*byte)),
    )
}

/// `image` without its section headers and everything after the last segment (symbols, section
/// names): what every loader reads (the program headers and the segments) is unchanged.
pub fn strip(image: &[u8]) -> Result<Vec<u8>, StripError> {
    if image.get(..4) != Some(b"\x7fELF") || image.get(4) != Some(&2) || image.get(5) != Some(&1) {
        return Err(StripError::NotElf64);
    }
    let program_headers = read(image, 0x20, 8).ok_or(StripError::NotElf64)? as usize;
    let entry_size = read(image, 0x36, 2).ok_or(StripError::NotElf64)? as usize;
    let count = read(image, 0x38, 2).ok_or(StripError::NotElf64)? as usize;
    let mut end = program_headers + entry_size * count;
    for index in 0..count {
        let header = program_headers + index * entry_size;
        let offset = read(image, header + 0x08, 8).ok_or(StripError::NotElf64)? as usize;
        let file_size = read(image, header + 0x20, 8).ok_or(StripError::NotElf64)? as usize;
        end = end.max(offset + file_size);
    }
    let mut stripped = image.get(..end).ok_or(StripError::NotElf64)?.to_vec();
    // No section headers: e_shoff = 0, e_shnum = 0, e_shstrndx = 0.
    stripped[0x28..0x30].fill(0);
    stripped[0x3C..0x40].fill(0);
    Ok(stripped)
}

/// Where the symbols of the stripped image `image` (its bytes) are kept in `cache_root`.
pub fn symbols_path(cache_root: &Path, image: &[u8]) -> PathBuf {
    let digest = Sha256::digest(image);
    let name: String = digest
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    cache_root.join("symbols").join(format!("{name}.elf"))
}

/// One function of an image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// Its first address.
    pub start: u64,
    /// Its length in bytes.
    pub size: u64,
    /// Its demangled name, without the hash.
    pub name: String,
}

/// The functions of the ELF file at `path`, sorted by address.
pub fn functions(path: &Path) -> Option<Vec<Function>> {
    use object::{Object, ObjectSymbol, SymbolKind};
    let bytes = std::fs::read(path).ok()?;
    let file = object::File::parse(&*bytes).ok()?;
    let mut functions: Vec<Function> = file
        .symbols()
        .filter(|symbol| symbol.kind() == SymbolKind::Text && symbol.address() != 0)
        .filter_map(|symbol| {
            Some(Function {
                start: symbol.address(),
                size: symbol.size(),
                name: format!("{:#}", rustc_demangle::demangle(symbol.name().ok()?)),
            })
        })
        .collect();
    functions.sort_by_key(|function| function.start);
    Some(functions)
}

/// The function holding `address` and the offset into it, as `name + 0x1f`.
pub fn describe(functions: &[Function], address: u64) -> Option<String> {
    // A return address points just after its call: look up the call's own address.
    let call = address.checked_sub(1)?;
    let index = functions
        .partition_point(|function| function.start <= call)
        .checked_sub(1)?;
    let function = functions.get(index)?;
    (call < function.start + function.size.max(1))
        .then(|| format!("{} + {:#x}", function.name, address - function.start))
}

/// The serial line `line` followed by one line per address, when it is a `backtrace:` line
/// and the image's symbols are known; `None` otherwise.
pub fn symbolize(line: &str, functions: &[Function]) -> Option<Vec<String>> {
    let addresses = line.trim().strip_prefix("backtrace:")?;
    let described: Vec<String> = addresses
        .split_whitespace()
        .filter_map(|text| u64::from_str_radix(text.trim_start_matches("0x"), 16).ok())
        .map(|address| match describe(functions, address) {
            Some(place) => format!("    {address:#x} in {place}"),
            None => format!("    {address:#x}"),
        })
        .collect();
    (!described.is_empty()).then_some(described)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elf_with_a_trailer() -> Vec<u8> {
        let mut image = vec![0u8; 0x200];
        image[..6].copy_from_slice(b"\x7fELF\x02\x01");
        image[0x20..0x28].copy_from_slice(&0x40u64.to_le_bytes()); // program headers at 0x40
        image[0x28..0x30].copy_from_slice(&0x180u64.to_le_bytes()); // section headers at 0x180
        image[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
        image[0x38..0x3A].copy_from_slice(&1u16.to_le_bytes());
        image[0x3C..0x3E].copy_from_slice(&3u16.to_le_bytes());
        // One segment: file offset 0x100, 0x40 bytes.
        image[0x40 + 0x08..0x40 + 0x10].copy_from_slice(&0x100u64.to_le_bytes());
        image[0x40 + 0x20..0x40 + 0x28].copy_from_slice(&0x40u64.to_le_bytes());
        image
    }

    #[test]
    fn stripping_keeps_the_segments_and_drops_the_rest() {
        let image = elf_with_a_trailer();
        let stripped = strip(&image).unwrap();
        assert_eq!(stripped.len(), 0x140);
        assert_eq!(&stripped[..0x28], &image[..0x28]);
        assert_eq!(read(&stripped, 0x28, 8), Some(0));
        assert_eq!(read(&stripped, 0x3C, 2), Some(0));
        assert_eq!(strip(b"\x7fELF\x01\x01"), Err(StripError::NotElf64));
        assert_eq!(strip(&image[..0x50]), Err(StripError::NotElf64));
    }

    #[test]
    fn backtrace_lines_are_named_by_function() {
        let functions = vec![
            Function {
                start: 0x1000,
                size: 0x100,
                name: "sauce::first".to_owned(),
            },
            Function {
                start: 0x1100,
                size: 0x80,
                name: "sauce::second".to_owned(),
            },
        ];
        let lines = symbolize("backtrace: 0x1010 0x1180 0x9000", &functions).unwrap();
        assert_eq!(lines[0], "    0x1010 in sauce::first + 0x10");
        assert_eq!(
            lines[1], "    0x1180 in sauce::second + 0x80",
            "a return address just past the end"
        );
        assert_eq!(lines[2], "    0x9000");
        assert!(symbolize("ready", &functions).is_none());
    }
}
