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

# settle PID WHAT: waits until the process is idle (under 2% of a core over 0.5 s), at most
# 30 s, so that a measurement starts after its start-up work (the daemon checks the
# database with PRAGMA quick_check beside serving after a clean stop: about 4 s of one
# core on 2.3 GB). Logs how long that took.
settle() {
  local pid=$1 what=$2 i t0 a b hz
  hz=$(getconf CLK_TCK)
  t0=$(date +%s%N)
  for ((i = 0; i < 60; i++)); do
    a=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || return 0
    sleep 0.5
    b=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || return 0
    ((100 * (b - a) <= 2 * hz / 2)) && break
  done
  log "$what idle after $((($(date +%s%N) - t0) / 1000000)) ms"
}
