//! Crates sauce knows about: which build without `std` and how they must be declared, which
//! never can and what to use instead. Facts from each crate's `[features]` and crate root.

/// How a known crate fares in an image (no operating system, no `std`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// Builds without `std` when declared like `example`.
    Usable {
        /// Its default features include `std`: `default-features = false` is required.
        without_defaults: bool,
        /// Features it cannot build without once `std` is off (`alloc` for serde_json).
        required: &'static [&'static str],
        /// Features that bring `std` or an operating system back.
        forbidden: &'static [&'static str],
        /// How to declare it.
        example: &'static str,
    },
    /// Supplied by sauce from its own sources (`sauce-app`, a database client).
    Sauce {
        /// Features for the host only (`std`: the test client, in `[dev-dependencies]`).
        forbidden: &'static [&'static str],
    },
    /// Needs an operating system: never in an image.
    Never {
        /// Why, and what to use instead.
        why: &'static str,
    },
}

/// A crate and how it fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownCrate {
    /// Its name on crates.io.
    pub name: &'static str,
    /// How it fits.
    pub fit: Fit,
}

const fn as_is(
    name: &'static str,
    forbidden: &'static [&'static str],
    example: &'static str,
) -> KnownCrate {
    KnownCrate {
        name,
        fit: Fit::Usable {
            without_defaults: false,
            required: &[],
            forbidden,
            example,
        },
    }
}

const fn without_defaults(
    name: &'static str,
    required: &'static [&'static str],
    forbidden: &'static [&'static str],
    example: &'static str,
) -> KnownCrate {
    KnownCrate {
        name,
        fit: Fit::Usable {
            without_defaults: true,
            required,
            forbidden,
            example,
        },
    }
}

const fn never(name: &'static str, why: &'static str) -> KnownCrate {
    KnownCrate {
        name,
        fit: Fit::Never { why },
    }
}

const STD: &[&str] = &["std"];
const SERVER: &str = "it is a server with its own runtime over the operating system's sockets; in SauceOS the image is the server: write `async fn` handlers and name them in sauce.toml";
const THREADS: &str =
    "it runs work on operating-system threads; a SauceOS image has one executor and no threads";

