# Sourced by the bench scripts.
#
# measure NAME COMMAND...: runs COMMAND (stdout to $work/out,
# stderr to $work/err; $work must be set) and prints a row: wall s, user+sys CPU s, peak RSS
# of the largest process (MiB). Sets NAME_wall and NAME_cpu, NAME in lower case with every
# character outside a-z turned into '_' ("evidence-index full build" →
# evidence_index_full_build_wall).
measure() {
  local name="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || {
    echo "$name failed:" >&2; cat "$work/err" >&2; exit 1; }
  read -r wall user sys rss < "$work/time"
  cpu=$(echo "$user + $sys" | bc)
  printf '%-34s %9.2f %9.2f %9.0f\n' "$name" "$wall" "$cpu" "$((rss / 1024))"
  local var="${name,,}"
  var="${var//[^a-z]/_}"
  eval "${var}_wall=$wall; ${var}_cpu=$cpu"
}

# indexer_peak RUNNER: while RUNNER (a process whose child is evidence-index, such as GNU
# time running it) lives, reads the indexer's peak resident memory (VmHWM); prints the
# largest seen, in KiB. The caller then waits for RUNNER, which is its own child.
indexer_peak() {
  local runner=$1 hwm=0 now indexer
  while kill -0 "$runner" 2>/dev/null; do
    indexer=$(pgrep -P "$runner" -x evidence-index | head -1 || true)
    if [ -n "$indexer" ]; then
      now=$(awk '/VmHWM/ {print $2}' "/proc/$indexer/status" 2>/dev/null || echo 0)
      [ "${now:-0}" -gt "$hwm" ] && hwm=$now
    fi
    sleep 0.2
  done
  echo "$hwm"
}

# free_port: a TCP port free on loopback now. wait_port PORT: returns once something
# listens on it (fails after 10 s).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done; return 1; }

# link_file SOURCE TARGET: a hard link, or a copy where the file system allows none; the
# target's folder is made.
link_file() { mkdir -p "$(dirname "$2")"; ln "$1" "$2" 2>/dev/null || cp "$1" "$2"; }
