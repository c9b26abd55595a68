#!/usr/bin/env bash
# Relance core API benchmark: the daemon's throughput and latency on a loaded database,
# next to two ceilings measured in the same run on the same machine (sqlite3 with the same
# durability; nginx serving a body of the same size). See bench/README.md.
#
#   bench/core_api.sh                                   # full: 1,000,000 contacts, 200,000 leads
#   N_CONTACTS=20000 N_LEADS=4000 DURATION=5 bench/core_api.sh     # quick
#
# Settings (environment):
#   N_CONTACTS=1000000  N_LEADS=200000  N_CONTACTS_B=300 (second organisation)
#   DURATION=15 (s per wrk run)  CONNECTIONS=64  THREADS=2  WARMUP=3 (s, unrecorded)
#   GET_ROUNDS=3 (rounds of nginx then GET by id, each DURATION s; the median is judged)
#   LOAD_MODE=auto|api|bulk  LOAD_PROBE_SECONDS=5  LOAD_API_MAX_SECONDS=600
#   CEIL_SINGLE_ROWS=2000  CEIL_BATCH_ROWS=100000
#   BUILD=1 (0: use the existing build/release/core/relance)
#   KEEP=0 (1: keep the work directory)  WORK=<dir> (default: a new one under /tmp)
#   RESULTS=<file> (also copy the figures there, JSON)
# Every server it starts listens on 127.0.0.1 and is stopped on exit; every loop is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

N_CONTACTS=${N_CONTACTS:-1000000}
N_LEADS=${N_LEADS:-200000}
N_CONTACTS_B=${N_CONTACTS_B:-300}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3}
GET_ROUNDS=${GET_ROUNDS:-3}
LOAD_MODE=${LOAD_MODE:-auto}
LOAD_PROBE_SECONDS=${LOAD_PROBE_SECONDS:-5}
LOAD_API_MAX_SECONDS=${LOAD_API_MAX_SECONDS:-600}
CEIL_SINGLE_ROWS=${CEIL_SINGLE_ROWS:-2000}
CEIL_BATCH_ROWS=${CEIL_BATCH_ROWS:-100000}
BUILD=${BUILD:-1}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d /tmp/relance-bench.XXXXXX)}
mkdir -p "$WORK"

RELANCE="$ROOT/build/release/core/relance"
DATA="$WORK/data"
DB="$DATA/relance.db"
RESULTS_JSON="$WORK/results.json"
DAEMON_PID="" NGINX_PID="" NGINX_PORT="" WRK_PID="" MEMW_PID=""
ADMIN_EMAIL="admin@bench.relance.local"
ADMIN_PASSWORD="bench-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
USER_PASSWORD="bench-user-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

# The wrk scripts find their shared code, the word lists and their settings here.
export BENCH_LUA_DIR="$BENCH/lua" BENCH_NAMES_LUA="$WORK/names.lua" BENCH_THREADS="$THREADS"

# ---------------------------------------------------------------------------------------
# Small tools

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # log, die, helper, build_release, api, stop_pid, settle...

# Stops a process we started: SIGTERM (the daemon drains, nginx exits), then SIGKILL after
# a bounded wait. Works for children and for the daemon that helper.py started for us.

cleanup() {
  local rc=$?
  stop_pid "$WRK_PID" wrk
  stop_pid "$MEMW_PID" mem-watch
  stop_pid "$DAEMON_PID" relance
  stop_pid "$NGINX_PID" nginx
  finish_work "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
  require_tools wrk sqlite3 nginx python3 curl cmake
  ((N_CONTACTS >= 100 && N_LEADS >= 1 && N_CONTACTS_B >= 1)) || die "sizes too small"
  ((GET_ROUNDS >= 1)) || die "GET_ROUNDS must be at least 1"
}

# The release preset (RelWithDebInfo, -O2), as scripts/serve.sh builds it.
build_daemon() {
  build_release relance
}

