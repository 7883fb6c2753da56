//! Database URL pieces: splitting `scheme://userinfo@host:port/path?query` and strict
//! percent-decoding, shared by the clients (each maps [`UrlError`] into its own error).
use alloc::string::String;
use alloc::vec::Vec;

/// Why a URL cannot be split or decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    /// the URL does not start with one of the client's schemes
    Scheme,
    /// the URL has no host, or a malformed one (one host only; IPv6 in brackets)
    Host,
    /// `{0}` is not a port number
    Port(String),
    /// a `%` escape is not followed by two hexadecimal digits
    PercentEncoding,
    /// a decoded value is not UTF-8
    NotUtf8,
    /// a decoded value contains a NUL byte
    Nul,
}

impl core::fmt::Display for UrlError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            UrlError::Scheme => {
                formatter.write_str("the URL does not start with one of the client's schemes")
            }
            UrlError::Host => formatter.write_str(
                "the URL has no host, or a malformed one (one host only; IPv6 in brackets)",
            ),
            UrlError::Port(text) => write!(formatter, "`{text}` is not a port number"),
            UrlError::PercentEncoding => {
                formatter.write_str("a `%` escape is not followed by two hexadecimal digits")
            }
            UrlError::NotUtf8 => formatter.write_str("a decoded value is not UTF-8"),
            UrlError::Nul => formatter.write_str("a decoded value contains a NUL byte"),
        }
    }
}

/// The parts of a database URL, still percent-encoded.
#[derive(Debug, PartialEq, Eq)]
pub struct Parts<'a> {
    pub user: Option<&'a str>,
    pub password: Option<&'a str>,
    pub host: &'a str,
    pub port: Option<&'a str>,
    pub path: &'a str,
    pub query: &'a str,
}

/// Splits `url` after checking its scheme is one of `schemes`.
pub fn split<'a>(url: &'a str, schemes: &[&str]) -> Result<Parts<'a>, UrlError> {
    let (scheme, rest) = url.split_once("://").ok_or(UrlError::Scheme)?;
    if !schemes.contains(&scheme) {
        return Err(UrlError::Scheme);
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash + 1..]),
        None => (rest, ""),
    };
    let (userinfo, host_port) = match authority.rfind('@') {
        Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
        None => (None, authority),
    };
    let (user, password) = match userinfo {
        Some(userinfo) => match userinfo.split_once(':') {
            Some((user, password)) => (Some(user), Some(password)),
            None => (Some(userinfo), None),
        },
        None => (None, None),
    };
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').ok_or(UrlError::Host)?;
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':').ok_or(UrlError::Host)?)),
        }
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if host.is_empty() || host.contains(',') {
        return Err(UrlError::Host);
    }
    Ok(Parts {
        user,
        password,
        host,
        port,
        path,
        query,
    })
}

/// A port number, or `default` when absent.
pub fn port(port: Option<&str>, default: u16) -> Result<u16, UrlError> {
    match port {
        None | Some("") => Ok(default),
        Some(text) => text
            .parse()
            .ok()
            .filter(|&port| port != 0)
            .ok_or_else(|| UrlError::Port(String::from(text))),
    }
}

/// Decodes `%XX` escapes (and nothing else: `+` stays `+`). The result must be UTF-8 without
/// NUL, because the protocols carry these values as C strings.
pub fn percent_decode(text: &str) -> Result<String, UrlError> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut input = text.bytes();
    while let Some(byte) = input.next() {
        if byte == b'%' {
            let high = input.next().and_then(hex_value);
            let low = input.next().and_then(hex_value);
            match (high, low) {
                (Some(high), Some(low)) => bytes.push(high << 4 | low),
                _ => return Err(UrlError::PercentEncoding),
            }
        } else {
            bytes.push(byte);
        }
    }
    if bytes.contains(&0) {
        return Err(UrlError::Nul);
    }
    String::from_utf8(bytes).map_err(|_| UrlError::NotUtf8)
}

/// The value of one hexadecimal digit.
fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

/// The `name=value` pairs of a query string, decoded.
pub fn query_pairs(query: &str) -> impl Iterator<Item = Result<(String, String), UrlError>> + '_ {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((percent_decode(name)?, percent_decode(value)?))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_every_part() {
        let parts = split(
            "postgres://me:p%40ss@db.local:6543/app?sslmode=disable",
            &["postgres"],
        )
        .unwrap();
        assert_eq!(
            parts,
            Parts {
                user: Some("me"),
                password: Some("p%40ss"),
                host: "db.local",
                port: Some("6543"),
                path: "app",
                query: "sslmode=disable",
            }
        );
        let parts = split("redis://[::1]:7000", &["redis"]).unwrap();
        assert_eq!(
            (parts.host, parts.port, parts.user),
            ("::1", Some("7000"), None)
        );
        assert_eq!(split("http://x", &["redis"]), Err(UrlError::Scheme));
        assert_eq!(split("redis://", &["redis"]), Err(UrlError::Host));
        assert_eq!(split("redis://a,b", &["redis"]), Err(UrlError::Host));
        assert_eq!(split("redis://[::1", &["redis"]), Err(UrlError::Host));
    }

    #[test]
    fn percent_decoding_is_strict() {
        assert_eq!(percent_decode("a%2Fb%40c+d").unwrap(), "a/b@c+d");
        assert_eq!(percent_decode("%E2%82%AC").unwrap(), "€");
        assert_eq!(percent_decode("%4"), Err(UrlError::PercentEncoding));
        assert_eq!(percent_decode("%zz"), Err(UrlError::PercentEncoding));
        assert_eq!(percent_decode("%00"), Err(UrlError::Nul));
        assert_eq!(percent_decode("%ff"), Err(UrlError::NotUtf8));
    }

    #[test]
    fn ports_default_and_must_be_numbers() {
        assert_eq!(port(None, 5432), Ok(5432));
        assert_eq!(port(Some("1"), 5432), Ok(1));
        assert!(port(Some("0"), 5432).is_err());
        assert!(port(Some("65536"), 5432).is_err());
        assert!(port(Some("x"), 5432).is_err());
    }
}
