#!/bin/sh
# Runs every fuzz target for RUNS runs (default 10 million), one after another, from
# components/mysql-client; prints libFuzzer's final line per target. Needs cargo-fuzz; the stable
# toolchain works with RUSTC_BOOTSTRAP=1 (libFuzzer needs `-Zsanitizer`).
set -eu
cd "$(dirname "$0")/.."
RUNS="${RUNS:-10000000}"
TARGET_DIR="${CARGO_TARGET_DIR:-fuzz/target}"
for target in framing handshake responses column_definition text_row binary_row text_values public_key connection; do
    mkdir -p "fuzz/corpus/$target"
    seeds=""
    [ -d "fuzz/seeds/$target" ] && seeds="fuzz/seeds/$target"
    started=$(date +%s)
    RUSTC_BOOTSTRAP=1 cargo fuzz run -O --target-dir "$TARGET_DIR" "$target" "fuzz/corpus/$target" $seeds -- \
        -runs="$RUNS" -print_final_stats=1 > "fuzz/corpus/$target.log" 2>&1 || {
        echo "$target: FAILED (see fuzz/corpus/$target.log)"; exit 1; }
    finished=$(date +%s)
    echo "$target: $(grep -E '^Done [0-9]+ runs' "fuzz/corpus/$target.log" | tail -1) ($((finished - started)) s wall)"
done
