//! Memory sizes written with a binary unit: `512KiB`, `32MiB`, `1GiB`.

use std::fmt;
use std::str::FromStr;

const KIBIBYTE: u64 = 1024;
const MEBIBYTE: u64 = 1024 * KIBIBYTE;
const GIBIBYTE: u64 = 1024 * MEBIBYTE;

/// Smallest size accepted: below this no image boots (the selector may ask for more).
pub const MINIMUM: MemorySize = MemorySize {
    bytes: 2 * MEBIBYTE,
};
/// Largest size accepted: far more than a unikernel needs.
pub const MAXIMUM: MemorySize = MemorySize {
    bytes: 64 * GIBIBYTE,
};

/// An amount of guest memory, in bytes (serialised as the number of bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct MemorySize {
    bytes: u64,
}

/// Why a memory size could not be read. Every message shows a correct example.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MemorySizeError {
    /// No number at the start, or a number too large to hold.
    #[error("`{text}` does not start with a whole number; write a size such as `32MiB`")]
    BadNumber {
        /// The text given.
        text: String,
    },
    /// A missing or unknown unit, e.g. `32`, `32MB` or `32M`.
    #[error("`{text}` has no binary unit; write `{number}MiB` (units: KiB, MiB, GiB)")]
    BadUnit {
        /// The text given.
        text: String,
        /// The number that was read.
        number: u64,
    },
    /// Below [`MINIMUM`].
    #[error("`{text}` is smaller than {MINIMUM}, the least memory an image boots in; give {MINIMUM} or more")]
    TooSmall {
        /// The text given.
        text: String,
    },
    /// Above [`MAXIMUM`]: a larger unit (`TiB`), or a number too large for any unit.
    #[error("`{text}` is larger than {MAXIMUM}, the most memory a SauceOS guest is given; give {MAXIMUM} or less")]
    TooLarge {
        /// The text given.
        text: String,
    },
}

impl MemorySize {
    /// A size of exactly `bytes` bytes (not range-checked).
    pub const fn from_bytes(bytes: u64) -> Self {
        Self { bytes }
    }

    /// A size of `mebibytes` MiB (not range-checked).
    pub const fn from_mebibytes(mebibytes: u64) -> Self {
        Self {
            bytes: mebibytes * MEBIBYTE,
        }
    }

    /// The size in bytes.
    pub const fn bytes(self) -> u64 {
        self.bytes
    }

    /// The size in whole MiB, rounded up.
    pub const fn mebibytes_rounded_up(self) -> u64 {
        self.bytes.div_ceil(MEBIBYTE)
    }
}

impl FromStr for MemorySize {
    type Err = MemorySizeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let digits_end = trimmed
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(trimmed.len());
        let bad_number = || MemorySizeError::BadNumber {
            text: text.to_owned(),
        };
        let digits = &trimmed[..digits_end];
        let too_large = || MemorySizeError::TooLarge {
            text: text.to_owned(),
        };
        if digits.is_empty() {
            return Err(bad_number());
        }
        // Only digits: a number that does not fit is too large, not malformed.
        let number: u64 = digits.parse().map_err(|_| too_large())?;
        let multiplier = match trimmed[digits_end..].trim_start() {
            "KiB" => KIBIBYTE,
            "MiB" => MEBIBYTE,
            "GiB" => GIBIBYTE,
            // Binary units beyond GiB are valid sizes, just more than any guest is given.
            "TiB" | "PiB" | "EiB" | "ZiB" | "YiB" if number > 0 => return Err(too_large()),
            _ => {
                return Err(MemorySizeError::BadUnit {
                    text: text.to_owned(),
                    number,
                })
            }
        };
        let size = number.checked_mul(multiplier).map(Self::from_bytes);
        match size {
            Some(size) if size < MINIMUM => Err(MemorySizeError::TooSmall {
                text: text.to_owned(),
            }),
            Some(size) if size <= MAXIMUM => Ok(size),
            _ => Err(too_large()),
        }
    }
}

impl fmt::Display for MemorySize {
    /// The largest unit that divides the size exactly: `32MiB`, `1536KiB`, `1GiB`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units = [(GIBIBYTE, "GiB"), (MEBIBYTE, "MiB"), (KIBIBYTE, "KiB")];
        for (size, unit) in units {
            if self.bytes >= size && self.bytes.is_multiple_of(size) {
                return write!(formatter, "{}{unit}", self.bytes / size);
            }
        }
        write!(formatter, "{}B", self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<u64, MemorySizeError> {
        text.parse::<MemorySize>().map(MemorySize::bytes)
    }

    #[test]
    fn reads_each_unit() {
        assert_eq!(parse("2048KiB"), Ok(2 * MEBIBYTE));
        assert_eq!(parse("32MiB"), Ok(32 * MEBIBYTE));
        assert_eq!(parse(" 1 GiB "), Ok(GIBIBYTE));
    }

    #[test]
    fn rejects_missing_or_decimal_units() {
        assert!(matches!(
            parse("32"),
            Err(MemorySizeError::BadUnit { number: 32, .. })
        ));
        assert!(matches!(
            parse("32MB"),
            Err(MemorySizeError::BadUnit { .. })
        ));
        assert!(matches!(
            parse("32mib"),
            Err(MemorySizeError::BadUnit { .. })
        ));
        assert!(matches!(
            parse("MiB"),
            Err(MemorySizeError::BadNumber { .. })
        ));
        assert!(matches!(
            parse("-1MiB"),
            Err(MemorySizeError::BadNumber { .. })
        ));
    }

    #[test]
    fn rejects_sizes_out_of_range_saying_which_way() {
        assert!(matches!(
            parse("512KiB"),
            Err(MemorySizeError::TooSmall { .. })
        ));
        assert!(matches!(
            parse("1MiB"),
            Err(MemorySizeError::TooSmall { .. })
        ));
        assert_eq!(parse("64GiB"), Ok(64 * GIBIBYTE));
        for too_large in [
            "65GiB",
            "99999999999999999GiB",
            "1TiB",
            "2PiB",
            "184467440737095516160000MiB",
        ] {
            let error = parse(too_large).unwrap_err();
            assert!(
                matches!(error, MemorySizeError::TooLarge { .. }),
                "{too_large}: {error}"
            );
            assert!(
                error.to_string().contains("is larger than 64GiB"),
                "{error}"
            );
        }
        assert!(parse("0TiB").is_err());
    }

    #[test]
    fn message_shows_the_fix() {
        let message = parse("64M").unwrap_err().to_string();
        assert!(message.contains("`64MiB`"), "{message}");
    }

    #[test]
    fn displays_in_the_largest_exact_unit() {
        assert_eq!(MemorySize::from_mebibytes(32).to_string(), "32MiB");
        assert_eq!(
            MemorySize::from_bytes(1536 * KIBIBYTE).to_string(),
            "1536KiB"
        );
        assert_eq!(MemorySize::from_bytes(GIBIBYTE).to_string(), "1GiB");
        assert_eq!(
            MemorySize::from_bytes(1536 * KIBIBYTE).mebibytes_rounded_up(),
            2
        );
    }
}