/// The crates sauce knows, by name.
pub const KNOWN_CRATES: &[KnownCrate] = &[
    KnownCrate { name: "sauce-app", fit: Fit::Sauce { forbidden: STD } },
    KnownCrate { name: "sauce-postgres", fit: Fit::Sauce { forbidden: STD } },
    KnownCrate { name: "sauce-redis", fit: Fit::Sauce { forbidden: STD } },
    KnownCrate { name: "sauce-mysql", fit: Fit::Sauce { forbidden: STD } },
    without_defaults("serde", &[], STD, "serde = { version = \"1\", default-features = false, features = [\"alloc\", \"derive\"] }"),
    without_defaults("serde_json", &["alloc"], STD, "serde_json = { version = \"1\", default-features = false, features = [\"alloc\"] }"),
    without_defaults("base64", &[], STD, "base64 = { version = \"0.22\", default-features = false, features = [\"alloc\"] }"),
    without_defaults("hex", &[], STD, "hex = { version = \"0.4\", default-features = false, features = [\"alloc\"] }"),
    without_defaults("sha2", &[], STD, "sha2 = { version = \"0.10\", default-features = false }"),
    without_defaults("hmac", &[], STD, "hmac = { version = \"0.12\", default-features = false }"),
    without_defaults("subtle", &[], STD, "subtle = { version = \"2\", default-features = false }"),
    without_defaults("crc32fast", &[], STD, "crc32fast = { version = \"1\", default-features = false }"),
    without_defaults("arrayvec", &[], STD, "arrayvec = { version = \"0.7\", default-features = false }"),
    without_defaults("memchr", &[], STD, "memchr = { version = \"2\", default-features = false, features = [\"alloc\"] }"),
    without_defaults("bytes", &[], STD, "bytes = { version = \"1\", default-features = false }"),
    without_defaults("indexmap", &[], STD, "indexmap = { version = \"2\", default-features = false }"),
    without_defaults("fnv", &[], STD, "fnv = { version = \"1\", default-features = false }"),
    without_defaults("anyhow", &[], STD, "anyhow = { version = \"1\", default-features = false }"),
    without_defaults("thiserror", &[], STD, "thiserror = { version = \"2\", default-features = false }"),
    without_defaults("num-traits", &[], STD, "num-traits = { version = \"0.2\", default-features = false, features = [\"libm\"] }"),
    without_defaults("byteorder", &[], STD, "byteorder = { version = \"1\", default-features = false }"),
    without_defaults("percent-encoding", &[], STD, "percent-encoding = { version = \"2\", default-features = false, features = [\"alloc\"] }"),
    without_defaults("httparse", &[], STD, "httparse = { version = \"1\", default-features = false }"),
    without_defaults("once_cell", &[], STD, "once_cell = { version = \"1\", default-features = false, features = [\"alloc\"] }"),
    without_defaults("chrono", &[], &["std", "clock", "now", "wasmbind"], "chrono = { version = \"0.4\", default-features = false, features = [\"alloc\"] }"),
    without_defaults("rand", &[], &["std", "thread_rng", "os_rng", "sys_rng", "getrandom"], "rand = { version = \"0.9\", default-features = false, features = [\"small_rng\"] }"),
    as_is("heapless", &[], "heapless = \"0.8\""),
    as_is("libm", &[], "libm = \"0.2\""),
    as_is("hashbrown", &[], "hashbrown = \"0.15\""),
    as_is("itoa", &[], "itoa = \"1\""),
    as_is("ryu", &[], "ryu = \"1\""),
    as_is("bitflags", STD, "bitflags = \"2\""),
    as_is("log", STD, "log = \"0.4\""),
    as_is("smallvec", &["std", "write"], "smallvec = \"1\""),
    as_is("postcard", &["use-std"], "postcard = { version = \"1\", features = [\"alloc\"] }"),
    as_is("spin", STD, "spin = \"0.10\""),
    as_is("rand_core", &["std", "getrandom", "os_rng"], "rand_core = \"0.6\""),
    never("std", "it is the standard library itself, which needs an operating system"),
    never("tokio", "it is an async runtime over operating-system threads and I/O; sauce-app's executor runs handlers, tasks and timers"),
    never("async-std", "it is an async runtime over operating-system threads and I/O; sauce-app's executor runs handlers, tasks and timers"),
    never("hyper", SERVER),
    never("axum", SERVER),
    never("actix-web", SERVER),
    never("warp", SERVER),
    never("rocket", SERVER),
    never("reqwest", "it makes HTTP requests over the operating system's sockets and TLS; an image has no operating system"),
    never("getrandom", "it asks the operating system for random bytes; use `sauce_app::random_bytes` (seeded at every boot)"),
    never("rayon", THREADS),
    never("crossbeam", THREADS),
    never("libc", "it binds the C library of an operating system; a SauceOS image has none"),
    never("nix", "it wraps Unix system calls; a SauceOS image has no Unix underneath"),
    never("openssl", "it links OpenSSL, a C library built for an operating system"),
    never("regex", "it stops its own build without `std`; regex-automata builds without it (`default-features = false`, features `alloc`, `syntax`)"),
];

/// What sauce knows of `name`.
pub fn known(name: &str) -> Option<&'static KnownCrate> {
    KNOWN_CRATES.iter().find(|known| known.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_crate_is_listed_once_and_examples_name_it() {
        for (index, entry) in KNOWN_CRATES.iter().enumerate() {
            assert!(
                KNOWN_CRATES[index + 1..]
                    .iter()
                    .all(|other| other.name != entry.name),
                "{} is listed twice",
                entry.name
            );
            if let Fit::Usable {
                example,
                without_defaults,
                required,
                ..
            } = entry.fit
            {
                assert!(
                    example.starts_with(&format!("{} = ", entry.name)),
                    "{example}"
                );
                assert_eq!(
                    example.contains("default-features = false"),
                    without_defaults,
                    "{example}"
                );
                for feature in required {
                    assert!(example.contains(&format!("\"{feature}\"")), "{example}");
                }
            }
        }
    }
}
