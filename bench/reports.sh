#!/usr/bin/env bash
# Relance region reports benchmark: every report of /api/v1/reports/, JSON, as region staff
# and as a start-up's member, with 16 concurrent clients and filters that vary from one
# request to the next, on a mission of 30 start-ups; each beside its ceiling, measured in
# the same run on the same file: the report's own SQL statements run by the sqlite3 shell,
# over the same mix of filters. See bench/README.md.
#
#   bench/reports.sh                                    # full: 1,000,000 contacts, 200,000 leads, 20,000 outcomes
#   N_CONTACTS=50000 DURATION=5 bench/reports.sh        # quick
#
# Settings (environment):
#   N_CONTACTS=1000000 (leads N/5, outcomes N/50)
#   LOAD=demo (relance demo --scale N_CONTACTS) | gen (bench/reports_gen.py; N_LEADS, N_OUTCOMES, STARTUPS=30)
#   DURATION=15 (s per wrk run)  CONNECTIONS=16  THREADS=2  WARMUP=2 (s, unrecorded)
#   REPORTS="funnel outcomes followup-discipline stale mission-summary"  ROLES="staff member"
#   CEIL_QUERIES=40 (filter sets timed by sqlite3 per report)  TARGET_P95_MS=100
#   DEMO_DIR=<dir> (a demo made before, e.g. by bench/web.sh: DIR/data and DIR/demo.txt, used
#     in place; its database is opened by the daemon, which only adds sessions to it)
#   BUILD=1 (0: use the existing build/release/core/relance)
#   KEEP=0 (1: keep the work directory)  WORK=<dir>  RESULTS=<file> (copy of the figures, JSON)
# Every server it starts listens on 127.0.0.1 and is stopped on exit; every loop is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

N_CONTACTS=${N_CONTACTS:-1000000}
N_LEADS=${N_LEADS:-$((N_CONTACTS / 5))}
N_OUTCOMES=${N_OUTCOMES:-$((N_CONTACTS / 50))}
STARTUPS=${STARTUPS:-30}
LOAD=${LOAD:-demo}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2}
REPORTS=${REPORTS:-funnel outcomes followup-discipline stale mission-summary}
ROLES=${ROLES:-staff member}
CEIL_QUERIES=${CEIL_QUERIES:-40}
TARGET_P95_MS=${TARGET_P95_MS:-100}
BUILD=${BUILD:-1}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d /tmp/relance-bench-reports.XXXXXX)}
mkdir -p "$WORK"

RELANCE="$ROOT/build/release/core/relance"
DEMO_DIR=${DEMO_DIR:-}
DATA="${DEMO_DIR:-$WORK}/data"
DB="$DATA/relance.db"
RESULTS_JSON="$WORK/results.json"
DAEMON_PID="" WRK_PID=""
ADMIN_EMAIL="admin@bench.relance.local"
ADMIN_PASSWORD="bench-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
USER_PASSWORD="bench-user-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

export BENCH_LUA_DIR="$BENCH/lua" BENCH_THREADS="$THREADS"

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # log, die, helper, build_release, api, login, stop_pid, settle...

cleanup() {
  local rc=$?
  stop_pid "$WRK_PID" wrk
  stop_pid "$DAEMON_PID" relance
  finish_work "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
  require_tools wrk sqlite3 python3 curl cmake
  ((N_CONTACTS >= 100 && STARTUPS >= 2 && CEIL_QUERIES >= 1)) || die "sizes too small"
}

# ---------------------------------------------------------------------------------------
# The mission: the region (organisation of `relance serve`'s first admin), a staff member,
# STARTUPS start-ups with a member each; then, daemon stopped, the data.

setup_mission() {
  local admin orgs="" i id uid
  admin=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
  REGION_ID=$(TOKEN=$admin api GET /api/v1/me | helper json-get org_id)
  REGION_USER=$(TOKEN=$admin api GET /api/v1/me | helper json-get id)
  TOKEN=$admin api POST /api/v1/users "{\"email\":\"staff@region.bench.local\",\"password\":\"$USER_PASSWORD\",\"role\":\"staff\",\"org_id\":$REGION_ID,\"display_name\":\"Chargée de mission\"}" >/dev/null
  for ((i = 1; i <= STARTUPS; i++)); do
    id=$(TOKEN=$admin api POST /api/v1/organisations "{\"name\":\"Start-up n°$i – Éclair\"}" | helper json-get id)
    uid=$(TOKEN=$admin api POST /api/v1/users \
      "{\"email\":\"member@s$i.bench.local\",\"password\":\"$USER_PASSWORD\",\"role\":\"member\",\"org_id\":$id,\"display_name\":\"Membre $i\"}" |
      helper json-get id)
    orgs+="${orgs:+,}$id:$uid"
    ((i == 1)) && MEMBER_ORG=$id
  done
  ORGS=$orgs
  log "region $REGION_ID; $STARTUPS start-ups ($ORGS)"
}

