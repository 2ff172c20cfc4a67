#!/usr/bin/env bash
# Query benchmark: the same queries answered by bare Xapian (our query parsing and
# document weighting, top 10 documents, no facets or passages; once stopping early as
# Xapian may, once with the exact total the server's facets need; and once making every
# Xapian call a server search makes: facets, the page match, the records shown, but no
# passages, JSON or HTTP) and by evidence-server (facets, best pages and passages
# included), server-side time from its Server-Timing header, then wrk over keep-alive HTTP
# at 1, 16 and 64 connections, and the server's memory before and after.
# Usage: bench/query.sh INDEX_DIR [BUILD_DIR] [SECONDS_PER_WRK_RUN]   (QUERIES: a file of
# queries to ask instead, one a line)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
index="$(cd "${1:?usage: bench/query.sh INDEX_DIR [BUILD_DIR] [SECONDS]}" && pwd)"
build="${2:-$root/build/release}"
seconds="${3:-10}"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
"$build/search-server/evidence-server" --index "$index" --port "$port" --log-level warn --thesaurus "" > "$work/server.out" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q listening "$work/server.out" && break; sleep 0.1; done
url="http://127.0.0.1:$port"
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$server/status"; }

# 500 queries of 1-3 words taken from random pages of the index, or QUERIES (a file).
if [ -n "${QUERIES:-}" ]; then
  cp "$QUERIES" "$work/queries.txt"
else
  python3 "$root/bench/query_tools.py" queries "$url" 500 > "$work/queries.txt"
fi
echo "index: $index; $(wc -l < "$work/queries.txt") queries; server threads: $(nproc)"
echo "server memory before: $(rss) MiB"

"$build/bench/evidence-bench-query" "$index" "$work/queries.txt" > "$work/bare-times"
read -r _ n p50 p99 mean < <(grep '^top10 ' "$work/bare-times")
read -r _ en ep50 ep99 emean < <(grep '^top10-exact ' "$work/bare-times")
read -r _ xn xp50 xp99 xmean < <(grep '^server-xapian ' "$work/bare-times")
python3 "$root/bench/query_tools.py" times "$url" "$work/queries.txt" > "$work/server-times"
read -r sn sp50 sp99 smean < "$work/server-times"
# Where the server's time goes: the same searches without facets, without pages, without both.
declare -A part
for params in facets=0 pages=0 "facets=0&pages=0"; do
  read -r _ part["$params"] _ _ < <(python3 "$root/bench/query_tools.py" times "$url" "$work/queries.txt" "$params")
done
printf '\n%-46s %8s %8s %8s\n' "time per query (ms)" "p50" "p99" "mean"
printf '%-46s %8s %8s %8s\n' "bare Xapian match (top 10, may stop early)" "$p50" "$p99" "$mean"
printf '%-46s %8s %8s %8s\n' "bare Xapian match (top 10, exact total)" "$ep50" "$ep99" "$emean"
printf '%-46s %8s %8s %8s\n' "bare Xapian, all of a server search's calls" "$xp50" "$xp99" "$xmean"
printf '%-46s %8s %8s %8s\n' "evidence-server (facets + pages + passages)" "$sp50" "$sp99" "$smean"
printf 'server p50 / bare p50: %.2fx (top 10), %.2fx (top 10, exact total), %.2fx (all its calls)\n' \
  "$(echo "$sp50 / $p50" | bc -l)" "$(echo "$sp50 / $ep50" | bc -l)" "$(echo "$sp50 / $xp50" | bc -l)"
printf "a server search's Xapian calls alone / bare p50 (exact total): %.2fx\n" "$(echo "$xp50 / $ep50" | bc -l)"
printf '\n%-46s %8s\n' "server p50 asking for less (ms)" "p50"
printf '%-46s %8s\n' "without facets (facets=0)" "${part[facets=0]}"
printf '%-46s %8s\n' "without pages and passages (pages=0)" "${part[pages=0]}"
printf '%-46s %8s\n' "documents only (facets=0&pages=0)" "${part[facets=0&pages=0]}"

source "$root/bench/wrk_cycle.sh"
wrk_header
wrk_table "$url" "$work/queries.txt" "$seconds" "evidence-server"
echo "server memory after: $(rss) MiB"
