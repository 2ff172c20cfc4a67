#!/usr/bin/env bash
# Sets everything up, builds (warnings as errors) and runs every test.
# Usage: scripts/test.sh [--sanitizers] [ctest arguments, e.g. -L unit]
#   --sanitizers  also build and run the whole suite under ASan + UBSan, the server's
#                 tests under TSan, and each fuzz target for 15 seconds under libFuzzer
#                 (scripts/fuzz.sh; a finding fails the run). CI does this.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

presets=(dev)
sanitizers=0
if [ "${1:-}" = "--sanitizers" ]; then
  presets+=(asan)
  sanitizers=1
  shift
fi

scripts/setup.sh
# CI's machine can run every test (root, a high open-file limit, Tesseract): a test that
# would skip there fails instead (tests/support/skip.hpp).
if [ "${CI:-}" = true ]; then export EVIDENCE_REQUIRE_ALL_TESTS=1; fi
for preset in "${presets[@]}"; do
  echo "== $preset build and tests"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j"$(nproc)"
  ctest --preset "$preset" "$@"
done

if [ "$sanitizers" = 1 ]; then
  # The tests where threads meet: the server's I/O threads, its writer thread, the
  # indexer's writer thread, and shards that fail while requests run on them.
  server_tests=(server_test server_load_test upload_test shards_test)
  echo "== tsan build and the server's tests"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j"$(nproc)" --target evidence-server evidence-index "${server_tests[@]}"
  ctest --preset tsan -R "^($(IFS='|'; echo "${server_tests[*]}"))(\\..*)?\$" "$@"

  # The seeds replayed above reach each property; a short libFuzzer run per target looks
  # past them. A finding fails the run and stays in build/fuzz/findings/ (README, Fuzzing).
  echo "== fuzz build and runs: FUZZ_JOBS=2 scripts/fuzz.sh 15 (every target, 15 s each)"
  FUZZ_JOBS=2 scripts/fuzz.sh 15
fi
