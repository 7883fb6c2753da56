#!/usr/bin/env bash
# QEMU with the instruction-counting plugin, for SAUCE_QEMU (see README.md). The counts go to
# $SAUCE_INSTRUCTIONS_FILE (default /tmp/sauce-instructions.txt).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec qemu-system-x86_64 \
    -plugin "$here/libinstructions.so,out=${SAUCE_INSTRUCTIONS_FILE:-/tmp/sauce-instructions.txt}" "$@"
