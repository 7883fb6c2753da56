#!/bin/bash
# Prints the loadable bytes (text + rodata + data, `size -t`) of the probe's object in the
# staticlib: without the client, with it, with it and RSA. Run from anywhere; uses
# CARGO_TARGET_DIR if set. The differences include core::fmt and alloc code an image carries
# anyway, so they are an upper bound on what the client adds.
set -euo pipefail
cd "$(dirname "$0")/../../.."
target="${CARGO_TARGET_DIR:-/tmp/sauce-size-mysql}"
measure() {
  CARGO_TARGET_DIR="$target" cargo build --quiet --release --target x86_64-unknown-none \
    --manifest-path components/mysql-client/size/Cargo.toml "$@"
  size -t "$target/x86_64-unknown-none/release/libsauce_mysql_size.a" | grep "sauce_mysql_size-" | awk '{print $4}'
}
baseline=$(measure)
client=$(measure --features client)
rsa=$(measure --features rsa)
echo "baseline probe: $baseline bytes"
echo "with the client (no RSA): $client bytes: the client adds $((client - baseline)) bytes"
echo "with the client and RSA: $rsa bytes: RSA adds $((rsa - client)) bytes more"