# ---------------------------------------------------------------------------------------
# The daemon (start_daemon, setup_organisations and contact_id_range are in lib.sh)

mem_status() { helper mem "$DAEMON_PID"; }

# ---------------------------------------------------------------------------------------
# wrk (run_loader is in lib.sh)

# run_wrk NAME LUA TOKEN [VAR=VALUE...]: one measured run with the common settings. The Lua
# script builds the requests; its done() prints the BENCH_RESULT line recorded under NAME.
run_wrk() {
  local name=$1 lua=$2 token=$3 out="$WORK/wrk-$1.txt"
  shift 3
  env "$@" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WRK_DURATION:-$DURATION}s" --timeout 10s \
    --latency -s "$BENCH/lua/$lua" -H "Authorization: Bearer $token" "${WRK_URL:-$BASE_URL}/" \
    >"$out" 2>&1 || { cat "$out" >&2; die "wrk $name failed"; }
  record "$name" --wrk "$out" >/dev/null || { cat "$out" >&2; die "wrk $name reported no result"; }
  # wrk's own summary, for the log: requests/s, and the latency distribution.
  grep -E "Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors" "$out" | sed "s/^/  $name: /" >&2 ||
    true
}

# ---------------------------------------------------------------------------------------
# Loading the data set

# Through the API (what a real instance goes through): the rows, their audit entries and
# events, all validated and committed by the daemon.
load_through_api() {
  local remaining=$1 lo hi
  if ((remaining > 0)); then
    run_loader contacts_a create_contact.lua "$TOKEN_A" "$remaining" "$LOAD_MAX_S"
    log "API: $LOADED more contacts for A in $LOADED_MS ms"
  fi
  read -r lo hi < <(contact_id_range)
  run_loader leads_a create_lead.lua "$TOKEN_A" "$N_LEADS" "$LOAD_MAX_S" \
    BENCH_ID_LO="$lo" BENCH_ID_HI="$hi"
  log "API: $LOADED leads for A in $LOADED_MS ms"
  run_loader contacts_b create_contact.lua "$TOKEN_B" "$N_CONTACTS_B" "$LOAD_MAX_S"
  log "API: $LOADED contacts for B in $LOADED_MS ms"
  stop_daemon
}

# History rows the daemon writes with every create (an audit entry and an outbox event), so
# a bulk-loaded database has the size and shape of one filled through the API.
history_sql() {  # ENTITY TYPE DATA_JSON_EXPR CHANGES_JSON_EXPR (t: the new row)
  cat <<SQL
INSERT INTO audit_log (org_id, user_id, at, action, entity, entity_id, changes)
  SELECT t.org_id, t.created_by, t.created_at, 'create', '$1', t.id, $4
  FROM $1 t WHERE t.id > (SELECT n FROM temp.bench_mark);
INSERT INTO outbox (org_id, at, type, entity, entity_id, payload)
  SELECT t.org_id, t.created_at, '$2', '$1', t.id,
         json_object('schema', 'relance.event/1', 'type', '$2', 'org_id', t.org_id,
                     'entity', '$1', 'entity_id', t.id, 'actor_id', t.created_by,
                     'occurred_at', t.created_at, 'data', $3)
  FROM $1 t WHERE t.id > (SELECT n FROM temp.bench_mark);
SQL
}

