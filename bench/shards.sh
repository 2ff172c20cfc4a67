#!/usr/bin/env bash
# Shards benchmark: the same queries against one local index of a corpus and against the
# same documents split into 3 shards, each served by its own xapian-tcpsrv on loopback
# (scripts/shard-serve.sh) and searched as one by evidence-server --shards. Server-side
# time per query (Server-Timing), then wrk at 1, 16 and 64 keep-alive connections, and the
# servers' memory.
# Usage: bench/shards.sh CORPUS_DIR [BUILD_DIR] [SECONDS_PER_WRK_RUN]
# EVIDENCE_INDEX_ARGS passes flags to evidence-index (for example --no-ocr).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$(cd "${1:?usage: bench/shards.sh CORPUS_DIR [BUILD_DIR] [SECONDS]}" && pwd)"
build="${2:-$root/build/release}"
seconds="${3:-10}"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
command -v xapian-tcpsrv >/dev/null || { echo "xapian-tcpsrv missing: apt-get install xapian-tools" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
servers=()
stop_all() {  # the servers first (they finish the requests in flight), then the shards
  for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${servers[@]}"; do wait "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop_all EXIT
source "$root/bench/measure.sh"
index_args=(--progress never ${EVIDENCE_INDEX_ARGS:-})

# The same PDFs (and sidecars) dealt round-robin into three shard corpora, as hard links
# where the file system allows.
i=0
while IFS= read -r -d '' pdf; do
  relative="${pdf#"$corpus"/}"
  target="$work/corpus-$((i % 3))/$relative"
  link_file "$pdf" "$target"
  sidecar="${pdf%.*}.json"
  [ -f "$sidecar" ] && link_file "$sidecar" "${target%.*}.json"
  i=$((i + 1))
done < <(find "$corpus" -name '.*' -prune -o -type f -iname '*.pdf' -print0 | sort -z)
echo "corpus: $corpus ($i PDFs), 3 shards of $(find "$work/corpus-0" -iname '*.pdf' | wc -l)," \
  "$(find "$work/corpus-1" -iname '*.pdf' | wc -l) and $(find "$work/corpus-2" -iname '*.pdf' | wc -l) PDFs"

"$build/indexer/evidence-index" "${index_args[@]}" --index "$work/index-all" "$corpus" > /dev/null
for s in 0 1 2; do
  "$build/indexer/evidence-index" "${index_args[@]}" --index "$work/index-$s" --shard "s$s" "$work/corpus-$s" > /dev/null
done

shards='{"timeout_ms": 10000, "shards": ['
separator=""
for s in 0 1 2; do
  port=$(free_port)
  setsid "$root/scripts/shard-serve.sh" "$work/index-$s" "$port" 2> /dev/null &
  pids+=($!)
  wait_port "$port"
  shards+="$separator{\"name\": \"s$s\", \"remote\": \"127.0.0.1:$port\"}"
  separator=", "
done
echo "$shards]}" > "$work/shards.json"

start_server() {  # NAME ARGS...: starts evidence-server, sets NAME_url and NAME_pid
  local name=$1 port
  shift
  port=$(free_port)
  "$build/search-server/evidence-server" "$@" --port "$port" --log-level warn --thesaurus "" > "$work/$name.out" &
  servers+=($!)
  eval "${name}_pid=$!; ${name}_url=http://127.0.0.1:$port"
  for _ in $(seq 100); do grep -q listening "$work/$name.out" && return; sleep 0.1; done
}
start_server local --index "$work/index-all"
start_server sharded --shards "$work/shards.json"
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }

python3 "$root/bench/query_tools.py" queries "$local_url" 500 > "$work/queries.txt"
echo "$(wc -l < "$work/queries.txt") queries; server threads: $(nproc)"
echo "server memory before: one index $(rss "$local_pid") MiB, 3 remote shards $(rss "$sharded_pid") MiB"

read -r _ lp50 lp99 lmean < <(python3 "$root/bench/query_tools.py" times "$local_url" "$work/queries.txt")
read -r _ sp50 sp99 smean < <(python3 "$root/bench/query_tools.py" times "$sharded_url" "$work/queries.txt")
printf '\n%-46s %8s %8s %8s\n' "server time per query (ms)" "p50" "p99" "mean"
printf '%-46s %8s %8s %8s\n' "one local index" "$lp50" "$lp99" "$lmean"
printf '%-46s %8s %8s %8s\n' "3 remote shards (xapian-tcpsrv, loopback)" "$sp50" "$sp99" "$smean"
printf '3 remote shards / one index, p50: %.2fx\n' "$(echo "$sp50 / $lp50" | bc -l)"

source "$root/bench/wrk_cycle.sh"
wrk_header
wrk_table "$local_url" "$work/queries.txt" "$seconds" "one local index"
wrk_table "$sharded_url" "$work/queries.txt" "$seconds" "3 remote shards"
echo "server memory after: one index $(rss "$local_pid") MiB, 3 remote shards $(rss "$sharded_pid") MiB"
