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
build/release/indexer/evidence-index --index var/index corpus/sample
echo "Try: curl 'http://localhost:$port/api/search?q=reintegration'"
exec build/release/search-server/evidence-server --index var/index --corpus corpus/sample \
  --host 127.0.0.1 --port "$port"
