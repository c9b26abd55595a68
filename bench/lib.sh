# Functions the benchmark scripts share (sourced, not run): their log lines and fatal
# errors, the helpers they call, building the release preset, the work directory, talking to
# the daemon, and stopping a process they started without ever waiting unbounded. A script
# sets ROOT, BENCH, WORK, RELANCE and BUILD (and PY, KEEP, PERF when it has them) first.
# Starting the daemon with organisations and loading contacts through wrk (start_daemon,
# setup_organisations, contact_id_range, run_loader) also need DATA, ADMIN_EMAIL,
# ADMIN_PASSWORD, USER_PASSWORD, THREADS, CONNECTIONS and RESULTS_JSON.

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
now_ns() { date +%s%N; }
record() { helper record "$RESULTS_JSON" "$@"; }
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

# Starts `relance serve` on a free loopback port; sets DAEMON_PID, PORT, BASE_URL and
# STARTUP_MS: from the fork-and-exec to /healthz answering 200. The poller (Python) starts
# first, so that its own start-up is not counted.
start_daemon() {
  PORT=$(helper free-port)
  BASE_URL="http://127.0.0.1:$PORT"
  helper wait-http "$BASE_URL/healthz" --timeout 120 >"$WORK/ready.ns" &
  local poller=$! t0 i
  sleep 0.3
  t0=${EPOCHREALTIME/./}  # microseconds, without forking date
  RELANCE_ADMIN_EMAIL=$ADMIN_EMAIL RELANCE_ADMIN_PASSWORD=$ADMIN_PASSWORD \
    "$RELANCE" serve --data-dir "$DATA" --listen "127.0.0.1:$PORT" \
    </dev/null >>"$WORK/daemon.log" 2>&1 &
  DAEMON_PID=$!
  for ((i = 0; i < 1250; i++)); do  # the poller gives up after 120 s
    kill -0 "$poller" 2>/dev/null || break
    kill -0 "$DAEMON_PID" 2>/dev/null ||
      { kill "$poller"; tail -20 "$WORK/daemon.log" >&2; die "the daemon exited"; }
    sleep 0.1
  done
  wait "$poller" || { tail -20 "$WORK/daemon.log" >&2; die "the daemon did not answer"; }
  STARTUP_MS=$((($(cat "$WORK/ready.ns") / 1000 - t0) / 1000))
  log "daemon $DAEMON_PID on $BASE_URL (ready in $STARTUP_MS ms)"
}

# Two start-ups with an org-admin each: A holds the data set, B a few hundred contacts so
# that every query has another organisation's rows to leave out.
setup_organisations() {
  local admin org
  admin=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
  for org in A B; do
    local id uid
    id=$(TOKEN=$admin api POST /api/v1/organisations "{\"name\":\"Bench Start-up $org\"}" |
         helper json-get id)
    uid=$(TOKEN=$admin api POST /api/v1/users \
      "{\"email\":\"founder@${org,,}.bench.local\",\"password\":\"$USER_PASSWORD\",\"role\":\"org-admin\",\"org_id\":$id,\"display_name\":\"Founder $org\"}" |
      helper json-get id)
    printf -v "ORG_$org" %s "$id"
    printf -v "USER_$org" %s "$uid"
    printf -v "TOKEN_$org" %s "$(login "founder@${org,,}.bench.local" "$USER_PASSWORD")"
  done
  log "organisations: A=$ORG_A (user $USER_A), B=$ORG_B (user $USER_B)"
}

# The ids of organisation A's contacts: "LO HI" (contiguous by construction: A is loaded
# before B, and nothing else writes contacts).
contact_id_range() {
  local lo hi
  lo=$(TOKEN=$TOKEN_A api GET "/api/v1/contacts?limit=1" | helper json-get items.0.id)
  hi=$(TOKEN=$TOKEN_A api GET "/api/v1/contacts?limit=1&sort=-id" | helper json-get items.0.id)
  echo "$lo $hi"
}

# run_loader NAME LUA TOKEN QUOTA MAX_SECONDS [VAR=VALUE...]: creates QUOTA rows through the
# API at full concurrency; sets LOADED (rows created) and LOADED_MS. wrk's main
# thread sleeps for the whole -d duration even once every thread reached its quota, so we
# watch the threads' marker files and end wrk with SIGINT (it then reports as usual).
# shellcheck disable=SC2034  # LOADED, LOADED_MS: for the caller
run_loader() {
  local name=$1 lua=$2 token=$3 quota=$4 max_s=$5 out="$WORK/wrk-load-$1.txt"
  local markers="$WORK/markers-$1" t0 t1 i
  shift 5
  rm -rf "$markers" && mkdir -p "$markers"
  t0=$(now_ns)
  env "$@" BENCH_QUOTA="$quota" BENCH_MARKER_DIR="$markers" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${max_s}s" --timeout 30s -s "$BENCH/lua/$lua" \
    -H "Authorization: Bearer $token" "$BASE_URL/" >"$out" 2>&1 &
  WRK_PID=$!
  for ((i = 0; i < max_s * 10 + 50; i++)); do  # wrk itself stops after max_s
    kill -0 "$WRK_PID" 2>/dev/null || break
    if (($(find "$markers" -type f | wc -l) >= THREADS)); then
      kill -INT "$WRK_PID" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  wait "$WRK_PID" || true
  WRK_PID=""
  t1=$(now_ns)
  local failed
  LOADED=$(record "load_$name" --wrk "$out" --print created)
  LOADED_MS=$(((t1 - t0) / 1000000))
  failed=$(helper json-get "load_$name.failed" <"$RESULTS_JSON")
  ((failed == 0)) || log "warning: $failed failed creates while loading $name (see $out)"
}
