#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build the `sauce` tool, then build
# examples/hello-http into a unikernel image and serve it from a QEMU microVM on
# 127.0.0.1:8080 (try `curl http://127.0.0.1:8080/` from another terminal; Ctrl-C stops it).
# Extra arguments go to `sauce run` (for example `--machine q35` or `--accel tcg`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
cargo build --release --quiet -p sauce-cli
exec target/release/sauce run examples/hello-http -p 8080:80 "$@"
