//! `mysql://USER:PASSWORD@HOST:PORT/DB` URLs: percent-decoded parts, a masked `Display`.
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::error::{Error, UsageError};

/// The port MySQL and MariaDB listen on by default.
pub const DEFAULT_PORT: u16 = 3306;

/// A parsed connection URL. `Display` and `Debug` print `***` for the password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    /// The user name (may be empty: the server then sees an anonymous user).
    pub user: String,
    /// The password (empty when the URL has none).
    pub password: String,
    /// A host name, an IPv4 address, or an IPv6 address without brackets.
    pub host: String,
    /// The TCP port (3306 when the URL has none).
    pub port: u16,
    /// The default database, if the URL names one.
    pub database: Option<String>,
}

impl DatabaseUrl {
    /// Parses `mysql://[USER[:PASSWORD]@]HOST[:PORT][/DB]` (`mariadb://` too). User, password
    /// and database are percent-decoded; an IPv6 host is written in brackets. Query strings
    /// are refused rather than ignored (an ignored `?ssl-mode=REQUIRED` would be a surprise).
    pub fn parse(text: &str) -> Result<DatabaseUrl, Error> {
        let invalid = |reason| Error::usage(UsageError::InvalidUrl(reason));
        let rest = strip_scheme(text).ok_or(invalid("it must start with `mysql://`"))?;
        if rest.contains(['?', '#']) {
            return Err(invalid("query strings and fragments are not supported"));
        }
        let (authority, path) = match rest.find('/') {
            Some(slash) => (&rest[..slash], Some(&rest[slash + 1..])),
            None => (rest, None),
        };
        let (user_information, host_and_port) = match authority.rfind('@') {
            Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
            None => (None, authority),
        };
        let (user, password) = match user_information {
            Some(information) => match information.split_once(':') {
                Some((user, password)) => (decode(user)?, decode(password)?),
                None => (decode(information)?, String::new()),
            },
            None => (String::new(), String::new()),
        };
        let (host, port) = split_host_and_port(host_and_port)?;
        let database = match path {
            None | Some("") => None,
            Some(path) if path.contains('/') => {
                return Err(invalid("the path must be a single database name"))
            }
            Some(path) => Some(decode(path)?),
        };
        Ok(DatabaseUrl {
            user,
            password,
            host,
            port,
            database,
        })
    }
}

fn strip_scheme(text: &str) -> Option<&str> {
    ["mysql://", "mariadb://"].iter().find_map(|scheme| {
        let head = text.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme)
            .then(|| &text[scheme.len()..])
    })
}

fn split_host_and_port(text: &str) -> Result<(String, u16), Error> {
    let invalid = |reason| Error::usage(UsageError::InvalidUrl(reason));
    let (host, port) = if let Some(bracketed) = text.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or(invalid("an IPv6 host lacks its closing `]`"))?;
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or(invalid("unexpected text after the IPv6 host"))?,
            ),
        };
        (host, port)
    } else {
        match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    if host.is_empty() {
        return Err(invalid("the host is missing"));
    }
    if !host
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || b".-_:%".contains(&byte))
    {
        return Err(invalid("the host has characters a host name cannot have"));
    }
    let port = match port {
        None => DEFAULT_PORT,
        Some(digits) => match digits.parse::<u16>() {
            Ok(port) if port != 0 && digits.bytes().all(|byte| byte.is_ascii_digit()) => port,
            _ => return Err(invalid("the port must be a number from 1 to 65535")),
        },
    };
    Ok((String::from(host), port))
}

/// Percent-decodes `text` (`%40` is `@`); the result must be UTF-8.
fn decode(text: &str) -> Result<String, Error> {
    let invalid = |reason| Error::usage(UsageError::InvalidUrl(reason));
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, after)) = rest.split_first() {
        if byte == b'%' {
            let (digits, after_escape) = after
                .split_first_chunk::<2>()
                .ok_or(invalid("a `%` escape needs two hex digits"))?;
            let high = hex_value(digits[0]).ok_or(invalid("a `%` escape needs two hex digits"))?;
            let low = hex_value(digits[1]).ok_or(invalid("a `%` escape needs two hex digits"))?;
            bytes.push(high << 4 | low);
            rest = after_escape;
        } else {
            bytes.push(byte);
            rest = after;
        }
    }
    String::from_utf8(bytes).map_err(|_| invalid("a decoded part is not UTF-8"))
}

const fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Writes `text` percent-encoding everything but unreserved characters (RFC 3986).
fn write_encoded(formatter: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            fmt::Write::write_char(formatter, char::from(byte))?;
        } else {
            write!(formatter, "%{byte:02X}")?;
        }
    }
    Ok(())
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("mysql://")?;
        if !self.user.is_empty() || !self.password.is_empty() {
            write_encoded(formatter, &self.user)?;
            if !self.password.is_empty() {
                formatter.write_str(":***")?;
            }
            formatter.write_str("@")?;
        }
        if self.host.contains(':') {
            write!(formatter, "[{}]:{}", self.host, self.port)?;
        } else {
            write!(formatter, "{}:{}", self.host, self.port)?;
        }
        if let Some(database) = &self.database {
            formatter.write_str("/")?;
            write_encoded(formatter, database)?;
        }
        Ok(())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "DatabaseUrl({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;
    use proptest::prelude::*;

    #[test]
    fn a_full_url_parses_and_masks_its_password() {
        let url = DatabaseUrl::parse("mysql://app%40shop:p%3Ass%2Fw@db.internal:3307/orders%20db")
            .unwrap();
        assert_eq!(url.user, "app@shop");
        assert_eq!(url.password, "p:ss/w");
        assert_eq!(url.host, "db.internal");
        assert_eq!(url.port, 3307);
        assert_eq!(url.database.as_deref(), Some("orders db"));
        assert_eq!(
            url.to_string(),
            "mysql://app%40shop:***@db.internal:3307/orders%20db"
        );
        assert!(!format!("{url:?}").contains("p:ss"));
    }

    #[test]
    fn defaults_and_ipv6_hosts() {
        let url = DatabaseUrl::parse("MariaDB://[::1]").unwrap();
        assert_eq!(url.host, "::1");
        assert_eq!(url.port, 3306);
        assert_eq!(url.user, "");
        assert_eq!(url.database, None);
        assert_eq!(url.to_string(), "mysql://[::1]:3306");
        let url = DatabaseUrl::parse("mysql://root@127.0.0.1:13306/").unwrap();
        assert_eq!((url.user.as_str(), url.port), ("root", 13306));
        assert_eq!(url.to_string(), "mysql://root@127.0.0.1:13306");
    }

    #[test]
    fn malformed_urls_say_why() {
        for (text, reason) in [
            ("postgres://a@b/c", "it must start with `mysql://`"),
            (
                "mysql://a@b/c?ssl-mode=REQUIRED",
                "query strings and fragments are not supported",
            ),
            ("mysql://a@:3306/c", "the host is missing"),
            (
                "mysql://a@b:0/c",
                "the port must be a number from 1 to 65535",
            ),
            (
                "mysql://a@b:70000/c",
                "the port must be a number from 1 to 65535",
            ),
            (
                "mysql://a@b:+1/c",
                "the port must be a number from 1 to 65535",
            ),
            ("mysql://a%4@b/c", "a `%` escape needs two hex digits"),
            ("mysql://a%ff@b/c", "a decoded part is not UTF-8"),
            ("mysql://a@b/c/d", "the path must be a single database name"),
            ("mysql://a@[::1/c", "an IPv6 host lacks its closing `]`"),
            (
                "mysql://a@b c/d",
                "the host has characters a host name cannot have",
            ),
        ] {
            let error = DatabaseUrl::parse(text).unwrap_err();
            assert_eq!(
                error.cause(),
                &crate::error::Cause::Usage(UsageError::InvalidUrl(reason)),
                "{text}"
            );
        }
    }

    proptest! {
        #[test]
        fn display_round_trips_every_part_but_the_password(user in ".{0,12}", database in ".{1,12}", host in "[a-z0-9.-]{1,20}", port in 1u16..) {
            let url = DatabaseUrl { user, password: String::new(), host, port, database: Some(database) };
            prop_assert_eq!(DatabaseUrl::parse(&url.to_string()).unwrap(), url);
        }

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,60}") {
            let _ = DatabaseUrl::parse(&text);
            let _ = DatabaseUrl::parse(&format!("mysql://{text}"));
        }
    }
}
