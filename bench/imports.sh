#!/usr/bin/env bash
# Relance import benchmark: a CSV of 1,000,000 contacts imported through the API with
# deduplication (POST /api/v1/imports, then GET /api/v1/imports/{id} until done), next to
# the sqlite3 shell inserting the same rows into the same schema in one transaction (the
# ceiling, same run, same machine), with the daemon's memory while it imports. See
# bench/README.md ("imports.sh").
#
#   bench/imports.sh                 # full: 1,000,000 rows
#   N=100000 bench/imports.sh        # quick
#   PERF=1 bench/imports.sh          # the import under perf record (all threads): top functions
#
# Settings (environment):
#   N=1000000 (rows)  SEED=7  COMPANIES=3000 (distinct companies in the file)
#   SAMPLE_MS=50 (memory sampling period)  POLL_MS=250 (job status poll period)
#   RUN_TIMEOUT=3600 (s, bound of the import)  BATCH= (imports.batch; empty: the daemon's default)
#   PERF=0  BUILD=1 (0: use the existing build/release)  DEPS=1 (0: skip scripts/install-deps.sh)
#   RELANCE=<binary> (with BUILD=0: the daemon to measure, e.g. two trees' builds back to back)
#   KEEP=0 (1: keep the work directory)  WORK=<dir> (default: a new one under /tmp)
# The daemon listens on 127.0.0.1 only and is stopped on exit; every loop is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

N=${N:-1000000}
SEED=${SEED:-7}
COMPANIES=${COMPANIES:-3000}
SAMPLE_MS=${SAMPLE_MS:-50}
POLL_MS=${POLL_MS:-250}
RUN_TIMEOUT=${RUN_TIMEOUT:-3600}
BATCH=${BATCH:-}
PERF=${PERF:-0}
BUILD=${BUILD:-1}
DEPS=${DEPS:-1}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d /tmp/relance-bench-imports.XXXXXX)}
mkdir -p "$WORK"

# Targets (the issue).
TARGET_RATIO=0.2   # API import rows/s / sqlite3 one-transaction rows/s, at least
TARGET_MEM_MB=200  # daemon memory growth during the import, under

RELANCE=${RELANCE:-"$ROOT/build/release/core/relance"}
DATA="$WORK/data"
DB="$DATA/relance.db"
CEIL_DATA="$WORK/ceiling"
CEIL_DB="$CEIL_DATA/relance.db"
DAEMON_PID="" WATCH_PID="" PERF_PID=""
ADMIN_EMAIL="admin@bench.relance.local"
ADMIN_PASSWORD="bench-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
MAX_BYTES=$((2 << 30))  # server.max_body_bytes and imports.max_bytes: room for the file

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # log, die, helper, build_release, api, stop_pid, settle...


cleanup() {
  local rc=$?
  stop_pid "$PERF_PID" perf INT
  stop_pid "$WATCH_PID" watcher
  stop_pid "$DAEMON_PID" relance
  finish_work "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
  require_tools sqlite3 python3 curl cmake
  ((N >= 100)) || die "N too small"
}

build() { build_release relance; }

init_dir() {  # init_dir DIR: relance init (organisation 1, "Region", and its admin)
  RELANCE_ADMIN_PASSWORD=$ADMIN_PASSWORD "$RELANCE" init --data-dir "$1" \
    --admin-email "$ADMIN_EMAIL" >"$WORK/init-$(basename "$1").log" 2>&1 ||
    { cat "$WORK/init-$(basename "$1").log" >&2; die "relance init $1 failed"; }
}

# ---------------------------------------------------------------------------------------
# The ceiling: sqlite3 inserting the same rows, as stored, in one transaction

