//! Commands as RESP arrays of bulk strings, appended to an output buffer.
use alloc::vec::Vec;

/// Appends `arguments` as one command: `*<count>\r\n` then `$<length>\r\n<bytes>\r\n` each.
/// Arguments are bytes and always length-prefixed, so no value can break out of its place.
pub fn encode_command(buffer: &mut Vec<u8>, arguments: &[&[u8]]) {
    buffer.push(b'*');
    buffer.extend_from_slice(IntegerText::new(arguments.len() as i64).as_bytes());
    buffer.extend_from_slice(b"\r\n");
    for argument in arguments {
        buffer.push(b'$');
        buffer.extend_from_slice(IntegerText::new(argument.len() as i64).as_bytes());
        buffer.extend_from_slice(b"\r\n");
        buffer.extend_from_slice(argument);
        buffer.extend_from_slice(b"\r\n");
    }
}

/// The decimal text of an integer, on the stack (for counts, lengths and integer arguments).
#[derive(Clone, Copy, Debug)]
pub struct IntegerText {
    digits: [u8; 20],
    start: usize,
}

impl IntegerText {
    /// The text of `value`.
    pub fn new(value: i64) -> Self {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        let mut magnitude = value.unsigned_abs();
        loop {
            start -= 1;
            digits[start] = b'0' + (magnitude % 10) as u8;
            magnitude /= 10;
            if magnitude == 0 {
                break;
            }
        }
        if value < 0 {
            start -= 1;
            digits[start] = b'-';
        }
        IntegerText { digits, start }
    }

    /// The digits.
    pub fn as_bytes(&self) -> &[u8] {
        &self.digits[self.start..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_print_in_decimal() {
        for value in [0, 7, -7, 10, 1_000_000, i64::MAX, i64::MIN] {
            assert_eq!(
                IntegerText::new(value).as_bytes(),
                alloc::format!("{value}").as_bytes()
            );
        }
    }

    #[test]
    fn a_command_is_an_array_of_bulk_strings() {
        let mut buffer = Vec::new();
        encode_command(&mut buffer, &[b"SET", b"key", b"a\r\nb"]);
        assert_eq!(buffer, b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$4\r\na\r\nb\r\n");
    }
}