# sqlite3 straight into the daemon's database (stopped), same schema: the triggers keep the
# tags table and queue the FTS entries, which fts_flush writes before the commit, as for API
# writes. Rows come from helper.py as
# CSV, already normalised as the daemon stores them.
load_with_sqlite() {
  local remaining=$1
  stop_daemon
  helper contacts-csv --org "$ORG_A" --user "$USER_A" --count "$remaining" --seed 11 \
    >"$WORK/contacts_a.csv"
  helper contacts-csv --org "$ORG_B" --user "$USER_B" --count "$N_CONTACTS_B" --seed 12 \
    >"$WORK/contacts_b.csv"
  local contact_data contact_changes lead_data lead_changes
  contact_data="json_object('id', t.id, 'org_id', t.org_id, 'first_name', t.first_name,
    'last_name', t.last_name, 'emails', json(t.emails), 'phones', json(t.phones),
    'company_id', NULL, 'title', t.title, 'city', t.city, 'country', t.country,
    'linkedin_url', NULL, 'tags', json(t.tags), 'notes', t.notes, 'met_at', t.met_at,
    'met_where', t.met_where, 'source_event_id', NULL, 'lawful_basis', t.lawful_basis,
    'consent_at', NULL, 'consent_note', NULL, 'version', 1, 'created_at', t.created_at,
    'updated_at', t.updated_at, 'created_by', t.created_by, 'updated_by', t.updated_by)"
  contact_changes="json_object('first_name', json_array(NULL, t.first_name),
    'last_name', json_array(NULL, t.last_name), 'emails', json_array(NULL, json(t.emails)),
    'city', json_array(NULL, t.city), 'country', json_array(NULL, t.country),
    'tags', json_array(NULL, json(t.tags)), 'met_at', json_array(NULL, t.met_at))"
  lead_data="json_object('id', t.id, 'org_id', t.org_id, 'title', t.title,
    'contact_id', t.contact_id, 'owner_id', t.owner_id, 'stage', t.stage,
    'value', t.value, 'currency', t.currency, 'expected_close', t.expected_close,
    'shared_with_region', json(CASE t.shared_with_region WHEN 1 THEN 'true' ELSE 'false' END),
    'tags', json(t.tags), 'notes', t.notes, 'version', 1, 'created_at', t.created_at,
    'updated_at', t.updated_at, 'created_by', t.created_by, 'updated_by', t.updated_by)"
  lead_changes="json_object('title', json_array(NULL, t.title),
    'contact_id', json_array(NULL, t.contact_id), 'stage', json_array(NULL, t.stage))"
  # One transaction per batch of rows; synchronous=OFF because this is a one-off load of a
  # scratch database (the measurements afterwards run at the daemon's FULL).
  sqlite3 -bail "$DB" >"$WORK/bulk.log" 2>&1 <<SQL || { cat "$WORK/bulk.log" >&2; die "bulk load failed"; }
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
.import --csv --schema temp $WORK/contacts_a.csv import_a
.import --csv --schema temp $WORK/contacts_b.csv import_b
BEGIN;
CREATE TEMP TABLE bench_mark AS SELECT coalesce(max(id), 0) AS n FROM contacts;
$(contact_insert import_a)
$(contact_insert import_b)
INSERT INTO fts_flush (requested) VALUES (1);
$(history_sql contacts contact.created "$contact_data" "$contact_changes")
COMMIT;
SQL
  # Leads refer to A's contacts by index; A's ids are contiguous (checked here).
  local lo n hi
  read -r lo hi n < <(sqlite3 -separator ' ' "$DB" \
    "SELECT min(id), max(id), count(*) FROM contacts WHERE org_id = $ORG_A")
  ((hi - lo + 1 == n)) || die "organisation A's contact ids are not contiguous"
  helper leads-csv --org "$ORG_A" --user "$USER_A" --count "$N_LEADS" --contacts "$n" --seed 13 \
    >"$WORK/leads_a.csv"
  sqlite3 -bail "$DB" >>"$WORK/bulk.log" 2>&1 <<SQL || { cat "$WORK/bulk.log" >&2; die "bulk load of leads failed"; }
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
.import --csv --schema temp $WORK/leads_a.csv import_leads
BEGIN;
CREATE TEMP TABLE bench_mark AS SELECT coalesce(max(id), 0) AS n FROM leads;
INSERT INTO leads (version, org_id, created_at, updated_at, created_by, updated_by, title,
                   contact_id, owner_id, stage, value, currency, expected_close,
                   shared_with_region, tags, notes)
  SELECT 1, CAST(org_id AS INTEGER), created_at, updated_at, CAST(created_by AS INTEGER),
         CAST(updated_by AS INTEGER), title, $lo + CAST(contact_index AS INTEGER),
         CAST(owner_id AS INTEGER), stage, CAST(NULLIF(value, '') AS INTEGER),
         NULLIF(currency, ''), expected_close, CAST(shared_with_region AS INTEGER),
         NULLIF(tags, ''), NULLIF(notes, '')
  FROM temp.import_leads ORDER BY rowid;
