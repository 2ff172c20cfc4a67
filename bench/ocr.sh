#!/usr/bin/env bash
# OCR benchmark: what OCR on costs where there is nothing to read, and that scans are read.
# 1. A generated PDF of PAGES pages (default 5000), each one short line of real text
#    ("Visit N logged." and the page number: fewer than 20 letters and digits) and no image:
#    evidence-index with OCR on beside --no-ocr, each on a fresh index.
# 2. The sample corpus with its meeting minutes added again as a scan (evidence-make-pdf
#    --scanned: every page a 300 dpi image, no text layer), OCR on beside --no-ocr: the
#    scanned pages are read by OCR, and what that costs.
# 3. What each step of the decision costs a page (evidence-bench-scan): the text layer, the
#    images' coverage, renders at 10, 72 and 300 dpi.
# 4. With CORPUS=DIR, a folder of real PDFs (bench/debian-corpus.sh makes one without
#    scans): OCR on beside --no-ocr.
# Usage: bench/ocr.sh [BUILD_DIR]   (BUILD_DIR defaults to build/release; PAGES=N, CORPUS=DIR)
# BASELINE=OTHER_BUILD_DIR also indexes the short pages with OCR on with that build's
# evidence-index (an older commit's release build), for a before and after.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build/release}"
indexer="$build/indexer/evidence-index"
make_pdf="$build/tools/evidence-make-pdf"
[ -x "$indexer" ] && [ -x "$make_pdf" ] && [ -x "$build/bench/evidence-bench-scan" ] || {
  echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: run scripts/setup.sh" >&2; exit 1; }
pages="${PAGES:-5000}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$root/bench/measure.sh"
summary() {  # summary FILE: what the run's JSON summary says about OCR
  python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
print("%d pages extracted, %d read by OCR, %d without text, %d scans skipped at the bound" % (
    s["pages_extracted"], s["pages_ocr"], s["pages_without_text"], s["pages_ocr_skipped"]))' "$1"
}
index() {  # index NAME CORPUS [FLAGS...]: a fresh index, the summary kept as NAME.json
  local name="$1" corpus="$2"; shift 2
  measure "$name" "${binary:-$indexer}" "$@" --json --progress never --index "$work/index" "$corpus"
  local file="${name,,}"
  cp "$work/out" "$work/${file//[^a-z]/_}.json"
  rm -rf "$work/index"
}

# The same source always renders the same PDF (fixed creation time).
mkdir -p "$work/short"
{
  echo "@title Visit log"
  echo "@footer"
  for ((n = 1; n <= pages; n++)); do
    [ "$n" -gt 1 ] && echo "@page"
    echo "Visit $n logged."
  done
} > "$work/short.txt"
SOURCE_DATE_EPOCH=1700000000 "$make_pdf" "$work/short.txt" "$work/short/visits.pdf"
echo "short text pages: $pages pages, $(du -k "$work/short/visits.pdf" | cut -f1) KiB, $(nproc) cores"
printf '%-34s %9s %9s %9s\n' "" "wall s" "CPU s" "peak MiB"
index "short pages, OCR on" "$work/short"
index "short pages, --no-ocr" "$work/short" --no-ocr
printf 'OCR on / --no-ocr: %.2fx wall, %.2fx CPU\n' \
  "$(echo "$short_pages__ocr_on_wall / $short_pages____no_ocr_wall" | bc -l)" \
  "$(echo "$short_pages__ocr_on_cpu / $short_pages____no_ocr_cpu" | bc -l)"
echo "OCR on: $(summary "$work/short_pages__ocr_on.json")"
if [ -n "${BASELINE:-}" ]; then
  binary="$BASELINE/indexer/evidence-index" index "short pages, OCR on, baseline" "$work/short"
  # The baseline's summary may not know the bound yet.
  python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
print("baseline OCR on: %d pages extracted, %d read by OCR, %d without text" % (
    s["pages_extracted"], s["pages_ocr"], s["pages_without_text"]))' "$work/short_pages__ocr_on__baseline.json"
fi

minutes=anti-trafficking-practitioners-forum/minutes-2024-03-coordination-meeting
cp -r "$root/corpus/sample" "$work/sample"
SOURCE_DATE_EPOCH=1700000000 "$make_pdf" --scanned "$root/corpus/sources/$minutes.txt" \
  "$work/sample/$(dirname "$minutes")/scanned-minutes.pdf"
echo
echo "sample corpus and its minutes as a scan ($(find "$work/sample" -name '*.pdf' | wc -l) PDFs)"
printf '%-34s %9s %9s %9s\n' "" "wall s" "CPU s" "peak MiB"
index "sample and scan, OCR on" "$work/sample"
index "sample and scan, --no-ocr" "$work/sample" --no-ocr
echo "OCR on:   $(summary "$work/sample_and_scan__ocr_on.json")"
echo "--no-ocr: $(summary "$work/sample_and_scan____no_ocr.json")"

# What each step of the decision costs a page, on a short text page and on a scan.
echo
"$build/bench/evidence-bench-scan" "$work/short/visits.pdf" \
  "$work/sample/$(dirname "$minutes")/scanned-minutes.pdf" "$work/sample/$minutes.pdf"

if [ -n "${CORPUS:-}" ]; then
  echo
  echo "real PDFs: $CORPUS ($(find "$CORPUS" -name '*.pdf' | wc -l) PDFs, $(du -sm "$CORPUS" | cut -f1) MiB)"
  printf '%-34s %9s %9s %9s\n' "" "wall s" "CPU s" "peak MiB"
  index "real PDFs, OCR on" "$CORPUS"
  index "real PDFs, --no-ocr" "$CORPUS" --no-ocr
  printf 'OCR on / --no-ocr: %.2fx wall, %.2fx CPU\n' \
    "$(echo "$real_pdfs__ocr_on_wall / $real_pdfs____no_ocr_wall" | bc -l)" \
    "$(echo "$real_pdfs__ocr_on_cpu / $real_pdfs____no_ocr_cpu" | bc -l)"
  echo "OCR on:   $(summary "$work/real_pdfs__ocr_on.json")"
  echo "--no-ocr: $(summary "$work/real_pdfs____no_ocr.json")"
fi
