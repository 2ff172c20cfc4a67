#!/usr/bin/env bash
# Sets everything up, builds (warnings as errors) and runs every test.
# Usage: scripts/test.sh [ctest arguments, e.g. -L unit]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j"$(nproc)"
ctest --preset dev "$@"
