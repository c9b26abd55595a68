# Functions the benchmark scripts share (sourced, not run): their log lines and fatal
# errors, the helpers they call, building the release preset, the work directory, talking to
# the daemon, and stopping a process they started without ever waiting unbounded. A script
# sets ROOT, BENCH, WORK, RELANCE and BUILD (and PY, KEEP, PERF when it has them) first.

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

# helper.py (bench/helper.py), and one-line Python for figures and verdicts.
helper() { "${PY:-python3}" "$BENCH/helper.py" "$@"; }
calc() { python3 -c "import statistics as st; print($1)"; }
verdict() { python3 -c "print('PASS' if $1 else 'FAIL')"; }

# require_tools TOOL...: dies naming every missing one (perf too when PERF=1).
require_tools() {
  local t missing=()
  for t in "$@"; do
    command -v "$t" >/dev/null || [[ -x /usr/sbin/$t ]] || missing+=("$t")
  done
  [[ ${PERF:-0} != 1 ]] || command -v perf >/dev/null || missing+=(perf)
  ((${#missing[@]} == 0)) || die "missing ${missing[*]}: run scripts/install-deps.sh --bench"
}

# build_release TARGET...: with BUILD=1, the release preset (RelWithDebInfo, -O2) as
# scripts/serve.sh builds it, log in $WORK/build.log; then the daemon must be there.
build_release() {
  if [[ ${BUILD:-1} == 1 ]]; then
    log "building the release preset (build/release, targets $*)"
    (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build build/release --target "$@") \
      >"$WORK/build.log" 2>&1 ||
      { tail -30 "$WORK/build.log" >&2; die "build failed (log: $WORK/build.log)"; }
  fi
  [[ -x $RELANCE ]] || die "no daemon at $RELANCE (BUILD=1 builds it)"
}

# finish_work RC: the work directory is kept when asked (KEEP=1) or after a failure.
finish_work() {
  if [[ ${KEEP:-0} == 1 || $1 != 0 ]]; then
    log "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}

# The tree measured: "abc1234", or "abc1234 + 2 uncommitted file(s)".
source_version() {
  local head dirty
  head=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) || { echo "not a git checkout"; return; }
  dirty=$(git --no-optional-locks -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | wc -l)
  ((dirty == 0)) && echo "$head" || echo "$head + $dirty uncommitted file(s)"
}

stop_daemon() {
  stop_pid "$DAEMON_PID" relance
  DAEMON_PID=""
}

# api METHOD PATH [BODY]: the response body from $BASE_URL; fails on HTTP >= 400. Uses
# $TOKEN if set. Bounded: 300 s at most.
api() {
  local args=(-sS --fail-with-body --max-time 300 -X "$1" -H "Content-Type: application/json")
  [[ -n ${TOKEN:-} ]] && args+=(-H "Authorization: Bearer $TOKEN")
  [[ -n ${3:-} ]] && args+=(--data-binary "$3")
  curl "${args[@]}" "$BASE_URL$2"
}

# login EMAIL PASSWORD: a session token.
login() {
  TOKEN="" api POST /api/v1/auth/login "{\"email\":\"$1\",\"password\":\"$2\"}" |
    helper json-get token
}

# The daemon's CPU time in clock ticks, and a field of its /proc status in kB.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/${1:-$DAEMON_PID}/stat"; }
status_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$DAEMON_PID/status"; }

# The rows `helper contacts-csv` writes, as sqlite3 puts them into the daemon's contacts
# table once .import has read them into a temp table of text: the columns (version aside)
# and the SELECT that types them. `contact_insert TABLE`: the whole INSERT, in row order.
CONTACT_CSV_COLUMNS="org_id, created_at, updated_at, created_by, updated_by, first_name, last_name,
  emails, phones, title, city, country, tags, notes, met_at, met_where, lawful_basis"
CONTACT_CSV_SELECT="CAST(org_id AS INTEGER), created_at, updated_at, CAST(created_by AS INTEGER),
  CAST(updated_by AS INTEGER), first_name, last_name, NULLIF(emails, ''),
  NULLIF(phones, ''), NULLIF(title, ''), city, country, NULLIF(tags, ''), NULLIF(notes, ''),
  met_at, NULLIF(met_where, ''), NULLIF(lawful_basis, '')"
contact_insert() {
  echo "INSERT INTO contacts (version, $CONTACT_CSV_COLUMNS) SELECT 1, $CONTACT_CSV_SELECT FROM temp.$1 ORDER BY rowid;"
}
