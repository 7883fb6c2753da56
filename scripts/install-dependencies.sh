#!/usr/bin/env bash
# Installs what SauceOS needs that a fresh machine may lack: QEMU (Debian/Ubuntu package
# qemu-system-x86) and the Rust toolchain pinned in rust-toolchain.toml with its
# x86_64-unknown-none target. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'sauce setup: %s\n' "$*"; }

if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1; then
        say "QEMU is missing and this is not a Debian-like system: install qemu-system-x86_64 with your package manager."
        exit 2
    fi
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    say "installing QEMU (qemu-system-x86)…"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends qemu-system-x86 >/dev/null
fi

if ! command -v rustup >/dev/null 2>&1; then
    say "rustup is missing: install it from https://rustup.rs, then run this again."
    exit 2
fi
toolchain=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup target list --installed --toolchain "$toolchain" 2>/dev/null | grep -qx x86_64-unknown-none; then
    say "installing Rust $toolchain with the x86_64-unknown-none target…"
    rustup toolchain install "$toolchain" --profile minimal --component clippy,rustfmt >/dev/null
    rustup target add x86_64-unknown-none --toolchain "$toolchain" >/dev/null
fi
say "ready: $(qemu-system-x86_64 --version | head -n 1); Rust $toolchain with x86_64-unknown-none"
