//! Network addresses written into generated code: every IPv4 address and every URL host in a
//! string literal, and every `Ipv4Addr::new(a, b, c, d)`, must be one the intent declares (or
//! the unspecified and loopback addresses, which never leave the guest).

use proc_macro2::{TokenStream, TokenTree};

use super::tokens::string_literals;
use super::{Check, Finding};
use crate::project::ProjectPath;

/// URL schemes whose host is an address a program would connect to.
const SCHEMES: &[&str] = &[
    "http",
    "https",
    "ws",
    "wss",
    "tcp",
    "udp",
    "postgres",
    "postgresql",
    "mysql",
    "redis",
    "rediss",
    "amqp",
    "mongodb",
    "smtp",
    "ftp",
    "nats",
    "mqtt",
];

/// Findings for addresses in `source` that are not in `declared` (hosts or IPv4 addresses,
/// compared case-insensitively).
pub fn check_addresses(path: &ProjectPath, source: &str, declared: &[String]) -> Vec<Finding> {
    let allowed = |host: &str| {
        host == "0.0.0.0"
            || host.starts_with("127.")
            || host.eq_ignore_ascii_case("localhost")
            || declared
                .iter()
                .any(|declared| declared.eq_ignore_ascii_case(host))
    };
    let mut findings = Vec::new();
    for (value, line, column) in string_literals(source) {
        for host in hosts_in(&value) {
            if !allowed(&host) {
                findings.push(Finding::at(
                    Check::Address,
                    path.as_str(),
                    line,
                    column,
                    format!("`{host}` is an outbound address the intent does not declare; remove it, or declare it in sauce.toml"),
                ));
            }
        }
    }
    if let Ok(stream) = source.parse::<TokenStream>() {
        let mut constructed = Vec::new();
        constructors(stream, &mut constructed);
        for (host, line, column) in constructed {
            if !allowed(&host) {
                findings.push(Finding::at(
                    Check::Address,
                    path.as_str(),
                    line,
                    column,
                    format!("`Ipv4Addr::new` builds {host}, an outbound address the intent does not declare; remove it, or declare it in sauce.toml"),
                ));
            }
        }
    }
    findings
}

/// The hosts of URLs and the IPv4 addresses in a text, lower case, each once.
pub fn hosts_in(text: &str) -> Vec<String> {
    let mut hosts: Vec<String> = Vec::new();
    let mut push = |host: String| {
        if !host.is_empty() && !hosts.contains(&host) {
            hosts.push(host);
        }
    };
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(position) = rest.find("://") {
        let scheme: String = rest[..position]
            .chars()
            .rev()
            .take_while(|character| character.is_ascii_alphanumeric() || *character == '+')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after = &rest[position + 3..];
        if SCHEMES.contains(&scheme.as_str()) {
            let authority: &str = after
                .split(|character: char| "/?#\"' \t\n<>".contains(character))
                .next()
                .unwrap_or("");
            let host_and_port = authority.rsplit('@').next().unwrap_or("");
            let host = if let Some(bracketed) = host_and_port.strip_prefix('[') {
                bracketed.split(']').next().unwrap_or("")
            } else {
                host_and_port.split(':').next().unwrap_or("")
            };
            push(host.to_owned());
        }
        rest = after;
    }
    for candidate in
        lower.split(|character: char| !(character.is_ascii_digit() || character == '.'))
    {
        let candidate = candidate.trim_matches('.');
        let parts: Vec<&str> = candidate.split('.').collect();
        if parts.len() == 4
            && parts.iter().all(|part| {
                !part.is_empty()
                    && part.len() <= 3
                    && part.parse::<u16>().is_ok_and(|octet| octet <= 255)
            })
        {
            push(candidate.to_owned());
        }
    }
    hosts
}

fn constructors(stream: TokenStream, found: &mut Vec<(String, usize, usize)>) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    for (index, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Group(group) => constructors(group.stream(), found),
            TokenTree::Ident(ident) if ident == "Ipv4Addr" => {
                let is_new =
                    matches!(trees.get(index + 3), Some(TokenTree::Ident(name)) if name == "new");
                let Some(TokenTree::Group(arguments)) = trees.get(index + 4).filter(|_| is_new)
                else {
                    continue;
                };
                let octets: Vec<String> = arguments
                    .stream()
                    .into_iter()
                    .filter_map(|tree| match tree {
                        TokenTree::Literal(literal) => Some(literal.to_string()),
                        _ => None,
                    })
                    .map(|digits| digits.trim_end_matches("u8").to_owned())
                    .collect();
                if octets.len() == 4 {
                    let start = ident.span().start();
                    found.push((octets.join("."), start.line, start.column + 1));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_hosts_and_addresses() {
        assert_eq!(
            hosts_in("see https://API.example.com:443/v1?x=1 and 10.0.0.5:5432"),
            ["api.example.com", "10.0.0.5"]
        );
        assert_eq!(
            hosts_in("postgres://user:pw@db.internal/shop"),
            ["db.internal"]
        );
        assert_eq!(hosts_in("http://[::1]:80/"), ["::1"]);
        assert!(hosts_in("version 1.2.3, file:///etc/passwd, mailto:a@b.c, 999.1.1.1").is_empty());
    }

    #[test]
    fn undeclared_addresses_are_findings() {
        let path = ProjectPath::parse("src/lib.rs").unwrap();
        let source = "const A: &str = \"https://evil.example/exfiltrate\";\nconst B: &str = \"https://docs.example.org/\";\nconst C: &str = \"127.0.0.1\";\nfn d() { let _ = core::net::Ipv4Addr::new(8, 8, 8, 8); }\n// https://comment.example/\n";
        let found = check_addresses(&path, source, &["docs.example.org".to_owned()]);
        let messages: Vec<(usize, &str)> = found
            .iter()
            .map(|finding| (finding.line.unwrap_or(0), finding.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 2, "{messages:#?}");
        assert_eq!(messages[0].0, 1);
        assert!(messages[0]
            .1
            .starts_with("`evil.example` is an outbound address"));
        assert_eq!(messages[1].0, 4);
        assert!(messages[1].1.contains("8.8.8.8"));
    }
}
