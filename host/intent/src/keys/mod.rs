//! The keys of sauce.toml version 1, as data: which keys each table accepts, what they mean,
//! and what values they take. The checker reads these tables to reject unknown keys (with "did
//! you mean"), and [`crate::schema`] turns them into the JSON Schema, so both always agree.

/// One TOML table of the format.
#[derive(Debug)]
pub struct TableKeys {
    /// How diagnostics name the table: `[app]`, `[[http.route]]`; empty for the document.
    pub header: &'static str,
    /// One line for the schema's `title`.
    pub title: &'static str,
    /// What the table is for.
    pub description: &'static str,
    /// Every key the table accepts.
    pub keys: &'static [Key],
    /// Keys that must be present.
    pub required: &'static [&'static str],
    /// Keys of which exactly one must be present (a route's response kinds); may be empty.
    pub exactly_one_of: &'static [&'static str],
}

/// One key of a table.
#[derive(Debug)]
pub struct Key {
    /// The key as written.
    pub name: &'static str,
    /// What it means, for the schema and editors.
    pub description: &'static str,
    /// The values it takes.
    pub kind: Kind,
}

/// The values a key takes.
#[derive(Debug)]
pub enum Kind {
    /// A string, optionally matching an ECMA-262 `pattern` (the checker's rules are stricter).
    Text {
        /// Regular expression the string matches.
        pattern: Option<&'static str>,
        /// A JSON Schema `format` (`ipv4`).
        format: Option<&'static str>,
        /// Example values.
        examples: &'static [&'static str],
    },
    /// One of a few strings.
    Choice {
        /// The accepted strings.
        options: &'static [&'static str],
        /// The value used when the key is absent.
        default: Option<&'static str>,
    },
    /// A whole number in a range.
    Integer {
        /// Smallest accepted value.
        minimum: i64,
        /// Largest accepted value.
        maximum: i64,
        /// The value used when the key is absent.
        default: Option<i64>,
    },
    /// `true` or `false`.
    Boolean {
        /// The value used when the key is absent.
        default: bool,
    },
    /// A list of strings, each matching `pattern`.
    ListOfText {
        /// Regular expression each string matches.
        pattern: &'static str,
        /// An example list.
        examples: &'static [&'static str],
    },
    /// Any TOML value (a `json` response).
    AnyValue,
    /// A sub-table.
    Table(&'static TableKeys),
    /// A list of tables (`[[http.route]]`).
    ListOfTables(&'static TableKeys),
}

impl TableKeys {
    /// The names of every key, in documentation order.
    pub fn names(&self) -> Vec<&'static str> {
        self.keys.iter().map(|key| key.name).collect()
    }

    /// The key named `name`, if the table accepts it.
    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.keys.iter().find(|key| key.name == name)
    }
}

mod database_keys;
mod http_keys;

pub use database_keys::DATABASE;
pub use http_keys::{HTTP, LIMITS, NOT_FOUND, ROUTE};

/// The patterns, shared with the tests that check them against the checker.
pub mod patterns {
    /// `[app] name`.
    pub const APP_NAME: &str = "^[a-z][a-z0-9-]{0,62}$";
    /// A component's name (its folder).
    pub const COMPONENT_NAME: &str = "^[a-z][a-z0-9-]{0,62}$";
    /// A route's `path`: exact, or a prefix ending in `/*`.
    pub const ROUTE_PATH: &str = r"^/[^\s?#*]*$|^/([^\s?#*]*/)?\*$";
    /// `[network] ip`.
    pub const IP: &str = r"^(dhcp|(\d{1,3}\.){3}\d{1,3}/\d{1,2})$";
    /// `[network] dns`: one IPv4 address.
    pub const IPV4: &str = r"^(\d{1,3}\.){3}\d{1,3}$";
    /// `[resources] memory`.
    pub const MEMORY: &str = r"^\s*\d+\s*(KiB|MiB|GiB)\s*$";
    /// `[[database]] name`.
    pub const DATABASE_NAME: &str = "^[a-z][a-z0-9_-]{0,31}$";
    /// `[[database]] url`: a reference to a run-time value, `${KEY}`.
    pub const DATABASE_URL: &str = r"^\$\{[A-Z_][A-Z0-9_]*\}$";
    /// A redirect's `Location`.
    pub const REDIRECT: &str = r"^(/[^/\s]|/$|https?://[^\s/]+)\S*$";
}

