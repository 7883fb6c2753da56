//! Reading the VMM's boot structures through the boot identity mapping.

/// Physical memory the boot page tables map on every entry path: 8 MiB on PVH (our own
/// tables), 1 GiB on Firecracker's Linux path.
pub const BOOT_MAPPED_LIMIT: u64 = 8 << 20;

/// Copies `destination.len()` bytes from physical address `address`.
///
/// Returns `false` without reading when the range leaves the boot mapping or starts at zero.
pub fn copy_from_physical(address: u64, destination: &mut [u8]) -> bool {
    let Some(end) = address.checked_add(destination.len() as u64) else {
        return false;
    };
    if address == 0 || end > BOOT_MAPPED_LIMIT {
        return false;
    }
    // SAFETY: the range lies inside the identity mapping every boot path sets up (checked above)
    // and holds plain bytes the VMM wrote; the destination is a distinct Rust buffer, so the
    // two cannot overlap, and nothing else runs yet.
    unsafe {
        core::ptr::copy_nonoverlapping(
            address as *const u8,
            destination.as_mut_ptr(),
            destination.len(),
        );
    }
    true
}

/// Reads a little-endian `u64` at `address + offset`.
pub fn read_u64(address: u64, offset: u64) -> Option<u64> {
    let mut bytes = [0u8; 8];
    copy_from_physical(address.checked_add(offset)?, &mut bytes).then(|| u64::from_le_bytes(bytes))
}

/// Reads a little-endian `u32` at `address + offset`.
pub fn read_u32(address: u64, offset: u64) -> Option<u32> {
    let mut bytes = [0u8; 4];
    copy_from_physical(address.checked_add(offset)?, &mut bytes).then(|| u32::from_le_bytes(bytes))
}

/// Copies a NUL-terminated string of at most `destination.len()` bytes; returns its length.
pub fn copy_c_string(address: u64, destination: &mut [u8]) -> usize {
    let mut length = 0;
    while length < destination.len() {
        let mut byte = [0u8; 1];
        if !copy_from_physical(address + length as u64, &mut byte) || byte[0] == 0 {
            break;
        }
        destination[length] = byte[0];
        length += 1;
    }
    length
}
