#!/usr/bin/env bash
# Sets everything up, builds, indexes the sample corpus and serves it on localhost:8080.
# Usage: scripts/start.sh [PORT]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
port="${1:-${EVIDENCE_PORT:-8080}}"

scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target evidence-index evidence-server
# The data directory var/ holds the index, tokens and audit log; the thesaurus is the source tree's.
mkdir -p var
build/release/indexer/evidence-index --data-dir var corpus/sample
echo "Try: curl 'http://localhost:$port/api/search?q=reintegration'"
exec build/release/search-server/evidence-server --data-dir var --corpus corpus/sample \
  --host 127.0.0.1 --port "$port"
