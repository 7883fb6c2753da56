#!/bin/bash
# Prints the bytes (text + rodata + data) of the probe crate's object in the staticlib, without
# and with the redis client; the difference is what the client adds (core::fmt included,
# which an image carries anyway). Run from anywhere; uses CARGO_TARGET_DIR if set.
set -euo pipefail
cd "$(dirname "$0")/../../.."
target="${CARGO_TARGET_DIR:-/tmp/sauce-size-redis}"
measure() {
  CARGO_TARGET_DIR="$target" cargo build --quiet --release --target x86_64-unknown-none \
    --manifest-path components/redis-client/size/Cargo.toml "$@"
  size -t "$target/x86_64-unknown-none/release/libsauce_redis_size.a" | grep "sauce_redis_size-" | awk '{print $4}'
}
without=$(measure)
with=$(measure --features client)
echo "probe without client: $without bytes; with: $with bytes; the client adds $((with - without)) bytes"
