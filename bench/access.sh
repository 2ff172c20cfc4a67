#!/usr/bin/env bash
# Access-levels benchmark: what reading levels cost a search, and whether what an anonymous
# caller may not read shows in how long an answer takes.
#
# The corpus is indexed twice: all public (a library without levels), and with every third
# PDF (in name order) made "members" by its sidecar. The same queries (taken from random
# pages, one in five with a misspelt word, so that "did you mean" looks for a spelling
# that finds something the caller may read) are then timed on both, side by side:
# server-side p50 and p99 (Server-Timing) for an anonymous caller on the public index
# (what searching cost before levels), an anonymous caller on the mixed index and a
# member's token on it; then wrk at 16 connections for each.
#
# Then the timing probe: words of the members' documents' text that an anonymous caller
# does not find, asked anonymously of the mixed index and of its counterfactual, alternately
# over a keep-alive connection to each. The counterfactual holds the same public PDFs and,
# for each members' document, a stand-in: a one-page PDF of other words with the same level
# and brief summary (so the same catalogue record), so the two indexes differ only in the
# members' texts. An anonymous caller should not be able to tell them apart: if the mixed
# index answered measurably slower, the clock would say which words the members' documents
# hold. Printed: both p50s, server-side (the Server-Timing header anyone can read) and as the
# client waits, and the noise floor (the gap between two halves of the same side).
# Usage: bench/access.sh CORPUS_DIR [BUILD_DIR] [SECONDS_PER_WRK_RUN]
# EVIDENCE_INDEX_ARGS passes flags to evidence-index (for example --no-ocr).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$(cd "${1:?usage: bench/access.sh CORPUS_DIR [BUILD_DIR] [SECONDS]}" && pwd)"
build="${2:-$root/build/release}"
seconds="${3:-10}"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
work="$(mktemp -d)"
servers=()
stop_all() {
  for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop_all EXIT
source "$root/bench/measure.sh"
tools="$root/bench/query_tools.py"

# The mixed corpus: the same PDFs as hard links (copies across file systems), every third
# one with "access": "members" added to its sidecar (or a sidecar saying only that); and the
# counterfactual's public PDFs (its stand-ins are written once the mixed index is served).
i=0
members=0
while IFS= read -r -d '' pdf; do
  relative="${pdf#"$corpus"/}"
  target="$work/mixed/$relative"
  link_file "$pdf" "$target"
  sidecar="${pdf%.*}.json"
  if [ $((i % 3)) -eq 2 ]; then
    python3 - "$sidecar" "${target%.*}.json" <<'EOF'
import json, os, sys
fields = json.load(open(sys.argv[1])) if os.path.exists(sys.argv[1]) else {}
fields["access"] = "members"
json.dump(fields, open(sys.argv[2], "w"))
EOF
    members=$((members + 1))
  else
    [ -f "$sidecar" ] && link_file "$sidecar" "${target%.*}.json"
    link_file "$target" "$work/readable/$relative"
    [ -f "${target%.*}.json" ] && link_file "${target%.*}.json" "$work/readable/${relative%.*}.json"
  fi
  i=$((i + 1))
done < <(find "$corpus" -name '.*' -prune -o -type f -iname '*.pdf' -print0 | sort -z)
echo "corpus: $corpus, $i PDFs; the mixed copy makes $members of them members'"

index_args=(--progress never ${EVIDENCE_INDEX_ARGS:-})
"$build/indexer/evidence-index" "${index_args[@]}" --index "$work/index-public" "$corpus" > /dev/null
"$build/indexer/evidence-index" "${index_args[@]}" --index "$work/index-mixed" "$work/mixed" > /dev/null
mkdir -p "$work/data"
token=$("$build/search-server/evidence-server" token add bench --role reader --data-dir "$work/data" 2> /dev/null |
  grep -o 'evl_[A-Za-z0-9_-]*' | head -1)

start_server() {  # INDEX: starts a server on it; sets url
  local port
  port=$(free_port)
  "$build/search-server/evidence-server" --index "$1" --data-dir "$work/data" --port "$port" \
    --log-level warn --thesaurus "" > /dev/null &
  servers+=($!)
  wait_port "$port"
  url="http://127.0.0.1:$port"
}
start_server "$work/index-public"; public_url=$url
start_server "$work/index-mixed"; mixed_url=$url


# The ids of the members' documents: those an anonymous caller finds listed but may not read.
python3 "$tools" listed "$mixed_url" | cut -f1 > "$work/member-ids.txt"
echo "members' documents listed to an anonymous caller: $(wc -l < "$work/member-ids.txt")"

# The stand-ins: for each members' document, a one-page PDF of its own made-up line, and a
# sidecar with its level and the brief summary its catalogue record shows.
python3 "$tools" stand-ins "$mixed_url" "$work/member-ids.txt" "$work/readable/stand-ins"
"$build/indexer/evidence-index" "${index_args[@]}" --index "$work/index-readable" "$work/readable" > /dev/null
start_server "$work/index-readable"; readable_url=$url
[ "$(python3 "$tools" listed "$mixed_url")" = "$(python3 "$tools" listed "$readable_url")" ] ||
  echo "warning: the counterfactual's catalogue records differ from the mixed index's" >&2

python3 "$tools" queries "$public_url" 500 > "$work/plain.txt"
python3 "$tools" misspell "$work/plain.txt" 5 > "$work/queries.txt"

printf '\n%-52s %8s %8s %8s\n' "server time per query (ms), $(wc -l < "$work/queries.txt") queries" p50 p99 mean
row() {  # NAME URL [TOKEN]
  local n p50 p99 mean
  read -r n p50 p99 mean < <(TOKEN="${3:-}" python3 "$tools" times "$2" "$work/queries.txt")
  printf '%-52s %8s %8s %8s\n' "$1" "$p50" "$p99" "$mean"
  eval "p50_${4:-x}=$p50"
}
for round in 1 2; do  # twice, interleaved, so that drift in the machine's speed shows
  row "all public, anonymous (round $round)" "$public_url" "" public
  row "a third members', anonymous (round $round)" "$mixed_url" "" anonymous
  row "a third members', a member (round $round)" "$mixed_url" "$token" member
done
printf 'p50 against all public (last round): anonymous %.2fx, member %.2fx\n' \
  "$(echo "$p50_anonymous / $p50_public" | bc -l)" "$(echo "$p50_member / $p50_public" | bc -l)"

source "$root/bench/wrk_cycle.sh"
wrk_header
wrk_table "$public_url" "$work/queries.txt" "$seconds" "all public, anonymous" 16
wrk_table "$mixed_url" "$work/queries.txt" "$seconds" "a third members', anonymous" 16

# The timing probe.
TOKEN="$token" python3 "$tools" private-words "$mixed_url" "$work/member-ids.txt" 100 > "$work/private.txt"
echo
echo "timing probe: $(wc -l < "$work/private.txt") words only the members' documents hold, asked" \
  "anonymously of the mixed index (A) and of its counterfactual (B), alternately, 5 times"
python3 "$tools" probe "$mixed_url" "$work/private.txt" "$readable_url" "$work/private.txt" 5 |
  awk '$1 == "noise" { printf "%-44s %10s %10s\n", "noise floor (the halves of A)", $2, $3; next }
       { if (!h++) printf "%-44s %10s %10s\n", "p50 (ms)", "server", "client";
         printf "%-44s %10s %10s\n", ($1 == "A" ? "A: the mixed index" : "B: members texts as stand-ins"), $3, $4 }'
