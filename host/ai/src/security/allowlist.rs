//! The crates a generated project may depend on, shipped with sauce: each no_std-capable, widely
//! used, with no build script of consequence, and how it must be declared for a no_std image.

/// One crate a generated project may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllowedCrate {
    /// The crate's name on crates.io.
    pub name: &'static str,
    /// Its default features pull in `std`, so `default-features = false` is required.
    pub default_features_off: bool,
    /// Features that need `std` and cannot be enabled.
    pub forbidden_features: &'static [&'static str],
    /// How to declare it, for messages.
    pub example: &'static str,
    /// One of SauceOS's own crates: supplied by sauce, so a `path` or `git` source is
    /// acceptable.
    pub sauce_own: bool,
}

const fn registry(
    name: &'static str,
    default_features_off: bool,
    forbidden_features: &'static [&'static str],
    example: &'static str,
) -> AllowedCrate {
    AllowedCrate {
        name,
        default_features_off,
        forbidden_features,
        example,
        sauce_own: false,
    }
}

/// The allowlist.
pub const ALLOWED_CRATES: &[AllowedCrate] = &[
    AllowedCrate {
        name: "sauce-app",
        default_features_off: false,
        forbidden_features: &["std"],
        example: "sauce-app = \"0.1\"",
        sauce_own: true,
    },
    registry(
        "serde",
        true,
        &["std"],
        "serde = { version = \"1\", default-features = false, features = [\"derive\", \"alloc\"] }",
    ),
    registry(
        "serde_json",
        true,
        &["std"],
        "serde_json = { version = \"1\", default-features = false, features = [\"alloc\"] }",
    ),
    registry("heapless", false, &[], "heapless = \"0.8\""),
    registry("libm", false, &[], "libm = \"0.2\""),
    registry("hashbrown", false, &[], "hashbrown = \"0.15\""),
    registry("itoa", false, &[], "itoa = \"1\""),
    registry("ryu", false, &[], "ryu = \"1\""),
    registry(
        "base64",
        true,
        &["std"],
        "base64 = { version = \"0.22\", default-features = false, features = [\"alloc\"] }",
    ),
    registry(
        "hex",
        true,
        &["std"],
        "hex = { version = \"0.4\", default-features = false, features = [\"alloc\"] }",
    ),
    registry(
        "sha2",
        true,
        &["std"],
        "sha2 = { version = \"0.10\", default-features = false }",
    ),
    registry(
        "hmac",
        true,
        &["std"],
        "hmac = { version = \"0.12\", default-features = false }",
    ),
    registry(
        "subtle",
        true,
        &["std"],
        "subtle = { version = \"2\", default-features = false }",
    ),
    registry(
        "crc32fast",
        true,
        &["std"],
        "crc32fast = { version = \"1\", default-features = false }",
    ),
    registry(
        "arrayvec",
        true,
        &["std"],
        "arrayvec = { version = \"0.7\", default-features = false }",
    ),
    registry("bitflags", false, &["std"], "bitflags = \"2\""),
];

/// The only procedural-macro crates a project may pull in (through `serde`'s `derive` feature).
pub const ALLOWED_PROC_MACROS: &[&str] = &["serde_derive"];

/// The allowlist entry for `name`.
pub fn allowed_crate(name: &str) -> Option<&'static AllowedCrate> {
    ALLOWED_CRATES.iter().find(|allowed| allowed.name == name)
}

/// The allowlisted names, for messages and prompts.
pub fn allowed_names() -> Vec<&'static str> {
    ALLOWED_CRATES.iter().map(|allowed| allowed.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_a_matching_example() {
        for allowed in ALLOWED_CRATES {
            assert!(
                allowed.example.starts_with(allowed.name),
                "{}",
                allowed.name
            );
            assert_eq!(
                allowed.example.contains("default-features = false"),
                allowed.default_features_off,
                "{}",
                allowed.name
            );
            let parsed: toml::Table = toml::from_str(allowed.example).unwrap();
            assert!(parsed.contains_key(allowed.name));
        }
        assert_eq!(
            allowed_crate("serde").map(|allowed| allowed.sauce_own),
            Some(false)
        );
        assert!(allowed_crate("tokio").is_none());
    }
}