# Into a fresh `relance init` database (its schema, triggers: the full-text index and the
# tags table are maintained as for API writes), with the daemon's writer settings (WAL,
# synchronous=FULL, cache_size 32 MiB). The rows are first loaded into temp tables by
# .import (not timed); then, timed by .timer: BEGIN; the companies; the contacts; their
# full-text entries (fts_flush, as the daemon's writer does before it commits); COMMIT.
# Sets CEIL_S (sum of the five statements' real time), CEIL_CPU_S (user + sys).
ceiling() {
  log "ceiling: sqlite3, $N contacts and $COMPANIES companies in one transaction"
  init_dir "$CEIL_DATA"
  local cols="org_id, version, created_at, updated_at, created_by, updated_by"
  local now="'$(date -u +%Y-%m-%dT%H:%M:%S.000Z)'"
  sqlite3 -bail "$CEIL_DB" >"$WORK/ceiling.log" 2>&1 <<SQL || { cat "$WORK/ceiling.log" >&2; die "ceiling failed"; }
PRAGMA synchronous = FULL;
PRAGMA cache_size = -32768;
PRAGMA wal_autocheckpoint = 0;
.import --csv --schema temp $WORK/ceil_companies.csv comp
.import --csv --schema temp $WORK/ceil_contacts.csv rows
SELECT 'first id', coalesce(max(id), 0) FROM companies;
.timer on
BEGIN;
INSERT INTO companies ($cols, name)
  SELECT 1, 1, $now, $now, 1, 1, name FROM temp.comp ORDER BY CAST(idx AS INTEGER);
INSERT INTO contacts ($cols, first_name, last_name, emails, phones, company_id, title, city, country)
  SELECT 1, 1, $now, $now, 1, 1, first_name, last_name, emails, NULLIF(phones, ''),
         (SELECT max(id) FROM companies) - $COMPANIES + CAST(company AS INTEGER),
         NULLIF(title, ''), city, country
  FROM temp.rows ORDER BY rowid;
INSERT INTO fts_flush (requested) VALUES (1);
COMMIT;
.timer off
SELECT 'rows', count(*), (SELECT count(*) FROM companies) FROM contacts;
SQL
  CEIL_S=$(awk '/^Run Time:/ { s += $4 } END { printf "%.3f", s }' "$WORK/ceiling.log")
  CEIL_CPU_S=$(awk '/^Run Time:/ { s += $6 + $8 } END { printf "%.3f", s }' "$WORK/ceiling.log")
  local rows
  rows=$(awk -F'|' '$1 == "rows" { print $2 }' "$WORK/ceiling.log")
  ((rows == N)) || die "the ceiling inserted $rows contacts, not $N (log: $WORK/ceiling.log)"
  CEIL_DB_MB=$(calc "'%.0f' % ($(stat -c %s "$CEIL_DB") / 1048576 + $(stat -c %s "$CEIL_DB-wal" 2>/dev/null || echo 0) / 1048576)")
  log "ceiling: $rows contacts in $CEIL_S s (CPU $CEIL_CPU_S s), $(calc "round($N / $CEIL_S)") rows/s"
}

# ---------------------------------------------------------------------------------------
# The daemon

start_daemon() {
  local port
  port=$(helper free-port)
  BASE_URL="http://127.0.0.1:$port"
  local env=(RELANCE_SERVER_MAX_BODY_BYTES=$MAX_BYTES RELANCE_IMPORTS_MAX_BYTES=$MAX_BYTES)
  [[ -z $BATCH ]] || env+=(RELANCE_IMPORTS_BATCH=$BATCH)
  env "${env[@]}" "$RELANCE" serve --data-dir "$DATA" --listen "127.0.0.1:$port" \
    </dev/null >>"$WORK/daemon.log" 2>&1 &
  DAEMON_PID=$!
  helper wait-http "$BASE_URL/healthz" --timeout 300 --pid "$DAEMON_PID" >/dev/null ||
    { tail -20 "$WORK/daemon.log" >&2; die "the daemon did not answer"; }
  log "daemon $DAEMON_PID on $BASE_URL"
}