load_data() {
  local t0
  stop_daemon
  t0=$(now_ns)
  helper_gen "$DB" --orgs "$ORGS" --region "$REGION_ID" --region-user "$REGION_USER" \
    --contacts "$N_CONTACTS" --leads "$N_LEADS" --outcomes "$N_OUTCOMES" 2>>"$WORK/load.log" ||
    { cat "$WORK/load.log" >&2; die "loading the mission failed"; }
  record load_seconds --value "$((($(now_ns) - t0) / 1000000000))"
  LOAD_HOW="bench/reports_gen.py ($(tail -1 "$WORK/load.log"))"
  log "loaded: $(tail -1 "$WORK/load.log")"
}
helper_gen() { python3 "$BENCH/reports_gen.py" "$@"; }

# The mission as `relance demo --scale N` writes it (30 start-ups, N contacts, N/5 leads,
# N/50 outcomes, through the services' own write steps), seeded so that a run can be
# repeated. Sets the logins: the region staff member and a founder it prints.
load_demo() {
  local t0
  t0=$(now_ns)
  if [[ -n $DEMO_DIR ]]; then
    cp "$DEMO_DIR/demo.txt" "$WORK/demo.txt"
  else
    "$RELANCE" demo --data-dir "$DATA" --scale "$N_CONTACTS" --seed 2026 >"$WORK/demo.txt" 2>"$WORK/load.log" ||
      { tail -20 "$WORK/load.log" >&2; die "relance demo failed"; }
  fi
  record load_seconds --value "$((($(now_ns) - t0) / 1000000000))"
  read -r STAFF_EMAIL STAFF_PASSWORD < <(awk '/region staff/ { for (i = 1; i < NF; i++) if ($i == "password:") print $(i - 1), $(i + 1) }' "$WORK/demo.txt")
  read -r MEMBER_EMAIL MEMBER_PASSWORD < <(awk '/founder of/ { for (i = 1; i < NF; i++) if ($i == "password:") { print $(i - 1), $(i + 1); exit } }' "$WORK/demo.txt")
  [[ -n ${STAFF_PASSWORD:-} && -n ${MEMBER_PASSWORD:-} ]] || { cat "$WORK/demo.txt" >&2; die "no logins in relance demo's output"; }
  LOAD_HOW="relance demo --scale $N_CONTACTS --seed 2026 ($(grep -m1 contacts "$WORK/demo.txt" | sed 's/^ *//'))"
  log "loaded: $LOAD_HOW"
}

describe_data() {
  sqlite3 -separator ' ' "$DB" "
    SELECT 'contacts', count(*) FROM contacts; SELECT 'leads', count(*) FROM leads;
    SELECT 'activities', count(*) FROM activities; SELECT 'stage changes', count(*) FROM activities WHERE kind = 'stage-change';
    SELECT 'follow-ups', count(*) FROM followups; SELECT 'outcomes', count(*) FROM outcomes;
    SELECT 'companies', count(*) FROM companies; SELECT 'events', count(*) FROM events;" | sed 's/^/  /' >&2
  log "database: $(($(stat -c %s "$DB") / 1048576)) MB ($DB)"
  record database_bytes --value "$(stat -c %s "$DB")"
}

# The filter values the requests draw from (bench/lua/report.lua), as the role may use them:
# a member filters by the region's missions and their own events and companies.
# Written as Lua for wrk and as JSON for the ceiling (bench/reports_ceiling.py).
write_filters() {  # ROLE: writes $WORK/filters-ROLE.lua and .json
  python3 - "$DB" "$1" "$MEMBER_ORG" "$REGION_ID" "$WORK/filters-$1.json" >"$WORK/filters-$1.lua" <<'PY'
import json, sqlite3, sys
db, role, member_org, region = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
c = sqlite3.connect(db)
own = f" AND org_id IN ({region}, {member_org})" if role == "member" else ""
own_c = f" AND org_id = {member_org}" if role == "member" else ""
q = lambda sql: [r[0] for r in c.execute(sql)]
f = {
    "events": q("SELECT id FROM events WHERE 1" + own),
    "orgs": q(f"SELECT DISTINCT org_id FROM leads"),
    "sectors": q("SELECT DISTINCT sector FROM companies WHERE sector IS NOT NULL" + own_c),
    "partners": q("SELECT id FROM companies WHERE 1" + own_c + " ORDER BY id LIMIT 300"),
    "days": q("SELECT DISTINCT substr(created_at, 1, 10) d FROM leads ORDER BY d"),
}
lua = lambda v: '"%s"' % v.replace("\\", "\\\\").replace('"', '\\"') if isinstance(v, str) else str(v)
print("FILTERS = {")
for k, vs in f.items():
    print("  %s = {%s}," % (k, ", ".join(lua(v) for v in vs)))
print("}")
json.dump(f, open(sys.argv[5], "w"), ensure_ascii=False)
PY
}

