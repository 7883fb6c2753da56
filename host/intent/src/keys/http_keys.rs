//! The keys of `[http]`, `[[http.route]]` and `[http.not_found]`.

use super::{patterns, Key, Kind, TableKeys};

const CONTENT_TYPE: Key = Key {
    name: "content_type",
    description: "The Content-Type header, a media type such as `text/html; charset=utf-8`. Inferred when absent: text for `body`, application/json for `json`, by extension for `file`.",
    kind: Kind::Text { pattern: Some(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*;.*)?$"), format: None, examples: &["text/html; charset=utf-8"] },
};
const BODY: Key = Key {
    name: "body",
    description: "Answer with this text.",
    kind: Kind::Text {
        pattern: None,
        format: None,
        examples: &["Hello from SauceOS\n"],
    },
};
const FILE: Key = Key {
    name: "file",
    description: "Answer with this file, embedded at build time; relative to the folder holding sauce.toml and inside it.",
    kind: Kind::Text { pattern: None, format: None, examples: &["public/index.html"] },
};
const JSON: Key = Key { name: "json", description: "Answer with this value as JSON (tables become objects, keys in order; datetimes become strings).", kind: Kind::AnyValue };

/// `[[http.route]]`.
pub static ROUTE: TableKeys = TableKeys {
    header: "[[http.route]]",
    title: "A route",
    description: "A path and the one response it gives: `body`, `file`, `dir`, `json` or `redirect`.",
    keys: &[
        Key { name: "path", description: "An exact path such as `/api/info`, or a prefix ending in `/*` (`/static/*`, `/*`). Percent-escapes are decoded.", kind: Kind::Text { pattern: Some(patterns::ROUTE_PATH), format: None, examples: &["/", "/static/*"] } },
        BODY,
        FILE,
        Key { name: "dir", description: "Serve the files of this folder under the route's prefix (a path ending in `/*`); `…/` serves `index.html`. Relative to the folder holding sauce.toml and inside it.", kind: Kind::Text { pattern: None, format: None, examples: &["public"] } },
        JSON,
        Key { name: "redirect", description: "Redirect to this location: an absolute path `/…` or an `http://` or `https://` URL (status 308 unless `status` says otherwise).", kind: Kind::Text { pattern: Some(patterns::REDIRECT), format: None, examples: &["/", "https://example.com/"] } },
        CONTENT_TYPE,
        Key { name: "status", description: "The status code: 200 to 599 except 204 and 304 (default 200); for a redirect 301, 302, 303, 307 or 308 (default 308).", kind: Kind::Integer { minimum: 200, maximum: 599, default: Some(200) } },
        Key { name: "handler", description: "Answer with this function of the app crate (`[app] code`), such as `todos::item`: an `async fn(Request, &'static State) -> Result` (or without the state). Its path may name parameters: `/todos/{id}`, and a final `{*rest}`.", kind: Kind::Text { pattern: Some(r"^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*$"), format: None, examples: &["todos::item"] } },
        Key { name: "methods", description: "The methods the route answers (default `[\"GET\"]`, which answers `HEAD` too; `OPTIONS` is answered for every route). Routes other than `handler` answer `GET` only.", kind: Kind::ListOfText { pattern: "^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$", examples: &["GET", "POST"] } },
        Key { name: "body_limit", description: "The largest request body a `handler` route accepts, such as `\"16KiB\"` (413 beyond; at most `[http.limits] body_size`).", kind: Kind::Text { pattern: Some(SIZE_PATTERN), format: None, examples: &["16KiB"] } },
        Key { name: "cache_control", description: "The `Cache-Control` header of the route's responses, such as `\"max-age=3600\"`.", kind: Kind::Text { pattern: Some(r"^[\x20-\x7e]+$"), format: None, examples: &["max-age=3600", "no-store"] } },
    ],
    required: &["path"],
    exactly_one_of: &["body", "file", "dir", "json", "redirect", "handler"],
};

/// `[http.not_found]`.
pub static NOT_FOUND: TableKeys = TableKeys {
    header: "[http.not_found]",
    title: "The 404 page",
    description:
        "What paths no route serves get, with status 404: one of `body`, `file` or `json`.",
    keys: &[BODY, FILE, JSON, CONTENT_TYPE],
    required: &[],
    exactly_one_of: &["body", "file", "json"],
};

const SIZE_PATTERN: &str = r"^\s*\d+\s*(B|KiB|MiB)\s*$";
const DURATION_PATTERN: &str = r"^\s*\d+\s*(ms|s|m)\s*$";

/// `[http.limits]`.
pub static LIMITS: TableKeys = TableKeys {
    header: "[http.limits]",
    title: "Limits and timeouts",
    description: "What each connection may hold and how long it may take; every key is optional and defaults to the HTTP server's own (components/http-server/component.toml). Each limit that fires is counted in the guest's log.",
    keys: &[
        Key { name: "header_size", description: "The largest request head (request line and headers): 1KiB to 64KiB (default 8KiB); larger gets 431.", kind: Kind::Text { pattern: Some(SIZE_PATTERN), format: None, examples: &["8KiB"] } },
        Key { name: "body_size", description: "The largest request body: up to 64MiB (default 64KiB); larger gets 413.", kind: Kind::Text { pattern: Some(SIZE_PATTERN), format: None, examples: &["64KiB"] } },
        Key { name: "header_timeout", description: "How long a request head may take from its first byte, however slowly it trickles in: 100ms to 10m (default 10s); then 408.", kind: Kind::Text { pattern: Some(DURATION_PATTERN), format: None, examples: &["10s"] } },
        Key { name: "body_timeout", description: "How long a body may take before the minimum rate extends it: 100ms to 10m (default 10s); then 408.", kind: Kind::Text { pattern: Some(DURATION_PATTERN), format: None, examples: &["10s"] } },
        Key { name: "minimum_body_rate", description: "Bytes per second a slow upload must keep up: each this many bytes earn one more second (default 1KiB); `0B` earns none.", kind: Kind::Text { pattern: Some(SIZE_PATTERN), format: None, examples: &["1KiB"] } },
        Key { name: "idle_timeout", description: "How long a kept-alive connection may wait for its next request: 100ms to 10m (default 10s).", kind: Kind::Text { pattern: Some(DURATION_PATTERN), format: None, examples: &["10s"] } },
        Key { name: "send_timeout", description: "How long a client may accept no response byte (a zero window, never reading) before it is dropped: 100ms to 10m (default 10s).", kind: Kind::Text { pattern: Some(DURATION_PATTERN), format: None, examples: &["10s"] } },
        Key { name: "pipelined_requests", description: "Responses queued on one connection before it stops reading more requests.", kind: Kind::Integer { minimum: 1, maximum: 256, default: Some(16) } },
        Key { name: "connections_per_peer", description: "Connections one client address may hold at once; one more gets 503. 0: no separate cap (behind NAT or QEMU's user networking every client shares one address).", kind: Kind::Integer { minimum: 0, maximum: 65535, default: Some(0) } },
    ],
    required: &[],
    exactly_one_of: &[],
};

/// `[http]`.
pub static HTTP: TableKeys = TableKeys {
    header: "[http]",
    title: "The HTTP service",
    description: "Present: the image is an HTTP service. Absent: a serial-only app.",
    keys: &[
        Key {
            name: "port",
            description: "The guest TCP port.",
            kind: Kind::Integer {
                minimum: 1,
                maximum: 65535,
                default: Some(80),
            },
        },
        Key {
            name: "route",
            description: "The routes, each a `[[http.route]]` section; at least one.",
            kind: Kind::ListOfTables(&ROUTE),
        },
        Key {
            name: "not_found",
            description: "A custom 404 page.",
            kind: Kind::Table(&NOT_FOUND),
        },
        Key {
            name: "max_connections",
            description: "How many connections are served at once (default 128); more get 503. An image serves fewer when its memory cannot hold that many with every buffer full, and `sauce check` says so against `[resources] memory`.",
            kind: Kind::Integer {
                minimum: 1,
                maximum: 16384,
                default: None,
            },
        },
        Key {
            name: "limits",
            description: "Limits and timeouts of each connection.",
            kind: Kind::Table(&LIMITS),
        },
    ],
    required: &["route"],
    exactly_one_of: &[],
};