/// `[app]`.
pub static APP: TableKeys = TableKeys {
    header: "[app]",
    title: "The app",
    description: "What the image is called, and the app crate whose functions routes name.",
    keys: &[
        Key { name: "name", description: "Names the image, the generated crate and its binary: a-z, 0-9 and `-`, starting with a letter, 1 to 63 characters.", kind: Kind::Text { pattern: Some(patterns::APP_NAME), format: None, examples: &["hello"] } },
        Key { name: "code", description: "The folder of the app crate (a `no_std` + `alloc` library depending on `sauce-app`), relative to sauce.toml; default `.` when a route names a `handler` and a Cargo.toml is there.", kind: Kind::Text { pattern: None, format: None, examples: &["."] } },
        Key { name: "init", description: "The function that builds the app's state once at boot (`fn() -> State`); handlers receive it as `&'static State`. Without it handlers take no state.", kind: Kind::Text { pattern: Some(r"^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*$"), format: None, examples: &["init"] } },
        Key { name: "watchdog", description: "How long a handler or periodic task may run without yielding (an `.await` that waits) before the image stops with the route named, as a panic does (`sauce run --restart on-failure` boots it again): 100ms to 10m, default 5s.", kind: Kind::Text { pattern: Some(r"^\s*\d+\s*(ms|s|m)\s*$"), format: None, examples: &["5s"] } },
        Key { name: "allow_unsafe", description: "Let the app crate use `unsafe` (forbidden unless this is true; `sauce plan` says so).", kind: Kind::Boolean { default: false } },
        Key { name: "env", description: "Defaults of the values the guest reads with `env(\"KEY\")`; `sauce run --env KEY=VALUE` overrides them at boot, and run-time values are never compiled into the image.", kind: Kind::Table(&APP_ENV) },
        Key { name: "every", description: "Functions of the app crate run periodically, each a `[[app.every]]` section.", kind: Kind::ListOfTables(&APP_EVERY) },
    ],
    required: &["name"],
    exactly_one_of: &[],
};

/// `[app.env]`.
pub static APP_ENV: TableKeys = TableKeys {
    header: "[app.env]",
    title: "Run-time values",
    description: "KEY = \"default\" pairs: keys of A-Z, 0-9 and `_`; values are strings.",
    keys: &[],
    required: &[],
    exactly_one_of: &[],
};

/// `[[app.every]]`.
pub static APP_EVERY: TableKeys = TableKeys {
    header: "[[app.every]]",
    title: "A periodic task",
    description: "A function of the app crate (`async fn(&'static State)`, or without the state) run every `seconds`.",
    keys: &[
        Key { name: "seconds", description: "The period, from 1 to 86400 seconds; a start that would overlap the previous run is skipped.", kind: Kind::Integer { minimum: 1, maximum: 86_400, default: None } },
        Key { name: "task", description: "The function, such as `stats::tick`.", kind: Kind::Text { pattern: Some(r"^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*$"), format: None, examples: &["stats::tick"] } },
    ],
    required: &["seconds", "task"],
    exactly_one_of: &[],
};

/// `[network]`.
pub static NETWORK: TableKeys = TableKeys {
    header: "[network]",
    title: "The guest's network address",
    description: "Absent: QEMU user networking's 10.0.2.15/24 with gateway 10.0.2.2.",
    keys: &[
        Key { name: "ip", description: "`dhcp`, or the guest's IPv4 address with its prefix length (a host address, not the subnet's network or broadcast address). Firecracker has no DHCP server.", kind: Kind::Text { pattern: Some(patterns::IP), format: None, examples: &["10.0.2.15/24", "dhcp"] } },
        Key { name: "gateway", description: "The IPv4 default gateway, inside the subnet of `ip` (of 10.0.2.0/24 without `ip`); not with `dhcp`.", kind: Kind::Text { pattern: None, format: Some("ipv4"), examples: &["10.0.2.2"] } },
        Key { name: "dns", description: "The DNS servers the image's outbound connections resolve names with: up to 4 IPv4 addresses, tried in order, whatever a DHCP lease names (default: the lease's servers when `ip = \"dhcp\"`, else QEMU user networking's 10.0.2.3; `sauce run --append dns=…` overrides it at boot).", kind: Kind::ListOfText { pattern: patterns::IPV4, examples: &["10.0.2.3", "1.1.1.1"] } },
    ],
    required: &[],
    exactly_one_of: &[],
};

/// `[tcp]`.
pub static TCP: TableKeys = TableKeys {
    header: "[tcp]",
    title: "A TCP service",
    description: "Present: the image serves a TCP service that is not HTTP on `port`, alone or beside `[http]`.",
    keys: &[
        Key { name: "port", description: "The guest TCP port; not `[http]`'s.", kind: Kind::Integer { minimum: 1, maximum: 65535, default: None } },
        Key { name: "service", description: "What the port does: `echo` sends every byte back (RFC 862).", kind: Kind::Choice { options: &["echo"], default: None } },
        Key { name: "max_connections", description: "How many connections are served at once (default 64); an image serves fewer when its memory cannot hold that many with every buffer full.", kind: Kind::Integer { minimum: 1, maximum: 16384, default: None } },
    ],
    required: &["port", "service"],
    exactly_one_of: &[],
};

