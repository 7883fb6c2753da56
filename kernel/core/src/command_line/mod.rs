//! The kernel command line: `key=value` pairs, bare flags, sizes, virtio-mmio devices and
//! run-time values (`sauce.env.KEY=`).
//!
//! Tokens are separated by ASCII whitespace. As in Linux, double quotes group whitespace into
//! one token and are stripped from the key and value: `key="a b"` and `"key=a b"` both give
//! `key` = `a b`. Nothing here panics, whatever the input.

mod environment;
mod number;
mod virtio_mmio;

pub use environment::{PercentDecoded, PREFIX as ENVIRONMENT_PREFIX};
pub use number::{parse_size, parse_u64, ParseError};
pub use virtio_mmio::VirtioMmioDevice;

/// A borrowed kernel command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandLine<'a> {
    text: &'a str,
}

impl<'a> CommandLine<'a> {
    /// Wraps the command line text.
    pub const fn new(text: &'a str) -> Self {
        Self { text }
    }

    /// The whole text.
    pub const fn as_str(&self) -> &'a str {
        self.text
    }

    /// Every argument in order, as `(key, value)`; bare flags have no value.
    pub fn iter(&self) -> Arguments<'a> {
        Arguments { rest: self.text }
    }

    /// The value of the last occurrence of `key` that has a value.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.values(key).last()
    }

    /// Whether `key` is switched on: its last occurrence is a bare flag, or has a value other
    /// than `0`, `false`, `no` or `off`.
    pub fn flag(&self, key: &str) -> bool {
        let last = self.iter().filter(|&(name, _)| name == key).last();
        match last {
            None => false,
            Some((_, None)) => true,
            Some((_, Some(value))) => !["0", "false", "no", "off"]
                .iter()
                .any(|off| value.eq_ignore_ascii_case(off)),
        }
    }

    /// The run-time value `key` that `sauce run --env KEY=VALUE` passed (`sauce.env.KEY=`, its
    /// last occurrence with a value), percent-decoded.
    pub fn environment(&self, key: &str) -> Option<PercentDecoded<'a>> {
        self.iter()
            .filter(|&(name, _)| {
                !key.is_empty() && name.strip_prefix(ENVIRONMENT_PREFIX) == Some(key)
            })
            .filter_map(|(_, value)| value)
            .last()
            .map(PercentDecoded::new)
    }

    /// The values of every occurrence of `key`, in order (for repeated keys such as
    /// `virtio_mmio.device=`).
    pub fn values<'k>(&self, key: &'k str) -> impl Iterator<Item = &'a str> + 'k
    where
        'a: 'k,
    {
        self.iter()
            .filter(move |&(name, _)| name == key)
            .filter_map(|(_, value)| value)
    }
}

/// Iterator over the `(key, value)` pairs of a [`CommandLine`].
#[derive(Clone, Debug)]
pub struct Arguments<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Arguments<'a> {
    type Item = (&'a str, Option<&'a str>);

    fn next(&mut self) -> Option<Self::Item> {
        let text = self
            .rest
            .trim_start_matches(|character: char| character.is_ascii_whitespace());
        if text.is_empty() {
            self.rest = "";
            return None;
        }
        // Every index below is that of an ASCII byte (or the end), so a character boundary.
        let mut in_quote = false;
        let mut equals = None;
        let mut end = text.len();
        for (index, byte) in text.bytes().enumerate() {
            match byte {
                b'"' => in_quote = !in_quote,
                b'=' if equals.is_none() => equals = Some(index),
                byte if byte.is_ascii_whitespace() && !in_quote => {
                    end = index;
                    break;
                }
                _ => {}
            }
        }
        self.rest = &text[end..];
        let token = &text[..end];
        Some(match equals {
            Some(equals) => (
                strip_quotes(&token[..equals]),
                Some(strip_quotes(&token[equals + 1..])),
            ),
            None => (strip_quotes(token), None),
        })
    }
}

/// Removes one leading and one trailing double quote, when present.
fn strip_quotes(text: &str) -> &str {
    let text = text.strip_prefix('"').unwrap_or(text);
    text.strip_suffix('"').unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRICKY: &[&str] = &[
        r#"console=ttyS0 quiet loglevel=debug init="/bin/app --flag" "a=b c" x="#,
        r#"virtio_mmio.device=4K@0xc0001000:5 virtio_mmio.device=512@0xfeb00e00:12:3 ="#,
        "  \t=\"\"\" key=\"unterminated value  é=ü ü mem=0x10M ",
        "=== \"\" \" =\" a==b 0x 0xz 99999999999999999999999K 1@2:3:4:5 4K@:1",
    ];

    #[test]
    fn splits_keys_values_and_flags() {
        let line = CommandLine::new(TRICKY[0]);
        let arguments: Vec<_> = line.iter().collect();
        assert_eq!(
            arguments,
            [
                ("console", Some("ttyS0")),
                ("quiet", None),
                ("loglevel", Some("debug")),
                ("init", Some("/bin/app --flag")),
                ("a", Some("b c")),
                ("x", Some("")),
            ]
        );
        assert_eq!(line.get("console"), Some("ttyS0"));
        assert_eq!(line.get("quiet"), None);
        assert_eq!(line.get("missing"), None);
        assert!(line.flag("quiet") && line.flag("console") && !line.flag("missing"));
    }

    #[test]
    fn last_value_wins_and_all_values_are_listed() {
        let line = CommandLine::new("a=1 b a=2 debug=off debug a=3 verbose=1 verbose=no");
        assert_eq!(line.get("a"), Some("3"));
        assert_eq!(line.values("a").collect::<Vec<_>>(), ["1", "2", "3"]);
        assert!(line.flag("debug"));
        assert!(!line.flag("verbose"));
        let devices = CommandLine::new(TRICKY[1]);
        let parsed: Vec<_> = devices
            .values("virtio_mmio.device")
            .map(VirtioMmioDevice::parse)
            .collect();
        assert_eq!(
            parsed,
            [
                Ok(VirtioMmioDevice {
                    size: 4096,
                    base: 0xc000_1000,
                    irq: 5
                }),
                Ok(VirtioMmioDevice {
                    size: 512,
                    base: 0xfeb0_0e00,
                    irq: 12
                }),
            ]
        );
    }

    #[test]
    fn empty_and_blank_lines_have_no_arguments() {
        assert_eq!(CommandLine::new("").iter().count(), 0);
        assert_eq!(CommandLine::new(" \t\n ").iter().count(), 0);
        assert_eq!(CommandLine::new("x").as_str(), "x");
    }

    /// Every prefix of every tricky string goes through every parser without panicking.
    #[test]
    fn no_prefix_of_tricky_input_panics() {
        for text in TRICKY {
            for (end, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let prefix = &text[..end];
                let line = CommandLine::new(prefix);
                for (key, value) in line.iter() {
                    let _ = (line.get(key), line.flag(key), line.values(key).count());
                    for piece in [Some(key), value].into_iter().flatten() {
                        let _ = (
                            parse_size(piece),
                            parse_u64(piece),
                            VirtioMmioDevice::parse(piece),
                        );
                    }
                }
                let _ = (
                    parse_size(prefix),
                    parse_u64(prefix),
                    VirtioMmioDevice::parse(prefix),
                );
            }
        }
    }
}
