//! The syntax of a route's `path`: `/` first, visible ASCII, no query or fragment, `*` only as
//! a final `/*`, valid percent-escapes, no `.` or `..` segment. The server compares paths
//! decoded, so a valid path is returned decoded.

use std::fmt::Write;

/// What is wrong with a path, and how to fix it.
pub(super) type Problem = (String, String);

/// The decoded path, or why `text` is not a route path.
pub(super) fn check(text: &str) -> Result<String, Problem> {
    if text.is_empty() {
        return Err((
            "the path is empty".to_owned(),
            "write `path = \"/\"` for the root".to_owned(),
        ));
    }
    if !text.starts_with('/') {
        return Err((
            format!("`{text}` does not start with `/`"),
            format!("write `path = \"/{text}\"`"),
        ));
    }
    if let Some(character) = text.chars().find(|character| !character.is_ascii_graphic()) {
        return Err(character_problem(text, character));
    }
    for (mark, what) in [('?', "a query"), ('#', "a fragment")] {
        if let Some(start) = text.find(mark) {
            let message =
                format!("`{text}` contains `{mark}`: a route matches a path, never {what}");
            return Err((message, format!("write `path = \"{}\"`", &text[..start])));
        }
    }
    let body = text.strip_suffix("/*").unwrap_or(text);
    if body.contains('*') {
        let message = format!("`{text}` has a `*` that does not end the path as `/*`");
        let hint = "a prefix route ends in `/*` (`/static/*`); `/*` alone serves every path";
        return Err((message, hint.to_owned()));
    }
    let decoded = decode(text)?;
    if decoded.matches('*').count() != text.matches('*').count() {
        let message =
            format!("`{text}` decodes to `{decoded}`, whose `*` would make it a different route");
        return Err((message, "leave `*` out of the path".to_owned()));
    }
    if let Some(control) = decoded.chars().find(char::is_ascii_control) {
        let message = format!("`{text}` decodes to a control character ({:?})", control);
        return Err((message, "remove that escape".to_owned()));
    }
    let body = decoded.strip_suffix("/*").unwrap_or(&decoded);
    if let Some(segment) = body
        .split('/')
        .find(|segment| *segment == "." || *segment == "..")
    {
        let message =
            format!("`{text}` has a `{segment}` segment, which clients remove before sending");
        return Err((
            message,
            "write the path without `.` and `..` segments".to_owned(),
        ));
    }
    Ok(decoded)
}

/// The problem of a path holding `character`, which is not visible ASCII.
fn character_problem(text: &str, character: char) -> Problem {
    let mut escaped = String::new();
    let mut buffer = [0; 4];
    for byte in character.encode_utf8(&mut buffer).bytes() {
        let _ = write!(escaped, "%{byte:02X}");
    }
    let what = match character {
        ' ' => "a space".to_owned(),
        character if character.is_control() || character.is_whitespace() => {
            format!("the character {character:?}")
        }
        character => format!("`{character}`, which is not ASCII"),
    };
    (
        format!("`{}` contains {what}", text.escape_debug()),
        format!("percent-encode it as `{escaped}`"),
    )
}

/// `text` with its `%XX` escapes decoded, which must be valid and give UTF-8.
fn decode(text: &str) -> Result<String, Problem> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte != b'%' {
            decoded.push(byte);
            index += 1;
            continue;
        }
        let digits = bytes
            .get(index + 1..index + 3)
            .and_then(|digits| std::str::from_utf8(digits).ok());
        let Some(value) = digits.and_then(|digits| u8::from_str_radix(digits, 16).ok()) else {
            let escape: String = text[index..].chars().take(3).collect();
            let message = format!("`{escape}` in `{text}` is not a percent-escape");
            return Err((
                message,
                "an escape is `%` and two hexadecimal digits; write `%25` for `%` itself"
                    .to_owned(),
            ));
        };
        decoded.push(value);
        index += 3;
    }
    String::from_utf8(decoded).map_err(|_| {
        let message = format!("`{text}` decodes to bytes that are not UTF-8");
        (
            message,
            "escape characters as their UTF-8 bytes, such as `%C3%A9` for `é`".to_owned(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> String {
        check(text).unwrap_err().0
    }

    #[test]
    fn accepts_exact_paths_and_prefixes() {
        for path in [
            "/",
            "/*",
            "/api/info",
            "/static/*",
            "/a//b",
            "/a.b/c..d",
            "/~user",
        ] {
            assert_eq!(check(path).as_deref(), Ok(path));
        }
        assert_eq!(check("/my%20file.txt").as_deref(), Ok("/my file.txt"));
        assert_eq!(check("/caf%C3%A9/*").as_deref(), Ok("/café/*"));
    }

    #[test]
    fn rejects_each_broken_rule() {
        assert_eq!(problem(""), "the path is empty");
        assert_eq!(problem("api"), "`api` does not start with `/`");
        assert_eq!(problem("/a b"), "`/a b` contains a space");
        assert_eq!(problem("/é"), "`/é` contains `é`, which is not ASCII");
        assert_eq!(
            problem("/a?b=1"),
            "`/a?b=1` contains `?`: a route matches a path, never a query"
        );
        assert_eq!(
            problem("/a#top"),
            "`/a#top` contains `#`: a route matches a path, never a fragment"
        );
        assert_eq!(
            problem("/a*"),
            "`/a*` has a `*` that does not end the path as `/*`"
        );
        assert_eq!(
            problem("/*/a"),
            "`/*/a` has a `*` that does not end the path as `/*`"
        );
        assert_eq!(
            problem("/a/**"),
            "`/a/**` has a `*` that does not end the path as `/*`"
        );
        assert_eq!(problem("/a%2"), "`%2` in `/a%2` is not a percent-escape");
        assert_eq!(problem("/a%zz"), "`%zz` in `/a%zz` is not a percent-escape");
        assert_eq!(
            problem("/%FF"),
            "`/%FF` decodes to bytes that are not UTF-8"
        );
        assert_eq!(
            problem("/a/%2A"),
            "`/a/%2A` decodes to `/a/*`, whose `*` would make it a different route"
        );
        assert_eq!(
            problem("/a/../b"),
            "`/a/../b` has a `..` segment, which clients remove before sending"
        );
        assert_eq!(
            problem("/a/%2e/*"),
            "`/a/%2e/*` has a `.` segment, which clients remove before sending"
        );
        assert!(problem("/a%00").contains("control character"));
    }

    #[test]
    fn suggests_escapes() {
        assert_eq!(check("/é").unwrap_err().1, "percent-encode it as `%C3%A9`");
        assert_eq!(check("/a?b").unwrap_err().1, "write `path = \"/a\"`");
    }
}
