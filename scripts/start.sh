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
server=build/release/search-server/evidence-server
# The sample corpus holds members' minutes and a draft restricted to the steering group: a
# reader token of that group, made on the first run only (the token file keeps its hash, so
# it is printed this once), reads them.
reader=sample-steering-reader
if [ ! -e var/tokens.json ] || ! grep -q "^$reader " <<<"$("$server" token list --data-dir var)"; then
  token=$("$server" token add "$reader" --role reader --group steering-group --data-dir var 2>/dev/null)
  cat <<EOF

A reader token of the steering group, for the sample's members' minutes and restricted draft
(shown this once; to make a new one: $server token revoke $reader --data-dir var, and run start.sh again):

  $token

  curl -H 'Authorization: Bearer $token' 'http://localhost:$port/api/search?q=Wrenfield'
  or sign in with it at http://localhost:$port/admin

EOF
fi
echo "Try: curl 'http://localhost:$port/api/search?q=reintegration'"
exec "$server" --data-dir var --corpus corpus/sample \
  --host 127.0.0.1 --port "$port"