/// `[resources]`.
pub static RESOURCES: TableKeys = TableKeys {
    header: "[resources]",
    title: "What the VMM gives the guest",
    description: "Guest memory and virtual CPUs.",
    keys: &[
        Key { name: "memory", description: "Guest RAM with a binary unit (KiB, MiB, GiB), from 2MiB to 64GiB; the selected image may need more.", kind: Kind::Text { pattern: Some(patterns::MEMORY), format: None, examples: &["32MiB"] } },
        Key { name: "vcpus", description: "Virtual CPUs; SauceOS images run on one.", kind: Kind::Integer { minimum: 1, maximum: 1, default: Some(1) } },
    ],
    required: &[],
    exactly_one_of: &[],
};

/// `[build]`.
pub static BUILD: TableKeys = TableKeys {
    header: "[build]",
    title: "How the image is compiled",
    description: "Compiler settings.",
    keys: &[
    Key {
        name: "optimize",
        description: "What the compiler favours: the smallest image or the fastest code.",
        kind: Kind::Choice {
            options: &["size", "speed"],
            default: Some("size"),
        },
    },
    Key {
        name: "components",
        description: "Components to build in besides those the intent selects, by name: a component of the catalog, or of a folder on SAUCE_COMPONENT_PATH.",
        kind: Kind::ListOfText {
            pattern: patterns::COMPONENT_NAME,
            examples: &["vga-console"],
        },
    }],
    required: &[],
    exactly_one_of: &[],
};

/// `[target]`.
pub static TARGET: TableKeys = TableKeys {
    header: "[target]",
    title: "Where the image runs",
    description: "The virtual machine monitor and machine type.",
    keys: &[
        Key { name: "vmm", description: "The virtual machine monitor.", kind: Kind::Choice { options: &["qemu", "firecracker"], default: Some("qemu") } },
        Key { name: "machine", description: "QEMU's machine type (only with `vmm = \"qemu\"`): microvm (virtio-mmio) or q35 (PCI).", kind: Kind::Choice { options: &["microvm", "q35"], default: None } },
    ],
    required: &[],
    exactly_one_of: &[],
};

/// The whole document.
pub static DOCUMENT: TableKeys = TableKeys {
    header: "",
    title: "sauce.toml",
    description: "A SauceOS intent, version 1: what the unikernel image should be and do.",
    keys: &[
        Key {
            name: "app",
            description: "The app's name.",
            kind: Kind::Table(&APP),
        },
        Key {
            name: "http",
            description: "An HTTP service and its routes.",
            kind: Kind::Table(&HTTP),
        },
        Key {
            name: "tcp",
            description: "A TCP service that is not HTTP (the echo service).",
            kind: Kind::Table(&TCP),
        },
        Key {
            name: "database",
            description: "Databases the app's handlers use, each a `[[database]]` section.",
            kind: Kind::ListOfTables(&DATABASE),
        },
        Key {
            name: "network",
            description: "The guest's IPv4 address and gateway.",
            kind: Kind::Table(&NETWORK),
        },
        Key {
            name: "resources",
            description: "Guest memory and CPUs.",
            kind: Kind::Table(&RESOURCES),
        },
        Key {
            name: "build",
            description: "How the image is compiled.",
            kind: Kind::Table(&BUILD),
        },
        Key {
            name: "target",
            description: "Where the image runs.",
            kind: Kind::Table(&TARGET),
        },
    ],
    required: &["app"],
    exactly_one_of: &[],
};

/// Every key path the format accepts (`app.name`, `http.route.path`, …), depth first.
pub fn all_key_paths() -> Vec<String> {
    let mut paths = Vec::new();
    collect(&DOCUMENT, "", &mut paths);
    paths
}

fn collect(table: &TableKeys, prefix: &str, paths: &mut Vec<String>) {
    for key in table.keys {
        let path = if prefix.is_empty() {
            key.name.to_owned()
        } else {
            format!("{prefix}.{}", key.name)
        };
        paths.push(path.clone());
        if let Kind::Table(inner) | Kind::ListOfTables(inner) = key.kind {
            collect(inner, &path, paths);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths_cover_every_table() {
        let paths = all_key_paths();
        for expected in [
            "app.name",
            "http.route.path",
            "http.not_found.json",
            "target.machine",
            "resources.vcpus",
        ] {
            assert!(
                paths.iter().any(|path| path == expected),
                "{expected} in {paths:?}"
            );
        }
        assert_eq!(paths.len(), 65, "{paths:?}");
    }

    #[test]
    fn exactly_one_of_names_known_keys() {
        for table in [&ROUTE, &NOT_FOUND] {
            for name in table.exactly_one_of {
                assert!(table.key(name).is_some(), "{name}");
            }
        }
    }
}