INSERT INTO fts_flush (requested) VALUES (1);
$(history_sql leads lead.created "$lead_data" "$lead_changes")
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
  rm -f "$WORK"/contacts_?.csv "$WORK/leads_a.csv"
}

# Loads the data set, through the API when that is fast enough (measured on a probe of
# LOAD_PROBE_SECONDS), otherwise with sqlite3. Leaves the daemon stopped.
load_data() {
  local created ms rate remaining est mode
  log "probe: creating contacts through the API for ${LOAD_PROBE_SECONDS} s"
  run_loader probe create_contact.lua "$TOKEN_A" "$N_CONTACTS" "$LOAD_PROBE_SECONDS"
  ms=$LOADED_MS
  # Count what the database holds, not the 201s wrk saw: when the probe's time runs out,
  # requests in flight are committed but their responses never read.
  local lo hi
  read -r lo hi < <(contact_id_range)
  created=$((hi - lo + 1))
  rate=$((created * 1000 / (ms > 0 ? ms : 1)))
  ((rate > 0)) || die "the probe created no contact (see $WORK/wrk-load-probe.txt)"
  remaining=$((N_CONTACTS > created ? N_CONTACTS - created : 0))
  est=$(((remaining + N_LEADS + N_CONTACTS_B) / rate))
  record load_api_rate --value "$rate"
  log "API load rate: $rate creates/s; the rest would take about $est s through the API"
  mode=$LOAD_MODE
  if [[ $mode == auto ]]; then
    if ((est <= LOAD_API_MAX_SECONDS)); then mode=api; else mode=bulk; fi
  fi
  LOAD_MAX_S=$((est * 3 + 60))  # a bound for each API loader, never the expected time
  local t0
  t0=$(now_ns)
  case $mode in
    api) LOAD_HOW="through the API (wrk, $CONNECTIONS connections, $rate creates/s)"
         load_through_api "$remaining" ;;
    bulk) LOAD_HOW="$created contacts through the API ($rate creates/s: the rest would take ~${est} s$([[ $LOAD_MODE == bulk ]] && echo ', LOAD_MODE=bulk')), the rest with sqlite3 into the same schema (triggers keep FTS and tags; audit and outbox rows added)"
          load_with_sqlite "$remaining" ;;
    *) die "LOAD_MODE must be auto, api or bulk" ;;
  esac
  record load_mode --value "$mode"
  record load_seconds --value "$((($(now_ns) - t0) / 1000000000))"
}

# What is in the database now (daemon stopped), and how long its integrity check takes:
# `relance serve` runs PRAGMA quick_check before it answers, so start-up includes it.
describe_data() {
  local t0 t1
  sqlite3 -separator ' ' "$DB" "
    SELECT 'contacts A', count(*) FROM contacts WHERE org_id = $ORG_A;
    SELECT 'contacts B', count(*) FROM contacts WHERE org_id = $ORG_B;
    SELECT 'leads A', count(*) FROM leads WHERE org_id = $ORG_A;
    SELECT 'leads A at meeting', count(*) FROM leads WHERE org_id = $ORG_A AND stage = 'meeting';
    SELECT 'tag rows', count(*) FROM tags;
    SELECT 'audit entries', count(*) FROM audit_log;
    SELECT 'outbox events', count(*) FROM outbox;" | sed 's/^/  /' >&2
  log "database: $(($(stat -c %s "$DB") / 1048576)) MB ($DB)"
  record database_bytes --value "$(stat -c %s "$DB")"
  t0=$(now_ns)
  sqlite3 "$DB" "PRAGMA quick_check" >/dev/null
  t1=$(now_ns)
  record quick_check_ms --value "$(((t1 - t0) / 1000000))"
}

