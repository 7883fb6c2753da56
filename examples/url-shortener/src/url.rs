//! Which URLs a link may point to: `http` or `https`, a host, printable ASCII, a length cap.

use core::fmt;

/// The longest URL a link may hold, in bytes.
pub const MAX_LENGTH: usize = 2048;

/// Why a URL was refused; the messages are what the client reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlProblem {
    /// the URL is empty
    Empty,
    /// the URL is longer than 2,048 bytes
    TooLong,
    /// the URL holds spaces, control characters or non-ASCII characters (percent-encode them)
    NotPrintable,
    /// the URL does not start with http:// or https://
    Scheme,
    /// the URL has no host
    NoHost,
    /// the URL carries a user name or password
    Credentials,
    /// the host is not a domain name, an IPv4 address or a bracketed IPv6 address
    Host,
    /// the port is not a number from 1 to 65535
    Port,
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            UrlProblem::Empty => "the URL is empty",
            UrlProblem::TooLong => "the URL is longer than 2,048 bytes",
            UrlProblem::NotPrintable => {
                "the URL holds spaces, control characters or non-ASCII characters (percent-encode them)"
            }
            UrlProblem::Scheme => "the URL does not start with http:// or https://",
            UrlProblem::NoHost => "the URL has no host",
            UrlProblem::Credentials => "the URL carries a user name or password",
            UrlProblem::Host => {
                "the host is not a domain name, an IPv4 address or a bracketed IPv6 address"
            }
            UrlProblem::Port => "the port is not a number from 1 to 65535",
        })
    }
}

/// Checks that `url` may be the target of a link (and so a `Location` header).
pub fn check(url: &str) -> Result<(), UrlProblem> {
    if url.is_empty() {
        return Err(UrlProblem::Empty);
    }
    if url.len() > MAX_LENGTH {
        return Err(UrlProblem::TooLong);
    }
    if !url.bytes().all(|byte| (0x21..=0x7e).contains(&byte)) {
        return Err(UrlProblem::NotPrintable);
    }
    let (scheme, rest) = url.split_once("://").ok_or(UrlProblem::Scheme)?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(UrlProblem::Scheme);
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() {
        return Err(UrlProblem::NoHost);
    }
    if authority.contains('@') {
        return Err(UrlProblem::Credentials);
    }
    let (host, port) = split_port(authority)?;
    if let Some(port) = port {
        let number: u32 = port.parse().map_err(|_| UrlProblem::Port)?;
        if port.len() > 5 || !(1..=65535).contains(&number) {
            return Err(UrlProblem::Port);
        }
    }
    if host.is_empty() {
        return Err(UrlProblem::NoHost);
    }
    if is_bracketed_ipv6(host) || is_domain(host) {
        Ok(())
    } else {
        Err(UrlProblem::Host)
    }
}

/// The host and the port text of an authority (`[::1]:8080`, `example.com:80`, `example.com`).
fn split_port(authority: &str) -> Result<(&str, Option<&str>), UrlProblem> {
    if authority.starts_with('[') {
        let end = authority.find(']').ok_or(UrlProblem::Host)?;
        let (host, after) = authority.split_at(end + 1);
        return match after {
            "" => Ok((host, None)),
            _ => after
                .strip_prefix(':')
                .map(|port| (host, Some(port)))
                .ok_or(UrlProblem::Host),
        };
    }
    Ok(match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

/// `[…]` holding hex digits, colons and dots (an IPv6 address, possibly ending in IPv4).
fn is_bracketed_ipv6(host: &str) -> bool {
    host.strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .is_some_and(|inner| {
            inner.contains(':')
                && inner
                    .bytes()
                    .all(|byte| byte.is_ascii_hexdigit() || byte == b':' || byte == b'.')
        })
}

/// Dot-separated labels of letters, digits and inner hyphens, 1–63 bytes each, 253 in all
/// (an IPv4 address is such a name too); one final dot is allowed.
fn is_domain(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}
