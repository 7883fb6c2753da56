//! The regular expressions the rules read descriptions with, compiled once.

use std::sync::LazyLock;

use regex::Regex;

/// A route path as written in prose: starts with `/` after a blank, quote or bracket.
pub const PATH: &str = r#"/[A-Za-z0-9._~%!$&*+=:@/-]*"#;
/// A quoted literal: "…", '…', “…” or `…`.
pub const QUOTED: &str = r#"(?:"([^"]*)"|“([^”]*)”|`([^`]*)`|'([^']*)')"#;
/// A redirect target: a path or an http(s) URL.
pub const TARGET: &str = r#"(/[^\s,;"'`)]*|https?://[^\s,;"'`)]+)"#;

/// Compiles one of the constant patterns above; `every_pattern_compiles` proves none panics.
fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("the rules' patterns are valid regular expressions")
}

macro_rules! pattern {
    ($(#[$meta:meta])* $name:ident = $pattern:expr) => {
        $(#[$meta])*
        pub static $name: LazyLock<Regex> = LazyLock::new(|| compile(&$pattern));
    };
}

pattern!(
    /// A path in prose (group 1).
    ROUTE_PATH = format!(r#"(?:^|[\s"'`(])({PATH})"#)
);
pattern!(
    /// `redirect /a to /b`, `redirects from /a to https://…`.
    REDIRECT_FROM = format!(r"(?i)\bredirect(?:s|ing)?\s+(?:requests\s+)?(?:from\s+)?({PATH})\s+to\s+{TARGET}")
);
pattern!(
    /// `/a redirects to /b`, `/a should redirect permanently to …`.
    REDIRECT_TO = format!(r"(?i)({PATH})\s+(?:should\s+)?(?:redirects?|redirecting|forwards?|moved?|points?)\s+(?:permanently\s+|temporarily\s+)?to\s+{TARGET}")
);
pattern!(
    /// `health check on /healthz`.
    HEALTH_AT = format!(r"(?i)\bhealth(?:[\s-]*check)?s?\s+(?:endpoint\s+|route\s+)?(?:on|at)\s+({PATH})")
);
pattern!(
    /// `/healthz as a health check`.
    PATH_HEALTH = format!(r"(?i)({PATH})\s+(?:as\s+(?:a\s+)?|for\s+(?:a\s+)?)?health(?:[\s-]*checks?)?\b")
);
pattern!(
    /// A health check with no path.
    HEALTH = r"(?i)(?:^|[\s,;(])health(?:[\s-]*checks?)?\b"
);
pattern!(
    /// `files from the folder site`, `site in directory "docs"`.
    FOLDER = r#"(?i)\b(?:(?:static\s+)?(?:files|pages|site|website|html|assets)\s+(?:from|in|of)\s+(?:the\s+)?(?:(?:folder|directory|dir)\s+)?|(?:folder|directory|dir)\s+(?:called\s+|named\s+)?)["'`]?((?:\.{1,2}/|/|~/)?[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*/?)["'`]?"#
);
pattern!(
    /// `a static site`.
    STATIC_SITE = r"(?i)\bstatic\s+(?:web\s*)?(?:site|website|files|pages|html)\b"
);
pattern!(
    /// `at /docs` after a folder.
    MOUNT = format!(r"(?i)^\s*(?:,\s*)?(?:at|under|on)\s+({PATH})")
);
pattern!(
    /// What links a path to its literal: `returns`, `with`, `:`, `answers with the JSON` ….
    CONNECTIVE = r"(?i)^[\s:]*(?:(?:that|which|and|it)\s+)?(?:(?:(?:returning|returns?|answers?(?:\s+with)?|responds?(?:\s+with)?|replies(?:\s+with)?|gives|serves|says|shows|outputs|with)\b|->|=>|=|:)\s*)+(?:(?:the|a|an)\s+)?(?:(?:json|text|body|object|string|message|plain)\b\s*)*:?\s*"
);
pattern!(
    /// `says "hi" at /greet`.
    QUOTED_AT = format!(r"(?i)\b(?:says?|returns?|responds?\s+with|answers?(?:\s+with)?|replies\s+with)\s+{QUOTED}\s+(?:at|on|for|under)\s+({PATH})")
);
pattern!(
    /// `says "hi"` with no path.
    SAYS = format!(r"(?i)\b(?:says?|saying|returns?|responds?\s+with|answers?(?:\s+with)?|replies\s+with|greets?\s+(?:you\s+)?with|prints?)\s+{QUOTED}")
);
pattern!(
    /// `hello`, `hello world`.
    HELLO = r"(?i)\bhello(?:[\s,-]+world)?\b"
);
pattern!(
    /// A serial-only app.
    SERIAL = r"(?i)\b(?:serial(?:\s+console)?|console\s+only|no\s+network(?:ing)?)\b"
);
pattern!(
    /// `a JSON 404`.
    JSON_NOT_FOUND = r"(?i)\bjson\s+(?:404|not[\s-]found)s?\b|\b(?:404|not[\s-]found)s?\s+(?:as|in)\s+json\b"
);
pattern!(
    /// `a 404 page that says "…"`.
    NOT_FOUND_SAYS = format!(r"(?i)\b(?:404|not[\s-]found)(?:\s+page)?\s+(?:that\s+)?(?:says|with|returns?|showing)\s+{QUOTED}")
);
pattern!(
    /// `404 returns {…}` (the JSON follows).
    NOT_FOUND_JSON = r"(?i)\b(?:404|not[\s-]found)(?:\s+page)?\s+(?:that\s+)?(?:returns?|with|answers?(?:\s+with)?|:)\s*[\{\[]"
);
pattern!(
    /// `port 8080`, `on :8080`.
    PORT = r"(?i)\bport\s*(?:number\s*)?:?\s*(\d{1,7})\b|\bon\s+:(\d{1,7})\b"
);
pattern!(
    /// `16 MiB`, `64MB of RAM`, `1.5 GB`.
    MEMORY = r"(?i)\b(\d{1,7}(?:\.\d{1,3})?)\s*(kib|kb|kilobytes?|mib|mb|megabytes?|gib|gb|gigabytes?)\b(?:\s+(?:of\s+)?(?:memory|ram))?"
);
pattern!(
    /// Words asking for a small image.
    SMALL = r"(?i)\b(?:small|smallest|tiny|minimal|lightweight|compact|lean)\b"
);
pattern!(
    /// Words asking for fast code.
    FAST = r"(?i)\b(?:fast|fastest|speed|performance|quick|quickly|low[\s-]latency|high[\s-]throughput)\b"
);
pattern!(
    /// `100 concurrent connections`.
    CONNECTIONS = r"(?i)\b(\d{1,6})\s+(?:concurrent\s+|simultaneous\s+|parallel\s+)?connections\b"
);
pattern!(
    /// `dhcp`.
    DHCP = r"(?i)\bdhcp\b"
);
pattern!(
    /// `10.0.0.5/24`.
    STATIC_IP = r"\b(\d{1,3}(?:\.\d{1,3}){3}/\d{1,2})\b"
);
pattern!(
    /// `gateway 10.0.0.1`.
    GATEWAY = r"(?i)\bgateway\s+(?:is\s+|at\s+)?(\d{1,3}(?:\.\d{1,3}){3})\b"
);
pattern!(
    /// `firecracker`, `qemu`.
    VMM = r"(?i)\b(firecracker|qemu)\b"
);
pattern!(
    /// `q35`, `microvm`.
    MACHINE = r"(?i)\b(q35|microvm)\b"
);
pattern!(
    /// `called shop`, `named "shop"`.
    NAME = r#"(?i)\b(?:called|named)\s+["'`]?([a-z][a-z0-9-]{0,62})["'`]?"#
);
pattern!(
    /// `status 418`.
    STATUS = r"(?i)\bstatus(?:\s+code)?\s+(\d{3})\b"
);
pattern!(
    /// `temporary`/`temporarily` for a redirect.
    TEMPORARY = r"(?i)\btemporar(?:y|ily)\b"
);
pattern!(
    /// Words that mean the service needs code: state, computation, validation.
    LOGIC = r"(?i)\b(?:lists?|listing|create[sd]?|creating|updates?|updating|edit(?:s|ing)?|deletes?|deleting|removes?|stores?|storing|saves?|saving|persist(?:s|ing)?|counts?|counting|counters?|increments?|tracks?|tracking|log\s*in|login|logins|auth(?:enticate|entication)?|passwords?|users?|accounts?|validat(?:e|es|ion|ing)|orders?|carts?|checkout|shorten(?:s|er|ing)?|webhooks?|hmac|signatures?|rate[\s-]limit(?:ed|s|ing)?|throttl(?:e|es|ing)|forms?|submit(?:s|ted)?|crud|todos?|random|uuids?|timestamps?|current\s+time|background\s+(?:tasks?|jobs?|work)|in\s+the\s+background|every\s+\d+\s+(?:seconds?|minutes?)|search(?:es|ing)?|filter(?:s|ing)?|sort(?:s|ing|ed)?|paginat(?:e|ion)|sessions?|cookies?|by\s+id|echo(?:es)?|calculat(?:e|es|or)|convert(?:s|er)?|products?|items?|posts?|comments?|votes?|likes?)\b"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        let all: &[&LazyLock<Regex>] = &[
            &ROUTE_PATH,
            &REDIRECT_FROM,
            &REDIRECT_TO,
            &HEALTH_AT,
            &PATH_HEALTH,
            &HEALTH,
            &FOLDER,
            &STATIC_SITE,
            &MOUNT,
            &CONNECTIVE,
            &QUOTED_AT,
            &SAYS,
            &HELLO,
            &SERIAL,
            &JSON_NOT_FOUND,
            &NOT_FOUND_SAYS,
            &NOT_FOUND_JSON,
            &PORT,
            &MEMORY,
            &SMALL,
            &FAST,
            &CONNECTIONS,
            &DHCP,
            &STATIC_IP,
            &GATEWAY,
            &VMM,
            &MACHINE,
            &NAME,
            &STATUS,
            &TEMPORARY,
            &LOGIC,
        ];
        for regex in all {
            assert!(!regex.as_str().is_empty());
        }
    }
}