# ---------------------------------------------------------------------------------------
# Measurements

measure_api() {
  local lo hi
  read -r lo hi < <(contact_id_range)
  log "contacts of A: ids $lo..$hi"
  settle "$DAEMON_PID" "the daemon (start-up check of the database)"  # steady state only
  if ((WARMUP > 0)); then  # first touches of the readers' caches, not recorded
    WRK_DURATION=$WARMUP run_wrk warmup get_contact.lua "$TOKEN_A" \
      BENCH_ID_LO="$lo" BENCH_ID_HI="$hi" 2>/dev/null
  fi
  # A contact as the API returns it: nginx serves a body of this size.
  TOKEN=$TOKEN_A api GET "/api/v1/contacts/$lo" >"$WORK/contact.json"
  record contact_body_bytes --value "$(stat -c %s "$WORK/contact.json")"
  # The GET and its ceiling in alternating rounds: this machine's speed drifts by 10-20%
  # from one minute to the next (nginx alone measured 109,000 and 135,000 req/s in two
  # runs), so a ceiling measured minutes apart from the GET says little about their ratio.
  start_nginx
  local r
  for ((r = 1; r <= GET_ROUNDS; r++)); do
    log "(a) round $r of $GET_ROUNDS: nginx (ceiling), then GET /api/v1/contacts/{id}"
    WRK_URL="http://127.0.0.1:$NGINX_PORT/contact" run_wrk "nginx_$r" fixed_get.lua "$TOKEN_A"
    run_wrk "get_contact_$r" get_contact.lua "$TOKEN_A" BENCH_ID_LO="$lo" BENCH_ID_HI="$hi"
  done
  stop_pid "$NGINX_PID" nginx
  NGINX_PID=""
  log "(c) GET /api/v1/leads?stage=meeting&limit=50"
  run_wrk list_leads_stage list_leads_stage.lua "$TOKEN_A"
  log "(c) GET /api/v1/contacts?tag=...&limit=50"
  run_wrk list_contacts_tag list_contacts_tag.lua "$TOKEN_A"
  log "(d) GET /api/v1/contacts?q=...&limit=50"
  run_wrk search_contacts search_contacts.lua "$TOKEN_A"
  # Writes last, so that every read ran on the data set as loaded.
  log "(b) POST /api/v1/contacts (acknowledged after commit, synchronous=FULL)"
  run_wrk post_contact create_contact.lua "$TOKEN_A"
}

# nginx-light on a free loopback port, 2 workers, no access log, answering the contact's
# body from memory: what this machine's loopback HTTP stack allows with the same wrk.
# Sets NGINX_PID and NGINX_PORT.
start_nginx() {
  local dir="$WORK/nginx"
  mkdir -p "$dir"
  NGINX_PORT=$(helper free-port)
  helper nginx-conf --port "$NGINX_PORT" --body-file "$WORK/contact.json" --dir "$dir" \
    >"$dir/nginx.conf"
  nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" &
  NGINX_PID=$!
  helper wait-http "http://127.0.0.1:$NGINX_PORT/contact" --timeout 20 --pid "$NGINX_PID" >/dev/null ||
    { cat "$dir/error.log" >&2; die "nginx did not start"; }
  local size
  size=$(curl -sS "http://127.0.0.1:$NGINX_PORT/contact" | wc -c)
  log "nginx $NGINX_PID on 127.0.0.1:$NGINX_PORT, body $size bytes (contact: $(stat -c %s "$WORK/contact.json"))"
}

