#!/usr/bin/env bash
# Whether two builds of evidence-server answer the same, byte for byte: both serve INDEX,
# and for each of N queries (bench/query_tools.py, seeded) every reading route is asked of
# both: the search (with facets and pages), its first document, that document's hits, its
# similar documents, one of its pages and its citation, trends, and the search page and
# document page in HTML. Prints the number of answers compared and each one that differs.
# The N queries are N plain queries and N phrases (query_tools.py queries, phrases).
# For a change that must not change behaviour (a refactoring): run it with the build before
# and the build after. For a change of the index layout, NEW_INDEX=DIR has the new build
# serve its own index of the same corpus (then /healthz, which names the index, differs).
# Usage: bench/same-answers.sh BASE_BUILD_DIR NEW_BUILD_DIR INDEX_DIR [N]   (N: 500)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
base="${1:?usage: bench/same-answers.sh BASE_BUILD_DIR NEW_BUILD_DIR INDEX_DIR [N]}"
new="${2:?usage}"
index="$(cd "${3:?usage}" && pwd)"
count="${4:-500}"
work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
new_index="$(cd "${NEW_INDEX:-$index}" && pwd)"
start() {  # start NAME BUILD INDEX: serves INDEX on a free port; sets NAME_url
  local port=$((20000 + RANDOM % 20000))
  "$2/search-server/evidence-server" --index "$3" --corpus "$work" --port "$port" --log-level warn \
    --thesaurus "$root/schemas/thesaurus.json" --tokens "$work/$1-tokens.json" --audit-log "$work/$1-audit.jsonl" \
    --public-url http://library.example > "$work/$1.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q listening "$work/$1.out" && break; sleep 0.1; done
  grep -q listening "$work/$1.out" || { cat "$work/$1.out" >&2; exit 1; }
  eval "${1}_url=http://127.0.0.1:$port"
}
start base "$base" "$index"
start new "$new" "$new_index"
python3 "$root/bench/query_tools.py" queries "$new_url" "$count" > "$work/queries.txt"
python3 "$root/bench/query_tools.py" phrases "$new_url" "$count" >> "$work/queries.txt"
python3 - "$base_url" "$new_url" "$work/queries.txt" <<'EOF'
import json, sys, urllib.error, urllib.parse, urllib.request

base, new, queries = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().splitlines()

def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()

compared = differ = 0
def same(path):
    global compared, differ
    compared += 1
    a, b = fetch(base + path), fetch(new + path)
    if a != b:
        differ += 1
        print(f"differs: {path}\n  base {a[0]} {a[1][:200]!r}\n  new  {b[0]} {b[1][:200]!r}")
    return b

for query in queries:
    q = urllib.parse.quote(query)
    status, body = same(f"/api/search?q={q}")
    same(f"/api/trends?q={q}")
    same(f"/?q={q}")
    documents = json.loads(body).get("documents", []) if status == 200 else []
    if documents:
        d = urllib.parse.quote(documents[0]["id"])
        same(f"/api/documents/{d}")
        same(f"/api/documents/{d}/hits?q={q}")
        same(f"/api/documents/{d}/similar")
        same(f"/api/documents/{d}/pages/1")
        same(f"/api/documents/{d}/cite?format=apa&page=1")
        same(f"/d/{d}?q={q}")
same("/api/documents?limit=1000")
same("/healthz")
print(f"{compared} answers compared, {differ} differ")
sys.exit(1 if differ else 0)
EOF
