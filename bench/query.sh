#!/usr/bin/env bash
# Query benchmark: the same queries answered by bare Xapian (our query parsing and
# document weighting, top 10 documents, no facets or passages; once stopping early as
# Xapian may, once with the exact total the server's facets need) and by evidence-server (facets, best pages and
# passages included), server-side time from its Server-Timing header, then wrk over
# keep-alive HTTP at 1, 16 and 64 connections, and the server's memory before and after.
# Usage: bench/query.sh INDEX_DIR [BUILD_DIR] [SECONDS_PER_WRK_RUN]
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

# 500 queries of 1-3 words taken from random pages of the index.
python3 - "$url" > "$work/queries.txt" <<'PY'
import json, random, re, sys, urllib.request
url = sys.argv[1]
rng = random.Random(7)
get = lambda path: json.load(urllib.request.urlopen(url + path, timeout=60))
docs = get("/api/documents?limit=1000")["documents"]
word = re.compile(r"^[a-z]{4,}$")
for _ in range(500):
    doc = rng.choice(docs)
    text = get(f"/api/documents/{doc['id']}/pages/{rng.randint(1, doc['page_count'])}")["text"].lower().split()
    words = [w for w in text if word.match(w)] or ["report"]
    print(" ".join(rng.sample(words, min(len(words), rng.randint(1, 3)))))
PY
echo "index: $index; $(wc -l < "$work/queries.txt") queries; server threads: $(nproc)"
echo "server memory before: $(rss) MiB"

"$build/bench/evidence-bench-query" "$index" "$work/queries.txt" > "$work/bare-times"
read -r _ n p50 p99 mean < <(grep '^top10 ' "$work/bare-times")
read -r _ en ep50 ep99 emean < <(grep '^top10-exact ' "$work/bare-times")
python3 - "$url" "$work/queries.txt" > "$work/server-times" <<'PY'
import sys, urllib.parse, urllib.request, statistics
url, path = sys.argv[1], sys.argv[2]
queries = [q for q in open(path).read().splitlines() if q]
times = []
for round in range(2):  # the first round warms the caches
    times = []
    for q in queries:
        with urllib.request.urlopen(url + "/api/search?q=" + urllib.parse.quote(q), timeout=60) as r:
            r.read()
            times.append(float(r.headers["Server-Timing"].split("dur=")[1]))
times.sort()
at = lambda f: times[min(len(times) - 1, int(f * len(times)))]
print(len(times), f"{at(0.5):.3f}", f"{at(0.99):.3f}", f"{statistics.mean(times):.3f}")
PY
read -r sn sp50 sp99 smean < "$work/server-times"
printf '\n%-46s %8s %8s %8s\n' "time per query (ms)" "p50" "p99" "mean"
printf '%-46s %8s %8s %8s\n' "bare Xapian match (top 10, may stop early)" "$p50" "$p99" "$mean"
printf '%-46s %8s %8s %8s\n' "bare Xapian match (top 10, exact total)" "$ep50" "$ep99" "$emean"
printf '%-46s %8s %8s %8s\n' "evidence-server (facets + pages + passages)" "$sp50" "$sp99" "$smean"
printf 'server p50 / bare p50: %.2fx (top 10), %.2fx (top 10, exact total)\n' \
  "$(echo "$sp50 / $p50" | bc -l)" "$(echo "$sp50 / $ep50" | bc -l)"

cat > "$work/cycle.lua" <<LUA
local queries = {}
for line in io.lines("$work/queries.txt") do
  queries[#queries + 1] = "/api/search?q=" .. line:gsub(" ", "+")
end
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", queries[i])
end
LUA
printf '\n%-12s %10s %9s %9s %8s\n' "connections" "req/s" "p50 ms" "p99 ms" "errors"
for c in 1 16 64; do
  wrk -t "$([ $c -lt 2 ] && echo 1 || echo 2)" -c "$c" -d "${seconds}s" --latency -s "$work/cycle.lua" "$url" > "$work/wrk.$c"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.$c")
  l50=$(awk '/^ +50%/ {print $2}' "$work/wrk.$c")
  l99=$(awk '/^ +99%/ {print $2}' "$work/wrk.$c")
  errors=$(awk '/Non-2xx|Socket errors/ {e = e $0 "; "} END {print (e == "" ? "0" : e)}' "$work/wrk.$c")
  printf '%-12s %10s %9s %9s %8s\n' "$c" "$rps" "$l50" "$l99" "$errors"
done
echo "server memory after: $(rss) MiB"
