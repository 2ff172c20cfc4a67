#!/usr/bin/env bash
# Growth benchmark: how build time, memory, index size and search time grow with the corpus.
# For each FACTOR (default 1 2 5 10) it takes the real PDFs of a corpus made by
# bench/grow-corpus.py plus the first (FACTOR - 1) x as many of its generated ones (hard
# links in a temporary folder), and measures:
#   - a fresh build: wall and CPU seconds, peak memory of the indexer (its VmHWM, read while
#     it runs) and of the whole run (GNU time: the largest of the indexer and its workers);
#   - the unchanged re-run's wall seconds; the index's size (what the build left) and its
#     size compacted by xapian-compact;
#   - evidence-server on it: server-side p50 and p99 (Server-Timing) of the same 500 queries
#     at every size, with facets, pages and passages, and wrk's requests/s at 16
#     connections;
#   - with SHARDS=N (N > 1), the same corpus dealt round-robin into N shards, each built
#     with --shard, searched as one by evidence-server --shards, once opened locally and
#     once through xapian-tcpsrv on loopback (scripts/shard-serve.sh): p50, p99, wrk.
# The queries are 1-3 words from random pages of the first size's index (its real PDFs), so
# every size answers the same list; the generated PDFs use the real words too, so their
# posting lists grow with the corpus.
# Usage: bench/growth.sh GROWN_DIR [BUILD_DIR] [FACTORS...]
#   EVIDENCE_INDEX_ARGS: flags for evidence-index (e.g. --no-ocr); WRK_SECONDS: per wrk run (10);
#   SHARDS: number of shards (0: one index only); QUERIES: a file of queries to use, or
#   where to keep the ones made, so that sizes measured in separate runs answer the same.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
grown="$(cd "${1:?usage: bench/growth.sh GROWN_DIR [BUILD_DIR] [FACTORS...]}" && pwd)"
build="$(cd "${2:-$root/build/release}" && pwd)"
shift $(($# >= 2 ? 2 : 1))
factors=("$@")
[ ${#factors[@]} -gt 0 ] || factors=(1 2 5 10)
seconds="${WRK_SECONDS:-10}"
shard_count="${SHARDS:-0}"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
command -v xapian-compact >/dev/null || { echo "xapian-compact missing: apt-get install xapian-tools" >&2; exit 1; }
work="$(mktemp -d)"
servers=()
shard_servers=()
stop_servers() {
  for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${servers[@]}"; do wait "$p" 2>/dev/null || true; done
  for p in "${shard_servers[@]}"; do kill -- "-$p" 2>/dev/null || true; done
  for p in "${shard_servers[@]}"; do wait "$p" 2>/dev/null || true; done
  servers=()
  shard_servers=()
}
trap 'stop_servers; rm -rf "$work"' EXIT
index_args=(--progress never ${EVIDENCE_INDEX_ARGS:-})
source "$root/bench/wrk_cycle.sh"
source "$root/bench/measure.sh"

mapfile -d '' real < <(find "$grown/real" -type f -iname '*.pdf' -print0 | sort -z)
mapfile -d '' made < <(find "$grown/made" -type f -iname '*.pdf' -print0 2>/dev/null | sort -z)
echo "corpus: $grown (${#real[@]} real PDFs, ${#made[@]} generated); $(nproc) cores"

start_server() {  # NAME ARGS...: starts evidence-server, sets url
  local name=$1 port
  shift
  port=$(free_port)
  : > "$work/$name.out"
  "$build/search-server/evidence-server" "$@" --port "$port" --log-level warn --thesaurus "" > "$work/$name.out" &
  servers+=($!)
  url="http://127.0.0.1:$port"
  for _ in $(seq 300); do grep -q listening "$work/$name.out" && return; sleep 0.1; done
  echo "the server $name did not start" >&2
  exit 1
}
wrk16() {  # URL: requests/s at 16 connections
  wrk_table "$1" "$work/queries.txt" "$seconds" x 16 | awk '{print $3}'
}

# Builds INDEX from CORPUS (ARGS...; its summary in $work/summary.json), printing "wall cpu indexer_peak_MiB run_peak_MiB".
timed_build() {
  local index=$1 corpus=$2 runner hwm started
  shift 2
  started=$(date +%s.%N)
  /usr/bin/time -f '%U %S %M' -o "$work/time" "$build/indexer/evidence-index" "${index_args[@]}" "$@" \
    --json --index "$index" "$corpus" > "$work/summary.json" &
  runner=$!
  hwm=$(indexer_peak "$runner")
  wait "$runner"
  read -r user system peak < "$work/time"
  printf '%.1f %.1f %d %d\n' "$(echo "$(date +%s.%N) - $started" | bc)" "$(echo "$user + $system" | bc)" \
    $((hwm / 1024)) $((peak / 1024))
}

rows=()
shard_rows=()
for factor in "${factors[@]}"; do
  extra=$(((factor - 1) * ${#real[@]}))
  if [ "$extra" -gt ${#made[@]} ]; then
    echo "factor $factor needs $extra generated PDFs; $grown/made has ${#made[@]}" >&2
    exit 1
  fi
  corpus="$work/corpus-$factor"
  mkdir -p "$corpus"
  for pdf in "${real[@]}" "${made[@]:0:$extra}"; do ln "$pdf" "$corpus/$(basename "$pdf")"; done
  pdfs=$((${#real[@]} + extra))
  read -r wall cpu indexer_peak run_peak < <(timed_build "$work/index" "$corpus")
  started=$(date +%s.%N)
  "$build/indexer/evidence-index" "${index_args[@]}" --index "$work/index" "$corpus" > /dev/null
  rerun=$(printf '%.2f' "$(echo "$(date +%s.%N) - $started" | bc)")
  size=$(du -sm "$work/index" | cut -f1)
  xapian-compact -q "$work/index" "$work/compacted" > /dev/null
  compacted=$(du -sm "$work/compacted" | cut -f1)
  rm -rf "$work/compacted"
  pages=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["pages_in_index"])' "$work/summary.json")

  start_server "one-$factor" --index "$work/index"
  if [ ! -f "$work/queries.txt" ]; then
    if [ -n "${QUERIES:-}" ] && [ -s "$QUERIES" ]; then
      cp "$QUERIES" "$work/queries.txt"
    else
      python3 "$root/bench/query_tools.py" queries "$url" 500 > "$work/queries.txt"
      [ -z "${QUERIES:-}" ] || cp "$work/queries.txt" "$QUERIES"
    fi
  fi
  read -r _ p50 p99 _ < <(python3 "$root/bench/query_tools.py" times "$url" "$work/queries.txt")
  rps=$(wrk16 "$url")
  stop_servers
  rows+=("$(printf '%6s %7s %8s %8s %8s %9s %9s %8s %8s %10s %8s %8s %9s' "${factor}x" "$pdfs" "$pages" "$wall" "$cpu" \
    "$indexer_peak" "$run_peak" "$rerun" "$size" "$compacted" "$p50" "$p99" "$rps")")
  echo "${rows[-1]}"

  if [ "$shard_count" -gt 1 ]; then
    mapfile -d '' pdf_list < <(find "$corpus" -type f -print0 | sort -z)
    for ((i = 0; i < ${#pdf_list[@]}; i++)); do
      mkdir -p "$work/shard-corpus-$((i % shard_count))"
      ln "${pdf_list[i]}" "$work/shard-corpus-$((i % shard_count))/"
    done
    local_json='{"shards": ['
    remote_json='{"timeout_ms": 10000, "shards": ['
    separator=""
    shard_wall=0
    for ((s = 0; s < shard_count; s++)); do
      read -r w _ _ _ < <(timed_build "$work/shard-$s" "$work/shard-corpus-$s" --shard "s$s")
      shard_wall=$(echo "$shard_wall + $w" | bc)
      port=$(free_port)
      setsid "$root/scripts/shard-serve.sh" "$work/shard-$s" "$port" 2> /dev/null &
      shard_servers+=($!)
      wait_port "$port"
      local_json+="$separator{\"name\": \"s$s\", \"index\": \"$work/shard-$s\"}"
      remote_json+="$separator{\"name\": \"s$s\", \"remote\": \"127.0.0.1:$port\"}"
      separator=", "
    done
    echo "$local_json]}" > "$work/local-shards.json"
    echo "$remote_json]}" > "$work/remote-shards.json"
    for kind in local remote; do
      start_server "$kind-$factor" --shards "$work/$kind-shards.json"
      read -r _ sp50 sp99 _ < <(python3 "$root/bench/query_tools.py" times "$url" "$work/queries.txt")
      srps=$(wrk16 "$url")
      kill "${servers[-1]}"
      wait "${servers[-1]}" 2>/dev/null || true
      unset 'servers[-1]'
      shard_rows+=("$(printf '%6s %-22s %10s %8s %8s %9s' "${factor}x" "$shard_count $kind shards" "$shard_wall" "$sp50" "$sp99" "$srps")")
      echo "${shard_rows[-1]}"
    done
    stop_servers
    rm -rf "$work"/shard-*
  fi
  rm -rf "$corpus" "$work/index"
done

printf '\n%6s %7s %8s %8s %8s %9s %9s %8s %8s %10s %8s %8s %9s\n' "corpus" "PDFs" "pages" "wall s" "CPU s" \
  "idx peak" "run peak" "re-run s" "index MB" "compacted" "p50 ms" "p99 ms" "req/s@16"
printf '%s\n' "${rows[@]}"
echo "(peaks in MiB; p50/p99: server-side, facets + pages + passages)"
if [ ${#shard_rows[@]} -gt 0 ]; then
  printf '\n%6s %-22s %10s %8s %8s %9s\n' "corpus" "searched as" "build s" "p50 ms" "p99 ms" "req/s@16"
  printf '%s\n' "${shard_rows[@]}"
  echo "(build s: the shards built one after another)"
fi
