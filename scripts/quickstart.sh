#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build the `sauce` tool, then build
# the hello example into a unikernel image and boot it in a QEMU microVM.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
cargo build --release --quiet -p sauce-cli
exec target/release/sauce run examples/hello "$@"
