#!/usr/bin/env bash
# bench/wildcards.sh INDEX [BUILD_DIR] [ROUNDS]: what an expensive query does to a server on
# loopback. Starts BUILD_DIR's evidence-server (default build/release) on INDEX with 2
# threads, then times with curl and reads the server's resident memory (VmRSS):
#   q=shelter on an idle server; q=a* OR b* OR … OR z* (every wildcard of one letter);
#   q=shelter while two other processes each send the wildcard query ROUNDS times (default 20);
#   the memory before, right after, and 5 s after the wildcard queries.
# Loopback only; every loop is bounded. Not part of the tests.
set -euo pipefail

index=${1:?usage: bench/wildcards.sh INDEX [BUILD_DIR] [ROUNDS]}
build=${2:-build/release}
rounds=${3:-20}
server_bin=$build/search-server/evidence-server
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

"$server_bin" --index "$index" --host 127.0.0.1 --port 0 --threads 2 --thesaurus schemas/thesaurus.json \
  --tokens "$work/tokens.json" --audit-log "$work/audit.jsonl" --log-level warn >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.1; done
base=$(sed -n 's|^listening on \(http://[^/]*\)/$|\1|p' "$work/out")
[ -n "$base" ] || { cat "$work/err"; exit 1; }

wildcards=$(printf '%s' {a..y} | sed 's/./&*+OR+/g')z*
rss() { awk '/^VmRSS/ {print $2 / 1024 " MiB"}' "/proc/$server/status"; }
# STATUS SECONDS BYTES of one GET
get() { curl -s -o /dev/null -w '%{http_code} %{time_total} %{size_download}\n' "$base/api/search?q=$1"; }
timings() {  # median and slowest seconds of N GETs of a query, one after another
  for _ in $(seq "$2"); do get "$1"; done | awk '{print $2}' | sort -n |
    awk '{a[NR]=$1} END {printf "median %s s, slowest %s s", a[int((NR+1)/2)], a[NR]}'
}

get shelter >/dev/null
printf 'memory at start (after one search)      %s\n' "$(rss)"
printf 'q=shelter, idle, 20 times:              %s\n' "$(timings shelter 20)"
printf 'q=a* OR … OR z*, 3 times: status s bytes\n'
for _ in 1 2 3; do printf '    %s\n' "$(get "$wildcards")"; done
printf 'memory right after                      %s\n' "$(rss)"
curl -s -o "$work/body" "$base/api/search?q=$wildcards"
printf 'its answer begins                       %s\n' "$(head -c 200 "$work/body")"
loops=()
for _ in 1 2; do
  (for _ in $(seq "$rounds"); do get "$wildcards" >/dev/null; done) &
  loops+=($!)
done
sleep 0.2
printf 'q=shelter, 2 wildcard loops, 10 times:  %s\n' "$(timings shelter 10)"
wait "${loops[@]}"
printf 'memory after the loops                  %s\n' "$(rss)"
sleep 5
printf 'memory 5 s later                        %s\n' "$(rss)"
printf 'q=shelter afterwards                    %s\n' "$(get shelter)"