# ---------------------------------------------------------------------------------------
# wrk

run_wrk() {  # NAME REPORT ROLE TOKEN
  local name=$1 out="$WORK/wrk-$1.txt"
  env BENCH_REPORT="$2" BENCH_AS="$3" BENCH_FILTERS_LUA="$WORK/filters-$3.lua" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WRK_DURATION:-$DURATION}s" --timeout 30s --latency \
    -s "$BENCH/lua/report.lua" -H "Authorization: Bearer $4" "$BASE_URL/" >"$out" 2>&1 ||
    { cat "$out" >&2; die "wrk $name failed"; }
  [[ -n ${WRK_DURATION:-} ]] && return 0  # a warm-up: not recorded
  record "$name" --wrk "$out" >/dev/null || { cat "$out" >&2; die "wrk $name reported no result"; }
  grep -E "Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors|bench: HTTP" "$out" | sed "s/^/  $name: /" >&2 || true
}

measure_reports() {
  local report role token
  settle "$DAEMON_PID" "the daemon (start-up check of the database)"
  for role in $ROLES; do
    write_filters "$role"
  done
  for report in $REPORTS; do
    for role in $ROLES; do
      token=$TOKEN_STAFF
      [[ $role == member ]] && token=$TOKEN_MEMBER
      TOKEN=$token api GET "/api/v1/reports/$report" >"$WORK/answer-$report-$role.json"
      log "$report as $role: GET /api/v1/reports/$report, $CONNECTIONS connections"
      ((WARMUP > 0)) && WRK_DURATION=$WARMUP run_wrk "warmup" "$report" "$role" "$token"
      run_wrk "report_${report}_$role" "$report" "$role" "$token"
    done
  done
}

# ---------------------------------------------------------------------------------------
# The ceiling: for each report, the SQL statements the daemon runs for it
# (bench/reports_ceiling.py, the text of storage/sqlite/report_queries.cpp), with the same
# mix of filters as the requests, by the sqlite3 shell on the same file (daemon stopped),
# timed by .timer: milliseconds per report, one client, no HTTP, no JSON.
ceiling_sqlite() {
  local report secs
  for report in $REPORTS; do
    python3 "$BENCH/reports_ceiling.py" "$report" --filters "$WORK/filters-staff.json" \
      --count "$CEIL_QUERIES" >"$WORK/ceiling-$report.sql"
    sqlite3 -bail "$DB" <"$WORK/ceiling-$report.sql" >"$WORK/ceiling-$report.out" 2>&1 ||
      { tail -5 "$WORK/ceiling-$report.out" >&2; die "the ceiling of $report failed"; }
    secs=$(awk '/^Run Time: real/ { s += $4 } END { printf "%.6f", s }' "$WORK/ceiling-$report.out")
    record "ceiling_${report}_ms" --value "$(python3 -c "print(round($secs * 1000 / $CEIL_QUERIES, 3))")"
    log "sqlite3 ceiling of $report: $(helper json-get "ceiling_${report}_ms" <"$RESULTS_JSON") ms per report"
  done
}

# ---------------------------------------------------------------------------------------

main() {
  check_tools
  log "work directory: $WORK; $N_CONTACTS contacts (LOAD=$LOAD); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
  build_release relance
  echo '{}' >"$RESULTS_JSON"

  if [[ $LOAD == demo ]]; then
    load_demo
  else
    start_daemon
    setup_mission
    load_data
    STAFF_EMAIL=staff@region.bench.local STAFF_PASSWORD=$USER_PASSWORD
    MEMBER_EMAIL=member@s1.bench.local MEMBER_PASSWORD=$USER_PASSWORD
  fi
  describe_data

  start_daemon
  record startup_ms --value "$STARTUP_MS"
  TOKEN_STAFF=$(login "$STAFF_EMAIL" "$STAFF_PASSWORD")
  TOKEN_MEMBER=$(login "$MEMBER_EMAIL" "$MEMBER_PASSWORD")
  REGION_ID=$(TOKEN=$TOKEN_STAFF api GET /api/v1/me | helper json-get org_id)
  MEMBER_ORG=$(TOKEN=$TOKEN_MEMBER api GET /api/v1/me | helper json-get org_id)
  measure_reports
  stop_daemon

  ceiling_sqlite

  [[ -z ${RESULTS:-} ]] || cp "$RESULTS_JSON" "$RESULTS"
  cat <<EOF

Relance region reports benchmark — $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)
Tree: $(source_version)
Data: $N_CONTACTS contacts; loaded by $LOAD_HOW
wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION} s per report and role, filters varied per request

EOF
  python3 "$BENCH/reports_ceiling.py" --report "$RESULTS_JSON" --target-ms "$TARGET_P95_MS" \
    --reports "$REPORTS" --roles "$ROLES"
}

main "$@"
