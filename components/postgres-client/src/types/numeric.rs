//! `numeric` values: the binary form (base-10000 digits) turned into decimal text.
use alloc::string::String;
use core::fmt::Write as _;

use super::FromSqlError;

/// Sign words of the binary form.
const POSITIVE: u16 = 0x0000;
const NEGATIVE: u16 = 0x4000;
const NOT_A_NUMBER: u16 = 0xC000;
const POSITIVE_INFINITY: u16 = 0xD000;
const NEGATIVE_INFINITY: u16 = 0xF000;
/// The largest display scale Postgres produces.
const MAXIMUM_SCALE: u16 = 0x3FFF;

/// Formats a binary `numeric` as Postgres prints it (`-12.500`, `NaN`, `Infinity`). The output
/// is at most about 150 KB whatever the input (weight and scale are 16-bit).
pub fn to_text(bytes: &[u8]) -> Result<String, FromSqlError> {
    let invalid = FromSqlError::Invalid("a numeric value");
    let word = |index: usize| -> Result<u16, FromSqlError> {
        let pair = bytes.get(index * 2..index * 2 + 2).ok_or(invalid)?;
        Ok(u16::from_be_bytes([pair[0], pair[1]]))
    };
    let count = usize::from(word(0)?);
    let weight = i32::from(word(1)? as i16);
    let sign = word(2)?;
    let scale = word(3)?;
    if bytes.len() != 8 + count * 2 {
        return Err(invalid);
    }
    match sign {
        NOT_A_NUMBER => return Ok(String::from("NaN")),
        POSITIVE_INFINITY => return Ok(String::from("Infinity")),
        NEGATIVE_INFINITY => return Ok(String::from("-Infinity")),
        POSITIVE | NEGATIVE => {}
        _ => return Err(invalid),
    }
    if scale > MAXIMUM_SCALE {
        return Err(invalid);
    }
    let mut digits = alloc::vec::Vec::with_capacity(count);
    for index in 0..count {
        let digit = word(4 + index)?;
        if digit > 9999 {
            return Err(invalid);
        }
        digits.push(digit);
    }
    // Digit `i` is worth 10000^(weight - i).
    let digit_at = |position: i32| -> u16 {
        usize::try_from(position)
            .ok()
            .and_then(|index| digits.get(index).copied())
            .unwrap_or(0)
    };
    let mut text = String::new();
    if sign == NEGATIVE && digits.iter().any(|&digit| digit != 0) {
        text.push('-');
    }
    if weight < 0 {
        text.push('0');
    } else {
        let _ = write!(text, "{}", digit_at(0));
        for position in 1..=weight {
            let _ = write!(text, "{:04}", digit_at(position));
        }
    }
    if scale > 0 {
        text.push('.');
        let start = text.len();
        let mut position = weight + 1;
        while text.len() - start < usize::from(scale) {
            let _ = write!(text, "{:04}", digit_at(position));
            position += 1;
        }
        text.truncate(start + usize::from(scale));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn binary(weight: i16, sign: u16, scale: u16, digits: &[u16]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for word in [digits.len() as u16, weight as u16, sign, scale] {
            bytes.extend_from_slice(&word.to_be_bytes());
        }
        for digit in digits {
            bytes.extend_from_slice(&digit.to_be_bytes());
        }
        bytes
    }

    #[test]
    fn formats_like_postgres() {
        let cases: [(i16, u16, u16, &[u16], &str); 9] = [
            (0, POSITIVE, 0, &[], "0"),
            (0, POSITIVE, 2, &[12, 5000], "12.50"),
            (1, NEGATIVE, 0, &[1, 2345], "-12345"),
            (-1, POSITIVE, 3, &[50], "0.005"),
            (-2, POSITIVE, 8, &[1234], "0.00001234"),
            (2, POSITIVE, 0, &[1], "100000000"),
            (0, NEGATIVE, 1, &[], "0.0"),
            (0, NOT_A_NUMBER, 0, &[], "NaN"),
            (0, NEGATIVE_INFINITY, 0, &[], "-Infinity"),
        ];
        for (weight, sign, scale, digits, expected) in cases {
            let text = to_text(&binary(weight, sign, scale, digits)).unwrap();
            assert_eq!(text, expected, "{weight} {sign:#x} {scale} {digits:?}");
        }
    }

    #[test]
    fn malformed_values_are_errors() {
        assert!(to_text(b"").is_err());
        assert!(to_text(&binary(0, 0x1234, 0, &[])).is_err());
        assert!(to_text(&binary(0, POSITIVE, 0, &[10_000])).is_err());
        let mut long = binary(0, POSITIVE, 0, &[1]);
        long.push(0);
        assert!(to_text(&long).is_err());
    }
}
