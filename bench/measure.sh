# Sourced by the bench scripts. measure NAME COMMAND...: runs COMMAND (stdout to $work/out,
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
