#!/usr/bin/env bash
# Indexing benchmark: pdftotext (the cost of text extraction itself, sequential and on
# all cores) beside evidence-index (full build, unchanged re-run, and a full build with no
# PDF read in parts), Xapian's omindex
# (xapian-omega) and Recoll's recollindex (recollcmd) on the same files, in one run.
# Usage: bench/index.sh CORPUS_DIR [BUILD_DIR]   (BUILD_DIR defaults to build/release)
# EVIDENCE_INDEX_ARGS: extra flags for evidence-index, e.g. "--no-ocr" to compare like with
# like (none of the others reads pages without a text layer).
# omindex and recollindex are measured when installed (apt-get install xapian-omega recollcmd).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$(cd "${1:?usage: bench/index.sh CORPUS_DIR [BUILD_DIR]}" && pwd)"
build="${2:-$root/build/release}"
indexer="$build/indexer/evidence-index"
[ -x "$indexer" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 1; }
command -v pdftotext >/dev/null || { echo "pdftotext missing: run scripts/setup.sh" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: run scripts/setup.sh" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cores="$(nproc)"
find "$corpus" -type f -iname '*.pdf' -print0 | sort -z > "$work/files"
files=$(tr -cd '\0' < "$work/files" | wc -c)
bytes=$(du -cb --files0-from="$work/files" | tail -1 | cut -f1)

source "$root/bench/measure.sh"

echo "corpus: $corpus ($files PDFs, $((bytes / 1048576)) MiB), $cores cores"
printf '%-34s %9s %9s %9s\n' "" "wall s" "CPU s" "peak MiB"
measure "pdftotext sequential" xargs -0 -a "$work/files" -n 1 sh -c 'pdftotext -q "$0" /dev/null || true'
measure "pdftotext parallel" xargs -0 -a "$work/files" -n 1 -P "$cores" sh -c 'pdftotext -q "$0" /dev/null || true'
read -r -a extra <<< "${EVIDENCE_INDEX_ARGS:-}"
measure "evidence-index full build" "$indexer" "${extra[@]}" --json --progress never --index "$work/index" "$corpus"
cp "$work/out" "$work/summary.json"
measure "evidence-index unchanged re-run" "$indexer" "${extra[@]}" --json --progress never --index "$work/index" "$corpus"
# The same build with every PDF read whole by one worker: what reading long PDFs in parts gains.
measure "evidence-index --split-pages 0" "$indexer" "${extra[@]}" --split-pages 0 --json --progress never \
  --index "$work/index-whole" "$corpus"
rm -rf "$work/index-whole"

# The peers, each with a fresh index of its own; documents counted in their Xapian databases.
doc_count() { xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'; }
# Recoll also keeps a document per folder: count its PDFs.
recoll_pdfs() { recollq -c "$work/recoll" -b -n 0-10000000 'mime:application/pdf' 2>/dev/null | wc -l; }
peers=()
if command -v omindex >/dev/null; then
  # PDFs only, as the others see them; omindex extracts with pdftotext, one file at a time.
  measure "omindex full build" omindex --db "$work/omega" --url / -M pdf:application/pdf "$corpus"
  measure "omindex unchanged re-run" omindex --db "$work/omega" --url / -M pdf:application/pdf "$corpus"
  peers+=("omindex:$work/omega:$omindex_full_build_wall")
fi
if command -v recollindex >/dev/null; then
  mkdir -p "$work/recoll"
  printf 'topdirs = %s\nindexedmimetypes = application/pdf\nloglevel = 1\n' "$corpus" > "$work/recoll/recoll.conf"
  measure "recollindex full build" recollindex -c "$work/recoll" -z
  measure "recollindex unchanged re-run" recollindex -c "$work/recoll"
  peers+=("recollindex:$work/recoll/xapiandb:$recollindex_full_build_wall:recoll_pdfs")
fi

pages=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages_extracted"])' "$work/summary.json")
failed=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["failed"]))' "$work/summary.json")
echo
echo "pages extracted: $pages ($failed files failed; see the summary with --json)"
printf 'pages per second (full build): %.0f\n' "$(echo "$pages / $evidence_index_full_build_wall" | bc -l)"
printf 'full build / parallel pdftotext: %.2fx wall, %.2fx CPU\n' \
  "$(echo "$evidence_index_full_build_wall / $pdftotext_parallel_wall" | bc -l)" \
  "$(echo "$evidence_index_full_build_cpu / $pdftotext_parallel_cpu" | bc -l)"
split=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["documents_split"])' "$work/summary.json")
printf 'long PDFs read in parts: %s; full build with --split-pages 0 / full build: %.2fx\n' "$split" \
  "$(echo "$evidence_index___split_pages___wall / $evidence_index_full_build_wall" | bc -l)"
# The index as the full build leaves it: compacted at its end (the build's wall time above
# includes that); the summary gives its size before, the free space between commits.
index_kib=$(du -sk "$work/index" | cut -f1)
before=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["compaction"]; print("%.0fM" % (c["bytes_before"]/1048576) if c else "not compacted")' "$work/summary.json")
echo "index size: $(du -sh "$work/index" | cut -f1) as built (compacted by the build; before compaction: $before)"
documents=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["documents_in_index"])' "$work/summary.json")
echo "evidence-index: $documents documents (each PDF one document record, beside its page records)"
for peer in "${peers[@]}"; do
  IFS=: read -r name db wall counter <<< "$peer"
  count=$(if [ -n "$counter" ]; then "$counter"; else doc_count "$db"; fi)
  printf '%s: %s PDFs indexed, index size %s (evidence-index: %.2fx), full build / evidence-index: %.2fx\n' \
    "$name" "$count" "$(du -sh "$db" | cut -f1)" "$(echo "$index_kib / $(du -sk "$db" | cut -f1)" | bc -l)" \
    "$(echo "$wall / $evidence_index_full_build_wall" | bc -l)"
done
