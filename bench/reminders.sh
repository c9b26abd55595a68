#!/usr/bin/env bash
# Relance reminders benchmark: N_FOLLOWUPS (100,000) follow-ups falling due within one
# minute, mailed by the email-reminder plugin to an SMTP sink on loopback, while a user reads
# the API. Targets (the issue "Follow-up engine and email reminders"): every reminder handed
# to the SMTP server within 2 minutes of the first due instant, API p99 under 50 ms
# meanwhile. See bench/README.md.
#
#   bench/reminders.sh                          # full: 100,000 follow-ups due over 60 s
#   N_FOLLOWUPS=10000 bench/reminders.sh        # quick
#   PERF=1 bench/reminders.sh                   # also perf record of the daemon in the burst
#
# Settings (environment):
#   N_FOLLOWUPS=100000  SPREAD=60 (s: the due instants, evenly spread)  LEAD=45 (s from the
#     insertion to the first due instant: the daemon starts and idles meanwhile)
#   N_CONTACTS=200 (the follow-ups' contacts, and the ids the API load reads)
#   RATE=50 (API requests/s, open loop)  CONNS=4 (keep-alive connections)
#   SINK=asyncio|aiosmtpd (the SMTP server: bench/smtp_sink.py's own, or aiosmtpd's)
#   RUN_TIMEOUT=600 (s after the first due instant)  GRACE=5 (s waited for late duplicates)
#   PERF=0 (1: perf record -F 999 of the daemon for PERF_SECONDS=30 from the first due instant)
#   BUILD=1 (0: use the existing build/release)  DEPS=1 (0: skip scripts/install-deps.sh)
#   TREE (the commit printed; default git rev-parse of this tree)
#   KEEP=0 (1: keep the work directory)  WORK=<dir> (default: a new one under /tmp)
# Everything listens on 127.0.0.1 and is stopped on exit; every loop is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

N_FOLLOWUPS=${N_FOLLOWUPS:-100000}
SPREAD=${SPREAD:-60}
LEAD=${LEAD:-45}
N_CONTACTS=${N_CONTACTS:-200}
RATE=${RATE:-50}
CONNS=${CONNS:-4}
SINK=${SINK:-asyncio}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
GRACE=${GRACE:-5}
PERF=${PERF:-0}
PERF_SECONDS=${PERF_SECONDS:-30}
BUILD=${BUILD:-1}
DEPS=${DEPS:-1}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d /tmp/relance-bench-reminders.XXXXXX)}
mkdir -p "$WORK"

# Targets (the issue).
TARGET_S=120
TARGET_P99_MS=50

# Debian's python3: python3-aiosmtpd is a Debian package, and the python3 first on PATH may
# be another one (pyenv) without it.
PY=/usr/bin/python3
RELANCE="$ROOT/build/release/core/relance"
PLUGINS_DIR="$ROOT/build/release/lib/relance/plugins"
DATA="$WORK/data"
DB="$DATA/relance.db"
DAEMON_PID="" SINK_PID="" LOAD_PID="" PERF_PID=""
ADMIN_EMAIL="admin@bench.relance.local"
ADMIN_PASSWORD="bench-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # log, die, helper, build_release, api, stop_pid, settle...
rhelper() { "$PY" "$BENCH/reminders_helper.py" "$@"; }


