#!/usr/bin/env bash
# Sets everything up, builds (warnings as errors) and runs every test.
# Usage: scripts/test.sh [--sanitizers] [ctest arguments, e.g. -L unit]
#   --sanitizers  also build and run the whole suite under ASan + UBSan (CI does this)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

presets=(dev)
if [ "${1:-}" = "--sanitizers" ]; then
  presets+=(asan)
  shift
fi

scripts/setup.sh
for preset in "${presets[@]}"; do
  echo "== $preset build and tests"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j"$(nproc)"
  ctest --preset "$preset" "$@"
done
