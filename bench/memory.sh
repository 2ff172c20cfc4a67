#!/usr/bin/env bash
# Peak memory as the corpus grows: evidence-index builds a fresh index of the first 1/8,
# 1/4, 1/2 and all of a corpus's PDFs (in path order, hard-linked into a temporary folder),
# and the peak resident memory of the indexer itself (its VmHWM, read while it runs) and of
# the whole run (GNU time: the largest of the indexer and its workers) is printed beside
# the corpus size; the reference is pdftotext's largest peak on any one file.
# Usage: bench/memory.sh CORPUS_DIR [BUILD_DIR]   (EVIDENCE_INDEX_ARGS: e.g. --no-ocr)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/measure.sh"
corpus="$(cd "${1:?usage: bench/memory.sh CORPUS_DIR [BUILD_DIR]}" && pwd)"
build="${2:-$root/build/release}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mapfile -d '' pdfs < <(find "$corpus" -name '.*' -prune -o -type f -iname '*.pdf' -print0 | sort -z)
total=${#pdfs[@]}
# The reference: the largest peak of pdftotext over any one file of the corpus.
reference=$(printf '%s\0' "${pdfs[@]}" | xargs -0 -P "$(nproc)" -I{} /usr/bin/time -f '%M' pdftotext -q {} /dev/null 2>&1 |
  grep -E '^[0-9]+$' | sort -n | tail -1)
echo "corpus: $corpus ($total PDFs); pdftotext's largest peak on one file: $((reference / 1024)) MiB"
printf '%8s %8s %8s %10s %18s %14s\n' "PDFs" "MiB" "pages" "wall s" "indexer peak MiB" "run peak MiB"
for fraction in 8 4 2 1; do
  count=$(( (total + fraction - 1) / fraction ))
  subset="$work/corpus-$count"
  [ -d "$subset" ] && continue  # a small corpus: two fractions of the same size
  mkdir -p "$subset"
  for ((i = 0; i < count; i++)); do
    pdf="${pdfs[i]}"
    target="$subset/$i-$(basename "$pdf")"
    ln "$pdf" "$target" 2>/dev/null || cp "$pdf" "$target"
  done
  megabytes=$(du -smL "$subset" | cut -f1)
  started=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/time" "$build/indexer/evidence-index" --progress never --json ${EVIDENCE_INDEX_ARGS:-} \
    --index "$work/index-$count" "$subset" > "$work/summary.json" &
  runner=$!
  hwm=$(indexer_peak "$runner")
  wait "$runner"
  wall=$(echo "$(date +%s.%N) - $started" | bc)
  pages=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages_in_index"])' "$work/summary.json")
  printf '%8s %8s %8s %10.1f %18s %14s\n' "$count" "$megabytes" "$pages" "$wall" "$((hwm / 1024))" \
    "$(( $(cat "$work/time") / 1024 ))"
  rm -rf "$work/index-$count"
done
