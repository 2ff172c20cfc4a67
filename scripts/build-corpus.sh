#!/usr/bin/env bash
# Re-renders every sample corpus source (corpus/sources/**/NAME.txt) into
# corpus/sample/**/NAME.pdf with evidence-make-pdf. Usage: scripts/build-corpus.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
tool="$build/tools/evidence-make-pdf"
[ -x "$tool" ] || { echo "build the project first: $tool is missing" >&2; exit 1; }
cd "$root/corpus/sources"
find . -name '*.txt' -print0 | sort -z | while IFS= read -r -d '' source; do
  target="$root/corpus/sample/${source%.txt}.pdf"
  mkdir -p "$(dirname "$target")"
  # A fixed creation time keeps the PDFs byte-identical from one render to the next.
  SOURCE_DATE_EPOCH=1700000000 "$tool" "$source" "$target"
  echo "rendered ${target#"$root"/}"
done
