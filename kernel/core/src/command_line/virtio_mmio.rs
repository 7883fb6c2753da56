//! `virtio_mmio.device=<size>@<base>:<irq>[:<id>]` entries, as Linux and Firecracker write them.

use super::number::{parse_size, parse_u64, ParseError};

/// One virtio-mmio device announced on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VirtioMmioDevice {
    /// Bytes of the register window.
    pub size: u64,
    /// Physical address of the register window.
    pub base: u64,
    /// Interrupt line (GSI) of the device.
    pub irq: u32,
}

impl VirtioMmioDevice {
    /// Parses `4K@0xc0001000:5`; a trailing `:<id>` field is accepted and ignored.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let (size, location) = text.split_once('@').ok_or(ParseError::Malformed)?;
        let mut fields = location.split(':');
        let base = fields.next().ok_or(ParseError::Malformed)?;
        let irq = fields.next().ok_or(ParseError::Malformed)?;
        let _platform_device_id = fields.next();
        if fields.next().is_some() {
            return Err(ParseError::Malformed);
        }
        Ok(Self {
            size: parse_size(size)?,
            base: parse_u64(base)?,
            irq: u32::try_from(parse_u64(irq)?).map_err(|_| ParseError::Overflow)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_size_base_and_interrupt() {
        assert_eq!(
            VirtioMmioDevice::parse("4K@0xc0001000:5"),
            Ok(VirtioMmioDevice {
                size: 0x1000,
                base: 0xc000_1000,
                irq: 5
            })
        );
        assert_eq!(
            VirtioMmioDevice::parse("512@0xfeb00e00:12"),
            Ok(VirtioMmioDevice {
                size: 512,
                base: 0xfeb0_0e00,
                irq: 12
            })
        );
        assert_eq!(
            VirtioMmioDevice::parse("0x200@4096:7:2"),
            Ok(VirtioMmioDevice {
                size: 512,
                base: 4096,
                irq: 7
            })
        );
    }

    #[test]
    fn rejects_malformed_entries() {
        assert_eq!(VirtioMmioDevice::parse("4K"), Err(ParseError::Malformed));
        assert_eq!(
            VirtioMmioDevice::parse("4K@0x1000"),
            Err(ParseError::Malformed)
        );
        assert_eq!(
            VirtioMmioDevice::parse("4K@0x1000:5:1:2"),
            Err(ParseError::Malformed)
        );
        assert_eq!(VirtioMmioDevice::parse("4K@:5"), Err(ParseError::Empty));
        assert_eq!(
            VirtioMmioDevice::parse("4Q@0x1000:5"),
            Err(ParseError::UnknownSuffix)
        );
        assert_eq!(
            VirtioMmioDevice::parse("4K@0x1000:4294967296"),
            Err(ParseError::Overflow)
        );
    }
}