cleanup() {
  local rc=$?
  stop_pid "$PERF_PID" perf INT
  stop_pid "$LOAD_PID" "API load"
  stop_pid "$DAEMON_PID" relance
  stop_pid "$SINK_PID" "SMTP sink"
  finish_work "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
  local t missing=()
  for t in sqlite3 curl cmake; do
    command -v "$t" >/dev/null || missing+=("$t")
  done
  [[ -x $PY ]] || missing+=(python3)
  [[ $SINK != aiosmtpd ]] || "$PY" -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
  [[ $PERF != 1 ]] || command -v perf >/dev/null || missing+=(perf)
  ((${#missing[@]} == 0)) || die "missing ${missing[*]}: run scripts/install-deps.sh --bench"
  ((N_FOLLOWUPS >= 100 && SPREAD >= 1 && LEAD >= 10)) || die "sizes too small"
}

# The release preset (RelWithDebInfo, -O2): the daemon and the email-reminder plugin.
build() {
  build_release relance relance_email_reminder
  [[ -f $PLUGINS_DIR/relance_email_reminder.so ]] ||
    die "no plugin at $PLUGINS_DIR/relance_email_reminder.so (BUILD=1 builds it)"
}

# `relance serve` on a free loopback port with the build tree's plugins and no daily digest,
# its log (stderr) appended to $WORK/daemon.log; waits for /healthz. Sets DAEMON_PID, PORT.
start_daemon() {
  PORT=$(helper free-port)
  BASE_URL="http://127.0.0.1:$PORT"
  RELANCE_PLUGINS_DIRECTORIES=$PLUGINS_DIR RELANCE_FOLLOWUPS_DIGEST_TIME=off \
    "$RELANCE" serve --data-dir "$DATA" --listen "127.0.0.1:$PORT" </dev/null >>"$WORK/daemon.log" 2>&1 &
  DAEMON_PID=$!
  helper wait-http "$BASE_URL/healthz" --timeout 120 --pid "$DAEMON_PID" >/dev/null ||
    { tail -20 "$WORK/daemon.log" >&2; die "the daemon did not answer"; }
  log "daemon $DAEMON_PID on $BASE_URL"
}

# relance init (organisation 1 "Region", its admin: user 1, the assignee of every
# follow-up); a session token (sessions live in the database: no login during the run);
# N_CONTACTS contacts by sqlite3 (helper.py's word lists, triggers fill the indexes).
prepare_data() {
  log "data directory: relance init, a session token, $N_CONTACTS contacts"
  RELANCE_ADMIN_PASSWORD=$ADMIN_PASSWORD "$RELANCE" init --data-dir "$DATA" \
    --admin-email "$ADMIN_EMAIL" >"$WORK/init.log" 2>&1 ||
    { cat "$WORK/init.log" >&2; die "relance init failed"; }
  printf '[log]\nfile = ""\n' >>"$DATA/relance.toml"
  start_daemon
  TOKEN=$(curl -sS --fail-with-body -X POST -H "Content-Type: application/json" \
    --data-binary "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" \
    "$BASE_URL/api/v1/auth/login" | helper json-get token)
  [[ -n $TOKEN ]] || die "no token from POST /api/v1/auth/login"
  api GET /api/v1/me >"$WORK/me.json"
  [[ $(helper json-get id <"$WORK/me.json") == 1 && $(helper json-get org_id <"$WORK/me.json") == 1 ]] ||
    die "the admin is not user 1 of organisation 1: $(cat "$WORK/me.json")"
  stop_daemon

  helper contacts-csv --org 1 --user 1 --count "$N_CONTACTS" --seed 21 >"$WORK/contacts.csv"
  sqlite3 -bail "$DB" >"$WORK/contacts.log" 2>&1 <<SQL || { cat "$WORK/contacts.log" >&2; die "loading contacts failed"; }
.import --csv --schema temp $WORK/contacts.csv import_1
$(contact_insert import_1)
INSERT INTO fts_flush (requested) VALUES (1);
SQL
  local n
  n=$(sqlite3 "$DB" "SELECT count(*) FROM contacts WHERE org_id = 1 AND id BETWEEN 1 AND $N_CONTACTS")
  ((n == N_CONTACTS)) || die "contacts 1..$N_CONTACTS: $n rows"

  # The email-reminder instance of organisation 1, on followup.due only.
  SMTP_PORT=$(helper free-port)
  cat >>"$DATA/relance.toml" <<EOF

[outbound]
allow = ["127.0.0.1:$SMTP_PORT"]  # the SMTP sink on loopback: refused otherwise

[[plugins.instance]]
organisation = "Region"
name = "mail"
plugin = "org.relance.email-reminder"
events = ["followup.due"]
settings = { smtp_url = "smtp://127.0.0.1:$SMTP_PORT", from = "Relance <relance@bench.test>", starttls = "no" }
EOF
}

# N_FOLLOWUPS open follow-ups of organisation 1, assigned to the admin, each on a contact,
# due evenly over SPREAD seconds from FIRST_DUE = now + LEAD; one transaction.
insert_followups() {
  FIRST_DUE=$(($(date +%s) + LEAD))
  LAST_DUE_EXPR="$FIRST_DUE + ($N_FOLLOWUPS - 1) * $SPREAD.0 / $N_FOLLOWUPS"
  log "inserting $N_FOLLOWUPS follow-ups due from $(date -u -d "@$FIRST_DUE" +%T) UTC over $SPREAD s"
  local t0 t1
  t0=$(date +%s%N)
  sqlite3 -bail "$DB" >"$WORK/followups.log" 2>&1 <<SQL || { cat "$WORK/followups.log" >&2; die "inserting follow-ups failed"; }
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N_FOLLOWUPS - 1)
INSERT INTO followups (org_id, version, created_at, updated_at, created_by, updated_by,
  contact_id, assignee_id, title, due_at, status, notes)
SELECT 1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 1, 1,
  1 + i % $N_CONTACTS, 1,
  CASE i % 3 WHEN 0 THEN 'Relancer après le salon : proposition n° ' || i
             WHEN 1 THEN 'Envoyer les références clients (dossier ' || i || ')'
             ELSE 'Call back about the term sheet #' || i END,
  strftime('%Y-%m-%dT%H:%M:%fZ', $FIRST_DUE + i * $SPREAD.0 / $N_FOLLOWUPS, 'unixepoch'),
  'open', CASE WHEN i % 4 = 0 THEN 'Préparer la démo ; voir les notes de la réunion.' END
FROM n;
INSERT INTO fts_flush (requested) VALUES (1);
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
  t1=$(date +%s%N)
  read -r FU_N FU_FIRST FU_LAST < <(sqlite3 -separator ' ' "$DB" \
    "SELECT count(*), min(due_at), max(due_at) FROM followups WHERE status = 'open'")
  ((FU_N == N_FOLLOWUPS)) || die "$FU_N follow-ups, not $N_FOLLOWUPS"
  log "follow-ups: $FU_N, due $FU_FIRST .. $FU_LAST; inserted in $(((t1 - t0) / 1000000)) ms"
}

cpu_ticks_of() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

run() {
  local sink_args=(--port "$SMTP_PORT" --out "$WORK/sink.txt" --status "$WORK/sink.status"
    --server "$SINK" --max-seconds $((LEAD + RUN_TIMEOUT + 600)))
  "$PY" "$BENCH/smtp_sink.py" "${sink_args[@]}" 2>"$WORK/sink.log" &
  SINK_PID=$!
  local i
  for ((i = 0; i < 100; i++)); do [[ -s $WORK/sink.status ]] && break; sleep 0.1; done
  [[ -s $WORK/sink.status ]] || { cat "$WORK/sink.log" >&2; die "the SMTP sink did not start"; }
  log "SMTP sink ($SINK) $SINK_PID on 127.0.0.1:$SMTP_PORT"

  start_daemon
  api GET /api/v1/plugin-instances >"$WORK/instances.json"
  grep -q 'org.relance.email-reminder' "$WORK/instances.json" ||
    { cat "$WORK/instances.json" >&2; die "no email-reminder instance"; }
  local margin=$((FIRST_DUE - $(date +%s)))
  ((margin >= 5)) || die "the daemon answered only $margin s before the first due instant: raise LEAD"
  log "first due instant in $margin s; API load: $RATE req/s over $CONNS connections"
  "$PY" "$BENCH/reminders_helper.py" load --port "$PORT" --token "$TOKEN" --out "$WORK/load.txt" --rate "$RATE" \
    --conns "$CONNS" --contacts "$N_CONTACTS" --max-seconds $((LEAD + RUN_TIMEOUT + 60)) \
    2>"$WORK/load.log" &
  LOAD_PID=$!

  # Just before the first due instant: the daemon's threads' CPU so far.
  while (($(date +%s) < FIRST_DUE - 1)); do sleep 0.2; done
  rhelper threads "$DAEMON_PID" >"$WORK/threads_before.txt"
  SINK_TICKS0=$(cpu_ticks_of "$SINK_PID")
  if [[ $PERF == 1 ]]; then
    perf record -F 999 -p "$DAEMON_PID" -o "$WORK/perf.data" -- sleep $((PERF_SECONDS + 1)) \
      >"$WORK/perf-record.log" 2>&1 &
    PERF_PID=$!
  fi

  # Until the sink has N_FOLLOWUPS distinct messages, bounded by RUN_TIMEOUT.
  local msgs=0 uniq=0 conns=0 last_log=0 now
  while :; do
    now=$(date +%s)
    read -r msgs uniq conns <"$WORK/sink.status" || true
    ((uniq >= N_FOLLOWUPS)) && break
    ((now < FIRST_DUE + RUN_TIMEOUT)) || { log "timeout: $uniq of $N_FOLLOWUPS after $RUN_TIMEOUT s"; break; }
    kill -0 "$DAEMON_PID" 2>/dev/null || { tail -20 "$WORK/daemon.log" >&2; die "the daemon died"; }
    if ((now - last_log >= 10)); then
      log "t=$((now - FIRST_DUE)) s: $msgs messages ($uniq distinct, $conns SMTP connections); load $(cut -d' ' -f1 /proc/loadavg)"
      last_log=$now
    fi
    sleep 0.2
  done
  log "t=$(($(date +%s) - FIRST_DUE)) s: $uniq distinct messages; $GRACE s more for late duplicates"
  sleep "$GRACE"
  LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
  rhelper threads "$DAEMON_PID" >"$WORK/threads_after.txt"
  SINK_TICKS=$(($(cpu_ticks_of "$SINK_PID") - SINK_TICKS0))
  stop_pid "$LOAD_PID" "API load"
  LOAD_PID=""
  api GET /api/v1/plugin-instances >"$WORK/instances_after.json" || true
  stop_pid "$PERF_PID" perf INT
  PERF_PID=""
  stop_pid "$SINK_PID" "SMTP sink"
  SINK_PID=""
  stop_daemon
}

profile_report() {
  [[ $PERF == 1 && -s $WORK/perf.data ]] || return 0
  local tidy='/^#/d; /^ *$/d; s/ *$//'
  echo
  echo "perf record -F 999 of the daemon, ${PERF_SECONDS} s from the first due instant (no call graph)"
  echo "-- by thread (tid:name)"
  perf report -i "$WORK/perf.data" --no-children --sort pid --stdio 2>/dev/null | sed "$tidy" | head -12
  echo "-- by thread and shared object"
  perf report -i "$WORK/perf.data" --no-children --sort pid,dso --stdio 2>/dev/null | sed "$tidy" | head -24
  echo "-- top functions"
  perf report -i "$WORK/perf.data" --no-children --sort pid,dso,symbol --stdio 2>/dev/null |
    sed "$tidy" | cut -c1-160 | head -40
}

main() {
  if [[ $DEPS == 1 ]]; then
    "$ROOT/scripts/install-deps.sh" --bench >"$WORK/deps.log" 2>&1 ||
      { tail -20 "$WORK/deps.log" >&2; die "scripts/install-deps.sh --bench failed"; }
  fi
  check_tools
  build
  prepare_data
  insert_followups
  run
  local others
  others=$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 5 { printf "%s%s %s%%", s, $2, $1; s = ", " }')
  rhelper report --db "$DB" --sink "$WORK/sink.txt" --load "$WORK/load.txt" \
    --threads-before "$WORK/threads_before.txt" --threads-after "$WORK/threads_after.txt" \
    --json "$WORK/results.json" --machine "$(nproc) cores, tree ${TREE:-$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')}" \
    --loadavg "$LOADAVG" --sink-kind "$SINK" --rate "$RATE" --conns "$CONNS" \
    --sink-cpu-ticks "$SINK_TICKS" --target-s "$TARGET_S" --target-ms "$TARGET_P99_MS"
  echo "  other processes above 5% CPU at the end: ${others:-none}"
  profile_report
  echo
  echo "figures: $WORK/results.json (KEEP=1 keeps the work directory)"
}

main "$@"
