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
    ],
    required: &["path"],
    exactly_one_of: &["body", "file", "dir", "json", "redirect"],
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
            description: "How many connections are served at once.",
            kind: Kind::Integer {
                minimum: 1,
                maximum: 1024,
                default: None,
            },
        },
    ],
    required: &["route"],
    exactly_one_of: &[],
};
