#!/usr/bin/env bash
# Installs what SauceOS needs that a fresh machine may lack: QEMU (Debian/Ubuntu package
# qemu-system-x86), wrk, iproute2 and curl for the tests over a TAP device, the servers the database
# clients' tests start privately (postgresql, redis-server, mariadb-server), and the Rust
# toolchain pinned in rust-toolchain.toml with its x86_64-unknown-none target. Safe to run
# again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'sauce setup: %s\n' "$*"; }

# Debian packages, each installed only when its command is missing: QEMU runs the images; wrk
# and iproute2 (`ip`) drive the hostile-client tests and the benchmarks over a TAP device; curl
# asks a guest over a TAP from inside the test's namespace (host/cli/tests/outbound_tap.rs);
# the database clients' tests (tests/database-servers) run their own postgres, redis-server and
# mariadbd as unprivileged processes, never the system services these packages install.
missing=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v curl >/dev/null 2>&1 || missing+=(curl)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
if [ ${#missing[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        say "missing: ${missing[*]}, and this is not a Debian-like system: install them with your package manager."
        exit 2
    fi
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    say "installing ${missing[*]}…"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
