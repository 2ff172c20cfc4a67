# Sourced by the query benchmarks: wrk over keep-alive HTTP, cycling through a query list.
#   wrk_table URL QUERIES_FILE SECONDS LABEL [COUNTS]
#       prints one row per connection count (COUNTS, default "1 16 64"): requests/s,
#       latency p50 and p99, errors
wrk_table() {
  local url=$1 queries=$2 seconds=$3 label=$4 counts=${5:-1 16 64} lua out c
  lua="$(mktemp --suffix=.lua)"
  out="$(mktemp)"
  cat > "$lua" <<LUA
local queries = {}
for line in io.lines("$queries") do
  queries[#queries + 1] = "/api/search?q=" .. line:gsub(" ", "+")
end
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", queries[i])
end
LUA
  for c in $counts; do
    wrk -t "$([ $c -lt 2 ] && echo 1 || echo 2)" -c "$c" -d "${seconds}s" --latency -s "$lua" "$url" > "$out"
    printf '%-28s %-12s %10s %9s %9s %8s\n' "$label" "$c" \
      "$(awk '/Requests\/sec/ {print $2}' "$out")" \
      "$(awk '/^ +50%/ {print $2}' "$out")" \
      "$(awk '/^ +99%/ {print $2}' "$out")" \
      "$(awk '/Non-2xx|Socket errors/ {e = e $0 "; "} END {print (e == "" ? "0" : e)}' "$out")"
  done
  rm -f "$lua" "$out"
}

wrk_header() {
  printf '\n%-28s %-12s %10s %9s %9s %8s\n' "server" "connections" "req/s" "p50 ms" "p99 ms" "errors"
}
