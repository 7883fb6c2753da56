//! Firecracker's boot timer: when the kernel command line holds `sauce.boot_timer=ADDRESS`
//! (the Firecracker launcher adds `sauce.boot_timer=0xc0000000`; QEMU launches never do),
//! [`Platform::ready`](crate::Platform::ready) writes the byte 123 to that address, and a
//! Firecracker started with `--boot-timer` logs the time since `InstanceStart`.
//!
//! Only addresses in the 3–4 GiB device window are accepted: the kernel maps that window
//! uncached (arch `paging`), so the write reaches the VMM as an MMIO exit, and no value on the
//! command line can make the kernel write into RAM.

use core::fmt;
use core::ops::Range;

use sauce_core::command_line::{parse_u64, CommandLine, ParseError};

/// The command-line key.
pub const ARGUMENT: &str = "sauce.boot_timer";
/// The byte Firecracker's boot-timer device waits for.
pub const MAGIC: u8 = 123;
/// Addresses the signal may be written to: the uncached device window.
pub const ALLOWED: Range<u64> = 0xC000_0000..0x1_0000_0000;

/// Why `sauce.boot_timer=` was ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BootTimerError {
    /// The value is not a number.
    Unparsable(ParseError),
    /// The address lies outside [`ALLOWED`].
    OutsideDeviceWindow(u64),
}

impl fmt::Display for BootTimerError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unparsable(error) => write!(
                formatter,
                "{ARGUMENT}: not an address ({error}); write e.g. {ARGUMENT}=0xc0000000"
            ),
            Self::OutsideDeviceWindow(address) => write!(
                formatter,
                "{ARGUMENT}={address:#x} is outside the device window {:#x}..{:#x}; ignored",
                ALLOWED.start, ALLOWED.end
            ),
        }
    }
}

/// The address to signal, `Ok(None)` when the command line does not ask for it.
pub fn address(command_line: &CommandLine<'_>) -> Result<Option<u64>, BootTimerError> {
    let Some(text) = command_line.get(ARGUMENT) else {
        return Ok(None);
    };
    let address = parse_u64(text).map_err(BootTimerError::Unparsable)?;
    if ALLOWED.contains(&address) {
        Ok(Some(address))
    } else {
        Err(BootTimerError::OutsideDeviceWindow(address))
    }
}

/// Writes [`MAGIC`] to `address`, which [`address`] accepted.
#[cfg(target_os = "none")]
pub(crate) fn signal(address: u64) {
    debug_assert!(ALLOWED.contains(&address));
    // SAFETY: `address` lies in the 3–4 GiB device window, which paging identity-maps uncached
    // and read-write for MMIO and which holds no RAM; a one-byte write there is a device access
    // the VMM handles (Firecracker's boot timer) or ignores; no memory the kernel uses changes.
    unsafe { core::ptr::write_volatile(address as *mut u8, MAGIC) };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Option<u64>, BootTimerError> {
        address(&CommandLine::new(text))
    }

    #[test]
    fn only_the_flag_asks_for_the_signal() {
        assert_eq!(parse("sauce ip=172.16.0.2/30"), Ok(None));
        assert_eq!(
            parse("sauce sauce.boot_timer=0xc0000000"),
            Ok(Some(0xC000_0000))
        );
        assert_eq!(parse("sauce.boot_timer=3221225472"), Ok(Some(0xC000_0000)));
    }

    #[test]
    fn addresses_outside_the_device_window_are_refused() {
        assert_eq!(
            parse("sauce.boot_timer=0x100000"),
            Err(BootTimerError::OutsideDeviceWindow(0x10_0000))
        );
        assert_eq!(
            parse("sauce.boot_timer=0x100000000"),
            Err(BootTimerError::OutsideDeviceWindow(1 << 32))
        );
        assert!(matches!(
            parse("sauce.boot_timer=soon"),
            Err(BootTimerError::Unparsable(_))
        ));
        assert!(
            matches!(parse("sauce.boot_timer"), Ok(None)),
            "a bare flag has no address"
        );
    }

    #[test]
    fn errors_explain_themselves() {
        extern crate std;
        use std::string::ToString;
        let message = BootTimerError::OutsideDeviceWindow(0x1000).to_string();
        assert_eq!(
            message,
            "sauce.boot_timer=0x1000 is outside the device window 0xc0000000..0x100000000; ignored"
        );
        assert!(BootTimerError::Unparsable(ParseError::Empty)
            .to_string()
            .contains("0xc0000000"));
    }
}
