#!/usr/bin/env bash
# Which Poppler API is fastest for page text? CPU time of poppler-cpp's page::text() and
# of the core API evidence-index uses, on the same files, beside pdftotext.
# Usage: bench/poppler-apis.sh CORPUS_DIR [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:?usage: bench/poppler-apis.sh CORPUS_DIR [BUILD_DIR]}"
build="${2:-$root/build/release}"
tool="$build/bench/evidence-bench-poppler"
[ -x "$tool" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 1; }
mapfile -d '' files < <(find "$corpus" -type f -iname '*.pdf' -print0 | sort -z)
echo "${#files[@]} PDFs"
printf '%-36s %9s %8s %12s\n' "API" "CPU s" "pages" "characters"
/usr/bin/time -f "%U %S" -o /tmp/poppler-apis.$$ sh -c 'for f in "$@"; do pdftotext -q "$f" /dev/null || true; done' sh "${files[@]}"
read -r user sys < /tmp/poppler-apis.$$; rm -f /tmp/poppler-apis.$$
printf '%-36s %9.2f %8s %12s\n' "pdftotext (one process per file)" "$(echo "$user + $sys" | bc)" "-" "-"
for api in cpp core; do
  read -r name seconds pages chars < <("$tool" "$api" "${files[@]}" 2>/dev/null)
  label=$([ "$api" = cpp ] && echo "poppler-cpp page::text()" || echo "core PDFDoc + TextOutputDev (ours)")
  printf '%-36s %9.2f %8s %12s\n' "$label" "$seconds" "$pages" "$chars"
done
