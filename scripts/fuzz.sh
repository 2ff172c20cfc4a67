#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer + ASan + UBSan, the fuzz preset) and runs
# each for SECONDS (default 60), one after the other. Prints per target the executions,
# executions per second, new corpus entries and any crash, leak or timeout file.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# New corpus entries go to build/fuzz/corpus/<target>/ (not committed; copy an input that
# matters into tests/fuzz/corpus/<target>/ by hand), findings to build/fuzz/findings/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

seconds="${1:-60}"
shift $(( $# > 0 ? 1 : 0 ))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_request_target fuzz_query fuzz_metadata fuzz_thesaurus fuzz_multipart fuzz_shard_set fuzz_pdf)

scripts/setup.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"${FUZZ_JOBS:-1}" --target "${targets[@]}" >/dev/null

# libFuzzer ends without running static destructors, so fuzz_query's temporary index
# would stay behind in /tmp: keep such leftovers in the build tree instead.
export TMPDIR="$root/build/fuzz/tmp"
rm -rf "$TMPDIR"
mkdir -p "$TMPDIR"

status=0
printf '%-22s %12s %10s %12s  %s\n' target executions exec/s new-entries findings
for target in "${targets[@]}"; do
  work="build/fuzz/corpus/$target"
  findings="build/fuzz/findings/$target"
  log="build/fuzz/$target.log"
  mkdir -p "$work" "$findings"
  before=$(ls "$findings")
  # New inputs are written to the first directory; the seeds are only read.
  failed=0
  "build/fuzz/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$work" "tests/fuzz/corpus/$target" >"$log" 2>&1 || failed=1
  figure() { sed -n "s/^stat::$1: *//p" "$log" | tail -n1; }
  found=$(comm -13 <(echo "$before") <(ls "$findings") | sed "s|^|$findings/|" | tr '\n' ' ')
  printf '%-22s %12s %10s %12s  %s\n' "$target" "$(figure number_of_executed_units)" \
    "$(figure average_exec_per_sec)" "$(figure new_units_added)" "${found:-none}"
  if [ $failed = 1 ]; then
    status=1
    # What failed, where CI's output shows it: the property or sanitizer report.
    grep -m1 -E "fuzz property failed|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error" "$log" >&2 || tail -n 20 "$log" >&2
  fi
done
[ $status -eq 0 ] || echo "fuzz.sh: a target failed; see build/fuzz/<target>.log and the findings" >&2
exit $status