# sqlite3 inserting the same kind of contact rows into a fresh database with the daemon's
# schema (relance migrate) and its writer's settings: WAL, synchronous=FULL, no
# autocheckpoint. Two ceilings: one row per transaction (one fsync each: what a daemon
# without group commit would do) and every row in one transaction (pure engine cost).
ceiling_sqlite() {
  local dir="$WORK/ceiling" t0 t1
  mkdir -p "$dir"
  "$RELANCE" migrate --data-dir "$dir" >/dev/null
  local pragmas="PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;"
  { echo "$pragmas"
    helper contacts-sql --org 1 --user 1 --count "$CEIL_SINGLE_ROWS" --seed 21
  } >"$dir/single.sql"
  t0=$(now_ns)
  sqlite3 -bail "$dir/relance.db" <"$dir/single.sql" >/dev/null
  t1=$(now_ns)
  record sqlite_one_per_txn_rps --value "$((CEIL_SINGLE_ROWS * 1000000000 / (t1 - t0)))"
  helper contacts-csv --org 1 --user 1 --count "$CEIL_BATCH_ROWS" --seed 22 >"$dir/batch.csv"
  # The import into a temp table is not timed; BEGIN, the INSERT (triggers included), the
  # full-text entries (fts_flush) and the COMMIT (its fsyncs included) are, by sqlite3's
  # .timer.
  sqlite3 -bail "$dir/relance.db" >"$dir/batch.out" <<SQL
$pragmas
.import --csv --schema temp $dir/batch.csv b
.timer on
BEGIN;
$(contact_insert b)
INSERT INTO fts_flush (requested) VALUES (1);
COMMIT;
SQL
  local secs
  secs=$(awk '/^Run Time: real/ { s += $4 } END { printf "%.6f", s }' "$dir/batch.out")
  record sqlite_one_txn_rps --value "$(python3 -c "print(round($CEIL_BATCH_ROWS / max($secs, 1e-6)))")"
  log "sqlite3: one row per transaction $(helper json-get sqlite_one_per_txn_rps <"$RESULTS_JSON") rows/s; all in one transaction $(helper json-get sqlite_one_txn_rps <"$RESULTS_JSON") rows/s"
}

# ---------------------------------------------------------------------------------------

main() {
  check_tools
  log "work directory: $WORK; $N_CONTACTS contacts, $N_LEADS leads (+$N_CONTACTS_B in a second organisation); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
  build_daemon
  helper names-lua >"$BENCH_NAMES_LUA"
  echo '{}' >"$RESULTS_JSON"

  start_daemon
  setup_organisations
  load_data
  describe_data

  start_daemon  # timed: on the loaded database
  record startup_ms --value "$STARTUP_MS"
  record mem_after_load --json "$(mem_status)"
  # The peak matters more than a snapshot: caches fill and requests allocate while loaded.
  helper mem-watch "$DAEMON_PID" --out "$WORK/mem-peak.json" --max-seconds 3600 &
  MEMW_PID=$!
  measure_api
  record mem_after_bench --json "$(mem_status)"
  stop_pid "$MEMW_PID" mem-watch
  MEMW_PID=""
  record mem_peak --json "$(cat "$WORK/mem-peak.json" 2>/dev/null || echo '{}')"
  stop_daemon

  ceiling_sqlite

  [[ -z ${RESULTS:-} ]] || cp "$RESULTS_JSON" "$RESULTS"
  cat <<EOF

Relance core API benchmark — $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)
Tree: $(source_version)
Data: $N_CONTACTS contacts + $N_LEADS leads in organisation A, $N_CONTACTS_B contacts in B
Loaded: $LOAD_HOW
wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION} s per run ($GET_ROUNDS rounds of nginx then GET by id), loopback; contact body $(helper json-get contact_body_bytes <"$RESULTS_JSON") bytes

EOF
  helper report "$RESULTS_JSON"
}

main "$@"