# Samples /proc/PID/status every SAMPLE_MS from its start; once the job id appears in the id
# file, polls GET /api/v1/imports/{id} every POLL_MS until the job is done or failed (or the
# deadline), noting when each phase is first seen. Writes a JSON summary.
WATCHER='
import json, sys, time, urllib.request, os
pid, period, poll, base, token, idfile, out, deadline_s = sys.argv[1:9]
period, poll = float(period) / 1000, float(poll) / 1000
deadline = time.monotonic() + float(deadline_s)
keys = ("VmRSS", "RssAnon", "RssFile")
def mem():
    d = {}
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in keys:
                d[k] = int(v.split()[0])
    return d
first = mem()
peak = dict(first)
peak_at = {k: time.time_ns() for k in keys}
phases, status, job, next_poll, n = {}, None, None, 0.0, 0
trace = open(out + ".trace", "w")
while time.monotonic() < deadline:
    try:
        m = mem()
    except OSError:
        break
    n += 1
    for k in keys:
        if m[k] > peak[k]:
            peak[k], peak_at[k] = m[k], time.time_ns()
    if job is None and os.path.exists(idfile) and os.path.getsize(idfile) > 0:
        job = open(idfile).read().strip()
    if job is not None and time.monotonic() >= next_poll:
        next_poll = time.monotonic() + poll
        req = urllib.request.Request(base + "/api/v1/imports/" + job, headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(req, timeout=30) as r:
            status = json.load(r)
        now = time.time_ns()
        key = status["state"] + ("/" + status["phase"] if status.get("phase") else "")
        phases.setdefault(key, now)
        trace.write("%d %s %s %s %s %s\n" % (now, key, status.get("rows_checked"), status.get("rows_read"),
                                          status.get("created"), m["VmRSS"]))
        if status["state"] in ("done", "failed"):
            break
    time.sleep(period)
json.dump({"before": first, "peak": peak, "peak_at": peak_at, "after": mem(), "samples": n,
           "phases": phases, "status": status, "end_ns": phases.get("done") or phases.get("failed")},
          open(out, "w"))
'

jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

run_import() {
  init_dir "$DATA"
  start_daemon
  TOKEN=$(curl -sS --fail-with-body -H "Content-Type: application/json" \
    --data-binary "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" \
    "$BASE_URL/api/v1/auth/login" | helper json-get token)
  [[ -n $TOKEN ]] || die "no token"
  settle "$DAEMON_PID" "the daemon (start-up)"
  local ticks0 ticks1 code up_s
  ticks0=$(cpu_ticks)
  : >"$WORK/job.id"
  python3 -c "$WATCHER" "$DAEMON_PID" "$SAMPLE_MS" "$POLL_MS" "$BASE_URL" "$TOKEN" "$WORK/job.id" \
    "$WORK/watch.json" "$RUN_TIMEOUT" 2>"$WORK/watch.err" &
  WATCH_PID=$!
  sleep 0.3  # the watcher's interpreter is up and has its first sample
  if [[ $PERF == 1 ]]; then
    perf record -F 499 -p "$DAEMON_PID" -o "$WORK/perf.data" >"$WORK/perf-record.log" 2>&1 &
    PERF_PID=$!
    sleep 0.5
  fi
  log "POST /api/v1/imports: $(stat -c %s "$WORK/contacts.csv") bytes"
  T0=$(date +%s%N)
  read -r code up_s < <(curl -sS -o "$WORK/post.json" --max-time "$RUN_TIMEOUT" \
    -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/csv" \
    --data-binary @"$WORK/contacts.csv" "$BASE_URL/api/v1/imports?mode=create-only&filename=contacts.csv" ||
    echo "000 0")
  UPLOAD_S=$up_s
  [[ $code == 202 ]] || { cat "$WORK/post.json" >&2; die "POST /api/v1/imports answered $code"; }
  helper json-get id <"$WORK/post.json" >"$WORK/job.id"
  log "job $(cat "$WORK/job.id") accepted after $UPLOAD_S s; polling"
  wait "$WATCH_PID" || true
  WATCH_PID=""
  ticks1=$(cpu_ticks)
  if [[ -n $PERF_PID ]]; then
    stop_pid "$PERF_PID" perf INT
    PERF_PID=""
  fi
  [[ -s $WORK/watch.json ]] || { cat "$WORK/watch.err" >&2; die "the watcher wrote nothing"; }
  DAEMON_CPU_S=$(calc "'%.2f' % (($ticks1 - $ticks0) / $(getconf CLK_TCK))")
  STATE=$(jget "$WORK/watch.json" 'd["status"]["state"]')
  [[ $STATE == done ]] || die "the import ended $STATE: $(jget "$WORK/watch.json" 'd["status"]')"
  END_NS=$(jget "$WORK/watch.json" 'd["end_ns"]')
  API_S=$(calc "'%.3f' % (($END_NS - $T0) / 1e9)")
  CREATED=$(jget "$WORK/watch.json" 'd["status"]["created"]')
  SKIPPED=$(jget "$WORK/watch.json" 'd["status"]["skipped"]')
  INVALID=$(jget "$WORK/watch.json" 'd["status"]["invalid"]')
  PHASES=$(jget "$WORK/watch.json" '"; ".join("%s at +%.1f s" % (k, (v - '"$T0"') / 1e9) for k, v in sorted(d["phases"].items(), key=lambda kv: kv[1]))')
  sleep 1
  AFTER_RSS=$(status_kb VmRSS) AFTER_ANON=$(status_kb RssAnon)
  ROWS_DB=$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM contacts WHERE org_id = 1")
  COMPANIES_DB=$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM companies WHERE org_id = 1")
  log "import: $CREATED created, $SKIPPED skipped, $INVALID invalid in $API_S s; $ROWS_DB contacts in the database"
  ((CREATED == N && ROWS_DB == N)) ||
    log "warning: $CREATED created and $ROWS_DB contacts in the database, not $N (report: GET /api/v1/imports/{id}/report)"
}

# The same row, as the daemon stored it and as the ceiling did: the columns compared.
compare_rows() {
  local q="SELECT first_name, last_name, emails, phones, (SELECT name FROM companies c WHERE c.id = company_id), title, city, country FROM contacts WHERE org_id = 1 ORDER BY id"
  diff <(sqlite3 "file:$DB?mode=ro" "$q LIMIT 2000") <(sqlite3 "file:$CEIL_DB?mode=ro" "$q LIMIT 2000") \
    >"$WORK/rows.diff" && SAME_ROWS="the first 2,000 rows are identical in both databases" ||
    SAME_ROWS="the first 2,000 rows DIFFER ($(grep -c '^<' "$WORK/rows.diff") lines; $WORK/rows.diff)"
  COLS_API=$(sqlite3 "file:$DB?mode=ro" "SELECT * FROM contacts WHERE org_id = 1 ORDER BY id LIMIT 1")
  COLS_CEIL=$(sqlite3 "file:$CEIL_DB?mode=ro" "SELECT * FROM contacts WHERE org_id = 1 ORDER BY id LIMIT 1")
  EXTRA_API=$(sqlite3 "file:$DB?mode=ro" "SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM outbox)" 2>/dev/null || echo "? ?")
}

profile_report() {
  local tidy='/^#/d; /^ *$/d; s/ *$//'
  perf report -i "$WORK/perf.data" --no-children --sort comm --stdio 2>/dev/null |
    sed "$tidy" | head -8 >"$WORK/perf-comm.txt" || true
  perf report -i "$WORK/perf.data" --no-children --sort dso --stdio 2>/dev/null |
    sed "$tidy" | head -10 >"$WORK/perf-dso.txt" || true
  perf report -i "$WORK/perf.data" --no-children --sort comm,symbol --stdio 2>/dev/null |
    sed "$tidy" | cut -c1-170 | head -40 >"$WORK/perf-sym.txt" || true
}

# ---------------------------------------------------------------------------------------

main() {
  if [[ $DEPS == 1 ]]; then
    "$ROOT/scripts/install-deps.sh" --bench >"$WORK/deps.log" 2>&1 ||
      { tail -20 "$WORK/deps.log" >&2; die "scripts/install-deps.sh --bench failed"; }
  fi
  check_tools
  log "work directory: $WORK; $N rows"
  build
  log "generating $N rows (seed $SEED, $COMPANIES companies)"
  python3 "$BENCH/imports_gen.py" --count "$N" --seed "$SEED" --companies "$COMPANIES" \
    --csv "$WORK/contacts.csv" --ceil-contacts "$WORK/ceil_contacts.csv" \
    --ceil-companies "$WORK/ceil_companies.csv"
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  ceiling
  run_import
  compare_rows
  [[ $PERF != 1 ]] || profile_report

  local w="$WORK/watch.json" api_rate ceil_rate ratio rss anon file
  api_rate=$(calc "round($N / $API_S)")
  ceil_rate=$(calc "round($N / $CEIL_S)")
  ratio=$(calc "'%.3f' % ($CEIL_S / $API_S)")
  rss=$(jget "$w" "'%.1f' % ((d['peak']['VmRSS'] - d['before']['VmRSS']) / 1024)")
  anon=$(jget "$w" "'%.1f' % ((d['peak']['RssAnon'] - d['before']['RssAnon']) / 1024)")
  file=$(jget "$w" "'%.1f' % ((d['peak']['RssFile'] - d['before']['RssFile']) / 1024)")

  cat <<EOF

Relance import benchmark — $(date -u +%FT%TZ), $(nproc) cores, load average $load (before the ceiling)
Tree: $(source_version)
File: $N rows, $(stat -c %s "$WORK/contacts.csv") bytes (generic preset: First Name, Last Name, Email, Phone, Company, Title, City, Country), $COMPANIES companies
API: POST /api/v1/imports?mode=create-only (text/csv, curl --data-binary), deduplication by email, phone, name + company
     ${BATCH:+imports.batch=$BATCH; }memory sampled every $SAMPLE_MS ms from /proc/PID/status, status polled every $POLL_MS ms

ceiling, sqlite3 one transaction (BEGIN; $COMPANIES companies; $N contacts; COMMIT; triggers: FTS, tags):
  $CEIL_S s (CPU $CEIL_CPU_S s), $ceil_rate rows/s; database $CEIL_DB_MB MB
import through the API, from the upload's start to the job seen done:
  $API_S s, $api_rate rows/s; upload (curl, until 202) $UPLOAD_S s; daemon CPU $DAEMON_CPU_S s
  phases: $PHASES
  created $CREATED, skipped $SKIPPED, invalid $INVALID; contacts in the database $ROWS_DB, companies $COMPANIES_DB
  audit entries and outbox events in the daemon's database (the ceiling writes neither): $EXTRA_API
  $SAME_ROWS
speed ratio API / sqlite3: $ratio   target >= $TARGET_RATIO   ratio to the target $(calc "'%.2f' % ($ratio / $TARGET_RATIO)")  $(verdict "$ratio >= $TARGET_RATIO")
daemon memory growth (peak - before the upload):
  VmRSS    +$rss MB ($(jget "$w" "'%.1f -> %.1f MB'% (d['before']['VmRSS']/1024, d['peak']['VmRSS']/1024)"))  target < $TARGET_MEM_MB MB: ratio $(calc "'%.2f' % ($rss / $TARGET_MEM_MB)")  $(verdict "$rss < $TARGET_MEM_MB")
  RssAnon  +$anon MB (the daemon's own memory: heap, stacks)  ratio $(calc "'%.2f' % ($anon / $TARGET_MEM_MB)")  $(verdict "$anon < $TARGET_MEM_MB")
  RssFile  +$file MB (file-backed: the mapped database, the binary)
  after the job (1 s later): VmRSS $((AFTER_RSS / 1024)) MB, RssAnon $((AFTER_ANON / 1024)) MB
EOF
  if [[ $PERF == 1 ]]; then
    echo
    echo "perf record -F 499 of the daemon, from before the upload to the job done (by thread, object, function):"
    sed 's/^/  /' "$WORK/perf-comm.txt"
    echo
    sed 's/^/  /' "$WORK/perf-dso.txt"
    echo
    sed 's/^/  /' "$WORK/perf-sym.txt"
  fi
}

main "$@"
