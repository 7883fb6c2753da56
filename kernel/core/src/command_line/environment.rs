//! Run-time values on the command line: `sauce run --env KEY=VALUE` passes each as
//! `sauce.env.KEY=VALUE`, percent-encoded so any value survives the line's word splitting.

/// The prefix of the command line's run-time values.
pub const PREFIX: &str = "sauce.env.";

/// A value's bytes with `%XX` escapes decoded; a malformed escape is kept as written.
#[derive(Clone, Debug)]
pub struct PercentDecoded<'a> {
    rest: &'a [u8],
}

impl<'a> PercentDecoded<'a> {
    /// Decodes `text` lazily.
    pub const fn new(text: &'a str) -> Self {
        Self {
            rest: text.as_bytes(),
        }
    }
}

impl Iterator for PercentDecoded<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        let (&byte, rest) = self.rest.split_first()?;
        let escaped = match (byte, rest) {
            (b'%', [high, low, ..]) => hex(*high).zip(hex(*low)),
            _ => None,
        };
        match escaped {
            Some((high, low)) => {
                self.rest = rest.get(2..).unwrap_or_default();
                Some(high << 4 | low)
            }
            None => {
                self.rest = rest;
                Some(byte)
            }
        }
    }
}

/// The value of one hexadecimal digit.
fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

#[cfg(test)]
mod tests {
    use super::super::CommandLine;
    use super::*;

    fn decoded(text: &str) -> Vec<u8> {
        PercentDecoded::new(text).collect()
    }

    #[test]
    fn escapes_are_decoded_and_malformed_ones_kept() {
        assert_eq!(decoded("p%40ss%2540x"), b"p@ss%40x");
        assert_eq!(decoded("100%"), b"100%");
        assert_eq!(decoded("%zz%4"), b"%zz%4");
        assert_eq!(decoded("%FF%c3%a9"), [0xff, 0xc3, 0xa9]);
        assert_eq!(decoded(""), b"");
    }

    #[test]
    fn the_last_value_of_a_key_is_read() {
        let line = CommandLine::new(
            "console=ttyS0 sauce.env.DATABASE_URL=postgres://a:p%2540@h/db sauce.env.DATABASE_URL=redis://h%20x sauce.env.FLAG sauce.env.=x",
        );
        let value: Vec<u8> = line.environment("DATABASE_URL").unwrap().collect();
        assert_eq!(value, b"redis://h x");
        assert_eq!(line.environment("FLAG").map(Iterator::count), None);
        assert!(line.environment("").is_none());
        assert!(line.environment("MISSING").is_none());
        assert!(line.environment("console").is_none());
    }
}
