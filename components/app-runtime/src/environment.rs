//! Run-time values the app reads with `env("KEY")`: the intent's `[app.env]` defaults,
//! overridden by `sauce.env.KEY=VALUE` arguments on the kernel command line (`sauce run --env`
//! writes them percent-encoded, so a value may hold spaces, quotes or any byte).
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

/// The prefix of the command line's environment arguments.
pub const PREFIX: &str = "sauce.env.";

/// Every value, the command line's over the defaults; keys in the order first seen.
pub fn merged<'a>(
    defaults: &[(&str, &str)],
    command_line: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> Vec<(String, String)> {
    let mut values: Vec<(String, String)> = defaults
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect();
    for (name, value) in command_line {
        let Some(key) = name.strip_prefix(PREFIX).filter(|key| !key.is_empty()) else {
            continue;
        };
        let value = decode(value.unwrap_or_default());
        match values.iter_mut().find(|(known, _)| known == key) {
            Some((_, old)) => *old = value,
            None => values.push((key.to_owned(), value)),
        }
    }
    values
}

/// `%XX` escapes decoded; a malformed escape is kept as written; bytes that are not UTF-8 once
/// decoded read as U+FFFD.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let escaped = (byte == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|digits| core::str::from_utf8(digits).ok())
            .and_then(|digits| u8::from_str_radix(digits, 16).ok());
        match escaped {
            Some(value) => {
                decoded.push(value);
                index += 3;
            }
            None => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_overrides_the_defaults_and_values_are_decoded() {
        let line = [
            ("console", Some("ttyS0")),
            ("sauce.env.GREETING", Some("hello%20world%21")),
            (
                "sauce.env.DATABASE_URL",
                Some("postgres://u:p%40ss@10.0.2.2/db"),
            ),
            ("sauce.env.", Some("ignored")),
            ("sauce.env.FLAG", None),
        ];
        let values = merged(&[("GREETING", "hi"), ("MODE", "dev")], line.into_iter());
        assert_eq!(
            values,
            [
                ("GREETING".to_owned(), "hello world!".to_owned()),
                ("MODE".to_owned(), "dev".to_owned()),
                (
                    "DATABASE_URL".to_owned(),
                    "postgres://u:p@ss@10.0.2.2/db".to_owned()
                ),
                ("FLAG".to_owned(), String::new()),
            ]
        );
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%FF"), "\u{fffd}");
    }
}
