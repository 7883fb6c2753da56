#!/bin/bash
# Prints the bytes (text + rodata + data) of the probe crate's object in the staticlib, without
# and with the postgres client; the difference is what the client adds (core::fmt included,
# which an image carries anyway). Run from anywhere; uses CARGO_TARGET_DIR if set.
set -euo pipefail
cd "$(dirname "$0")/../../.."
target="${CARGO_TARGET_DIR:-/tmp/sauce-size-postgres}"
measure() {
  CARGO_TARGET_DIR="$target" cargo build --quiet --release --target x86_64-unknown-none \
    --manifest-path components/postgres-client/size/Cargo.toml "$@"
  size -t "$target/x86_64-unknown-none/release/libsauce_postgres_size.a" | grep "sauce_postgres_size-" | awk '{print $4}'
}
without=$(measure)
with=$(measure --features client)
echo "probe without client: $without bytes; with: $with bytes; the client adds $((with - without)) bytes"
