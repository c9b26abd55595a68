# Functions the benchmark scripts share (sourced, not run): their log lines, their fatal
# errors, and stopping a process they started without ever waiting unbounded.

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# stop_pid PID WHAT [SIGNAL]: SIGNAL (TERM by default), then up to 60 s for the process to
# end, then SIGKILL; reaps it.
stop_pid() {
  local pid=$1 what=$2 sig=${3:-TERM} i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -"$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < 600; i++)); do  # 60 s at most
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$what ($pid) did not stop in 60 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
