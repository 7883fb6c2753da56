//! Numbers and sizes as written on a command line: `512`, `0x200`, `4K`, `16M`, `32MiB`.

use core::fmt;

/// Why a command-line value could not be parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The value has no digits.
    Empty,
    /// A character is not a digit of the number's base.
    InvalidDigit,
    /// The number does not fit in 64 bits (32 for an interrupt number).
    Overflow,
    /// The size ends in something other than a unit (`K`, `KiB`, `M`, `G`, `T`, …).
    UnknownSuffix,
    /// The value lacks a field or separator its format requires.
    Malformed,
}

impl fmt::Display for ParseError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::Empty => "no digits",
            Self::InvalidDigit => "invalid digit",
            Self::Overflow => "number too large",
            Self::UnknownSuffix => "unknown size unit",
            Self::Malformed => "missing field or separator",
        })
    }
}

/// Parses a decimal number, or a hexadecimal one after `0x` or `0X`.
pub fn parse_u64(text: &str) -> Result<u64, ParseError> {
    let (value, rest) = parse_leading_number(text)?;
    if rest.is_empty() {
        Ok(value)
    } else {
        Err(ParseError::InvalidDigit)
    }
}

/// Parses a size: a number as [`parse_u64`] reads it, optionally followed by a binary unit.
///
/// Units are case-insensitive and all powers of 1024: `K`, `KB` and `KiB` mean 2^10, then
/// `M` 2^20, `G` 2^30, `T` 2^40, `P` 2^50, `E` 2^60; a lone `B` means bytes. Hexadecimal
/// digits are read greedily, so `0x1B` is 27 bytes, not 1 byte.
pub fn parse_size(text: &str) -> Result<u64, ParseError> {
    let (value, suffix) = parse_leading_number(text)?;
    let multiplier = unit_multiplier(suffix).ok_or(ParseError::UnknownSuffix)?;
    value.checked_mul(multiplier).ok_or(ParseError::Overflow)
}

fn unit_multiplier(suffix: &str) -> Option<u64> {
    if suffix.is_empty() || suffix.eq_ignore_ascii_case("b") {
        return Some(1);
    }
    let mut characters = suffix.chars();
    let letter = characters.next()?.to_ascii_lowercase();
    let rest = characters.as_str();
    let valid_rest =
        rest.is_empty() || rest.eq_ignore_ascii_case("b") || rest.eq_ignore_ascii_case("ib");
    let shift = match letter {
        'k' => 10,
        'm' => 20,
        'g' => 30,
        't' => 40,
        'p' => 50,
        'e' => 60,
        _ => return None,
    };
    valid_rest.then_some(1u64 << shift)
}

/// Reads the number at the start of `text` and returns it with the text after it.
fn parse_leading_number(text: &str) -> Result<(u64, &str), ParseError> {
    let (digits_and_rest, radix) = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))
    {
        Some(rest) => (rest, 16),
        None => (text, 10),
    };
    let digit_count = digits_and_rest
        .bytes()
        .take_while(|byte| (*byte as char).is_digit(radix))
        .count();
    if digit_count == 0 {
        return Err(if digits_and_rest.is_empty() {
            ParseError::Empty
        } else {
            ParseError::InvalidDigit
        });
    }
    // The digits are ASCII, so `digit_count` is a character boundary.
    let (digits, rest) = digits_and_rest.split_at(digit_count);
    let mut value: u64 = 0;
    for character in digits.chars() {
        let digit = u64::from(character.to_digit(radix).ok_or(ParseError::InvalidDigit)?);
        value = value
            .checked_mul(u64::from(radix))
            .and_then(|value| value.checked_add(digit))
            .ok_or(ParseError::Overflow)?;
    }
    Ok((value, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_and_hexadecimal() {
        assert_eq!(parse_u64("512"), Ok(512));
        assert_eq!(parse_u64("0x200"), Ok(0x200));
        assert_eq!(parse_u64("0XfeB00e00"), Ok(0xfeb0_0e00));
        assert_eq!(parse_u64("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_u64("18446744073709551616"), Err(ParseError::Overflow));
        assert_eq!(parse_u64(""), Err(ParseError::Empty));
        assert_eq!(parse_u64("0x"), Err(ParseError::Empty));
        assert_eq!(parse_u64("+5"), Err(ParseError::InvalidDigit));
        assert_eq!(parse_u64("12a"), Err(ParseError::InvalidDigit));
        assert_eq!(parse_u64("٣"), Err(ParseError::InvalidDigit));
    }

    #[test]
    fn parses_sizes_with_binary_units() {
        let cases = [
            ("4K", 4 << 10),
            ("512", 512),
            ("0x200", 0x200),
            ("16M", 16 << 20),
            ("2G", 2 << 30),
            ("64KiB", 64 << 10),
            ("32MiB", 32 << 20),
            ("32mib", 32 << 20),
            ("1kb", 1 << 10),
            ("3T", 3 << 40),
            ("7B", 7),
            ("0x10M", 16 << 20),
            ("0x1B", 0x1b),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_size(text), Ok(expected), "{text}");
        }
        assert_eq!(parse_size("16X"), Err(ParseError::UnknownSuffix));
        assert_eq!(parse_size("16MiBs"), Err(ParseError::UnknownSuffix));
        assert_eq!(parse_size("16 M"), Err(ParseError::UnknownSuffix));
        assert_eq!(parse_size("K"), Err(ParseError::InvalidDigit));
        assert_eq!(parse_size("16E"), Err(ParseError::Overflow));
        assert_eq!(parse_size(""), Err(ParseError::Empty));
    }
}
