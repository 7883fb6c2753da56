//! Which environment variables a nested `cargo build` must not inherit.
//!
//! `sauce` may itself run under cargo (`cargo run`, `cargo test`), whose variables would
//! override the source tree's `rust-toolchain.toml` and `.cargo/config.toml`: the toolchain
//! choice, rustc wrappers, a build target, and above all RUSTFLAGS, which replace the target
//! rustflags that carry the kernel's linker flags.

use std::process::Command;

/// Variables removed by name.
const REMOVED: [&str; 27] = [
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO_TARGET_X86_64_UNKNOWN_NONE_RUSTFLAGS",
    "CARGO_TARGET_X86_64_UNKNOWN_NONE_LINKER",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET_DIR",
    "CARGO_BUILD_TARGET",
    "RUSTC",
    "RUSTDOC",
    "RUSTC_WRAPPER",
    "RUSTC_WORKSPACE_WRAPPER",
    "CARGO_BUILD_RUSTC",
    "CARGO_BUILD_RUSTC_WRAPPER",
    "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER",
    "CARGO",
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
    "CARGO_RUSTC_CURRENT_DIR",
    "OUT_DIR",
    "CARGO_MAKEFLAGS",
    "MAKEFLAGS",
    "MFLAGS",
    // Set by rustup's proxy around the outer cargo; it would win over rust-toolchain.toml.
    "RUSTUP_TOOLCHAIN",
    "RUSTUP_TOOLCHAIN_SOURCE",
];

/// Prefixes of variables cargo sets for the crate it is compiling or testing.
const REMOVED_PREFIXES: [&str; 5] = [
    "CARGO_PKG_",
    "CARGO_BIN_EXE_",
    "CARGO_CRATE_",
    "CARGO_CFG_",
    "DEP_",
];

/// Whether the variable `name` must not reach a nested cargo.
pub fn is_removed(name: &str) -> bool {
    REMOVED.contains(&name)
        || REMOVED_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
}

/// Removes from `command` every variable of this process that [`is_removed`].
pub fn clean(command: &mut Command) {
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(is_removed) {
            command.env_remove(&name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_flags_wrappers_and_outer_cargo_variables() {
        for name in [
            "RUSTFLAGS",
            "CARGO_ENCODED_RUSTFLAGS",
            "RUSTC_WRAPPER",
            "RUSTUP_TOOLCHAIN",
        ] {
            assert!(is_removed(name), "{name}");
        }
        for name in [
            "CARGO_PKG_NAME",
            "CARGO_BIN_EXE_sauce",
            "CARGO_MANIFEST_DIR",
            "CARGO",
        ] {
            assert!(is_removed(name), "{name}");
        }
    }

    #[test]
    fn keeps_what_cargo_needs() {
        for name in [
            "PATH",
            "HOME",
            "CARGO_HOME",
            "RUSTUP_HOME",
            "CARGO_NET_OFFLINE",
            "TERM",
        ] {
            assert!(!is_removed(name), "{name}");
        }
    }
}
