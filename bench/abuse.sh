#!/usr/bin/env bash
# Abuse benchmark: a normal search's time while abusive clients work on the same server (a
# query of 26 wildcards, a flood of unfinished headers from one address, slow-header
# clients), beside the same search on the idle server, and the server's memory before and
# after each. The server serves the sample corpus with its default limits.
# Usage: bench/abuse.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build/release}"
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
"$build/indexer/evidence-index" --progress never --index "$work/index" "$root/corpus/sample" > /dev/null
ulimit -n "$(ulimit -Hn)"
"$build/search-server/evidence-server" --index "$work/index" --corpus "$root/corpus/sample" \
  --thesaurus "$root/schemas/thesaurus.json" --port "$port" --log-level error > "$work/server.out" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q listening "$work/server.out" && break; sleep 0.1; done
echo "sample corpus ($(find "$root/corpus/sample" -name '*.pdf' | wc -l) PDFs), server threads: $(nproc)"
python3 "$root/bench/abuse.py" "$port" "$server"
