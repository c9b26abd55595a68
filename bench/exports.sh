#!/usr/bin/env bash
# Relance export benchmark: 1,000,000 contacts exported to CSV through the API, next to the
# sqlite3 shell writing the same rows and columns as CSV (the ceiling, same run, same
# machine), with the daemon's memory while it streams; and an XLSX of 100,000 contacts
# through the API. See bench/README.md ("exports.sh").
#
#   bench/exports.sh                                   # full: 1,000,000 + 100,000 contacts, 3 runs each
#   N_CSV=50000 N_XLSX=10000 bench/exports.sh          # quick
#   PERF=1 bench/exports.sh                            # also a perf profile of the daemon during one CSV export
#
# Settings (environment):
#   N_CSV=1000000 (contacts of organisation 1, exported to CSV by its admin)
#   N_XLSX=100000 (contacts of a second organisation, exported to XLSX by its org-admin)
#   RUNS=3 (measured runs of each, after one unmeasured warm-up run)  LOCALE=en
#   SAMPLE_MS=50 (memory sampling period)  RUN_TIMEOUT=600 (s, bound of one export)
#   PERF=0 (1: perf record of the daemon during one more CSV export; top functions printed)
#   BUILD=1 (0: use the existing build/release)  DEPS=1 (0: skip scripts/install-deps.sh)
#   KEEP=0 (1: keep the work directory)  WORK=<dir> (default: a new one under /tmp)
# The daemon listens on 127.0.0.1 only and is stopped on exit; every loop is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

N_CSV=${N_CSV:-1000000}
N_XLSX=${N_XLSX:-100000}
RUNS=${RUNS:-3}
LOCALE=${LOCALE:-en}
SAMPLE_MS=${SAMPLE_MS:-50}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
PERF=${PERF:-0}
BUILD=${BUILD:-1}
DEPS=${DEPS:-1}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d /tmp/relance-bench-exports.XXXXXX)}
mkdir -p "$WORK"

# Targets (the issue).
TARGET_CSV_RATIO=0.5   # API CSV export speed / sqlite3 -csv speed, at least
TARGET_MEM_MB=64       # daemon memory growth during the export, under
TARGET_XLSX_S=10       # XLSX of 100,000 rows, under (seconds)

RELANCE="$ROOT/build/release/core/relance"
PLUGINS_DIR="$ROOT/build/release/lib/relance/plugins"
DATA="$WORK/data"
DB="$DATA/relance.db"
DAEMON_PID="" SAMPLER_PID="" PERF_PID=""
ADMIN_EMAIL="admin@bench.relance.local"
ADMIN_PASSWORD="bench-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
USER_EMAIL="founder@xlsx.bench.local"
USER_PASSWORD="bench-user-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

# The columns of the contacts dataset, in the order the export writes them (plugin_host/rows.cpp:
# id, every field of storage/schema.cpp but secrets, each name the export joins right after
# its id (exports/reference_names.cpp), created_at, updated_at), with headers=fields; and
# the same columns as the ceiling's SQL reads them, the names by a join of their own.
CONTACT_COLUMNS="id, first_name, last_name, emails, phones, company_id, company_name, title, city, country, linkedin_url, tags, notes, met_at, met_where, source_event_id, source_event_name, lawful_basis, consent_at, consent_note, time_zone, created_at, updated_at"
CEIL_COLUMNS="t.id, first_name, last_name, emails, phones, company_id, c.name, title, t.city, t.country, linkedin_url, t.tags, t.notes, met_at, met_where, source_event_id, e.name, lawful_basis, consent_at, consent_note, time_zone, t.created_at, t.updated_at"

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # log, die, helper, build_release, api, stop_pid, settle...


cleanup() {
  local rc=$?
  stop_pid "$PERF_PID" perf INT
  stop_pid "$SAMPLER_PID" sampler
  stop_pid "$DAEMON_PID" relance
  finish_work "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
  require_tools sqlite3 python3 curl cmake
  ((N_CSV >= 100 && N_XLSX >= 100 && RUNS >= 1)) || die "sizes too small"
}

# The release preset (RelWithDebInfo, -O2): the daemon and the two exporter plugins.
build() {
  build_release relance relance_export_csv relance_export_xlsx
  local p
  for p in relance_export_csv relance_export_xlsx; do
    [[ -f $PLUGINS_DIR/$p.so ]] || die "no plugin at $PLUGINS_DIR/$p.so (BUILD=1 builds it)"
  done
}

# ---------------------------------------------------------------------------------------
# The daemon

# `relance serve` on a free loopback port with the build tree's plugins, its log on stderr
# into $WORK/daemon.log; waits for /healthz. Sets DAEMON_PID, BASE_URL.
start_daemon() {
  local port
  port=$(helper free-port)
  BASE_URL="http://127.0.0.1:$port"
  RELANCE_PLUGINS_DIRECTORIES=$PLUGINS_DIR \
    "$RELANCE" serve --data-dir "$DATA" --listen "127.0.0.1:$port" </dev/null >>"$WORK/daemon.log" 2>&1 &
  DAEMON_PID=$!
  helper wait-http "$BASE_URL/healthz" --timeout 300 --pid "$DAEMON_PID" >/dev/null ||
    { tail -20 "$WORK/daemon.log" >&2; die "the daemon did not answer"; }
  log "daemon $DAEMON_PID on $BASE_URL"
}

# ---------------------------------------------------------------------------------------
# The data directory

# relance init (organisation 1, "Region", and its admin); through the API a second
# organisation and its org-admin; session tokens for both (sessions live in the database, so
# they outlive a restart); then, the daemon stopped, the contacts inserted by sqlite3 into
# the daemon's own schema (the triggers fill the full-text index and the tags table as for
# API writes): N_CSV in organisation 1, then N_XLSX in the second one.
prepare_data() {
  log "data directory: relance init, a second organisation, $N_CSV + $N_XLSX contacts"
  RELANCE_ADMIN_PASSWORD=$ADMIN_PASSWORD "$RELANCE" init --data-dir "$DATA" \
    --admin-email "$ADMIN_EMAIL" >"$WORK/init.log" 2>&1 ||
    { cat "$WORK/init.log" >&2; die "relance init failed"; }
  start_daemon
  TOKEN_ADMIN=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
  [[ -n $TOKEN_ADMIN ]] || die "no token for $ADMIN_EMAIL"
  TOKEN=$TOKEN_ADMIN api GET /api/v1/me >"$WORK/me.json"
  ADMIN_ORG=$(helper json-get org_id <"$WORK/me.json")
  ADMIN_ID=$(helper json-get id <"$WORK/me.json")
  ((ADMIN_ORG == 1)) || die "the admin belongs to organisation $ADMIN_ORG, not 1"
  XLSX_ORG=$(TOKEN=$TOKEN_ADMIN api POST /api/v1/organisations '{"name":"Bench XLSX Start-up"}' |
    helper json-get id)
  XLSX_USER=$(TOKEN=$TOKEN_ADMIN api POST /api/v1/users \
    "{\"email\":\"$USER_EMAIL\",\"password\":\"$USER_PASSWORD\",\"role\":\"org-admin\",\"org_id\":$XLSX_ORG,\"display_name\":\"Founder XLSX\"}" |
    helper json-get id)
  TOKEN_XLSX=$(login "$USER_EMAIL" "$USER_PASSWORD")
  # The exporters the daemon loaded.
  TOKEN=$TOKEN_ADMIN api GET /api/v1/exports >"$WORK/formats.json"
  grep -q '"format":"csv"' "$WORK/formats.json" && grep -q '"format":"xlsx"' "$WORK/formats.json" ||
    { cat "$WORK/formats.json" >&2; die "the daemon offers no csv or xlsx export (plugins in $PLUGINS_DIR?)"; }
  stop_daemon

  local t0 t1
  t0=$(date +%s%N)
  helper contacts-csv --org 1 --user "$ADMIN_ID" --count "$N_CSV" --seed 11 >"$WORK/contacts_csv.csv"
  helper contacts-csv --org "$XLSX_ORG" --user "$XLSX_USER" --count "$N_XLSX" --seed 12 \
    >"$WORK/contacts_xlsx.csv"
  # synchronous=OFF: a one-off load of a scratch database (the daemon runs at FULL later).
  sqlite3 -bail "$DB" >"$WORK/bulk.log" 2>&1 <<SQL || { cat "$WORK/bulk.log" >&2; die "bulk load failed"; }
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
.import --csv --schema temp $WORK/contacts_csv.csv import_1
.import --csv --schema temp $WORK/contacts_xlsx.csv import_2
BEGIN;
$(contact_insert import_1)
$(contact_insert import_2)
INSERT INTO fts_flush (requested) VALUES (1);
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
  t1=$(date +%s%N)
  rm -f "$WORK/contacts_csv.csv" "$WORK/contacts_xlsx.csv"
  # Without the clean-stop marker the daemon runs PRAGMA quick_check before it serves (as
  # after a crash), not beside serving where it would compete with the exports measured.
  rm -f "$DB.clean-stop"
  read -r ROWS_CSV ROWS_XLSX < <(sqlite3 -separator ' ' "$DB" \
    "SELECT sum(org_id = 1), sum(org_id = $XLSX_ORG) FROM contacts")
  ((ROWS_CSV == N_CSV && ROWS_XLSX == N_XLSX)) ||
    die "loaded $ROWS_CSV and $ROWS_XLSX contacts, not $N_CSV and $N_XLSX"
  DB_MB=$(($(stat -c %s "$DB") / 1048576))
  log "contacts: $ROWS_CSV in organisation 1, $ROWS_XLSX in organisation $XLSX_ORG; loaded in $(((t1 - t0) / 1000000000)) s; database $DB_MB MB"
}

# ---------------------------------------------------------------------------------------
# Measurements

# Samples /proc/PID/status every SAMPLE_MS until SIGTERM; writes the peaks of VmRSS,
# RssAnon and RssFile (kB, each its own peak) and the number of samples.
SAMPLER='
import signal, sys, time
pid, period, out = int(sys.argv[1]), float(sys.argv[2]) / 1000, sys.argv[3]
peak, n, stop = {"VmRSS": 0, "RssAnon": 0, "RssFile": 0}, 0, False
def done(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, done)
deadline = time.monotonic() + 3600
while not stop and time.monotonic() < deadline:
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in peak:
                    peak[k] = max(peak[k], int(v.split()[0]))
        n += 1
    except OSError:
        break
    time.sleep(period)
with open(out, "w") as f:
    f.write("%d %d %d %d\n" % (peak["VmRSS"], peak["RssAnon"], peak["RssFile"], n))
'


# export_run FORMAT QUERY TOKEN OUT: one export through the API with curl, the daemon's
# memory sampled meanwhile. Sets RUN_SIZE (bytes), RUN_S (curl's time_total), RUN_CPU_S
# (the daemon's CPU), RUN_MEM (before: VmRSS RssAnon RssFile; peaks of the same, kB).
export_run() {
  local format=$1 query=$2 token=$3 out=$4 code before_rss before_anon before_file ticks0 ticks1
  before_rss=$(status_kb VmRSS) before_anon=$(status_kb RssAnon) before_file=$(status_kb RssFile)
  ticks0=$(cpu_ticks)
  python3 -c "$SAMPLER" "$DAEMON_PID" "$SAMPLE_MS" "$WORK/mem.txt" &
  SAMPLER_PID=$!
  sleep 0.2  # the sampler's interpreter is up, and has a sample from before the request
  read -r code RUN_SIZE RUN_S < <(curl -s -o "$out" --max-time "$RUN_TIMEOUT" \
    -w '%{http_code} %{size_download} %{time_total}\n' -H "Authorization: Bearer $token" \
    "$BASE_URL/api/v1/exports/$format?$query" || echo "000 0 0")
  ticks1=$(cpu_ticks)
  stop_pid "$SAMPLER_PID" sampler
  SAMPLER_PID=""
  [[ $code == 200 ]] || die "GET /api/v1/exports/$format?$query answered $code"
  RUN_CPU_S=$(calc "'%.2f' % (($ticks1 - $ticks0) / $(getconf CLK_TCK))")
  local peak_rss peak_anon peak_file
  read -r peak_rss peak_anon peak_file _ <"$WORK/mem.txt"
  RUN_MEM="$before_rss $before_anon $before_file $peak_rss $peak_anon $peak_file"
}

# "VmRSS +X MB (A -> B MB), own (RssAnon) +Y MB, file-backed (the mapped database) +Z MB"
mem_text() {
  local b_rss b_anon b_file p_rss p_anon p_file
  read -r b_rss b_anon b_file p_rss p_anon p_file <<<"$1"
  calc "'VmRSS +%.1f MB (%.1f -> %.1f MB peak); RssAnon +%.1f MB; RssFile +%.1f MB' % (($p_rss - $b_rss) / 1024, $b_rss / 1024, $p_rss / 1024, ($p_anon - $b_anon) / 1024, ($p_file - $b_file) / 1024)"
}
# The daemon's mappings of the database file (each reader connection maps it: PRAGMA
# mmap_size), and the resident part of each, in MB: "a b c d".
db_mappings() {
  python3 - "$DAEMON_PID" "$DB" <<'EOF'
import sys
pid, db = sys.argv[1], sys.argv[2]
out, cur = [], None
for line in open("/proc/%s/smaps" % pid):
    f = line.split()
    if "-" in f[0] and len(f) >= 5 and not f[0].endswith(":"):
        cur = f[5] if len(f) > 5 else ""
    elif f[0] == "Rss:" and cur == db:
        out.append("%.0f" % (int(f[1]) / 1024))
print(" ".join(out) or "none")
EOF
}

mem_growth_mb() { local a; read -r -a a <<<"$1"; calc "'%.1f' % ((${a[3]} - ${a[0]}) / 1024)"; }
anon_growth_mb() { local a; read -r -a a <<<"$1"; calc "'%.1f' % ((${a[4]} - ${a[1]}) / 1024)"; }

# The ceiling: the sqlite3 shell writing the same rows and columns as CSV, to /dev/null, by
# the same index (contacts_org) and in the same order as the daemon's pages. Sets CEIL_S
# (wall, from the fork to the exit) and CEIL_CPU_S (user + system).
CEIL_SQL="SELECT $CEIL_COLUMNS FROM contacts t LEFT JOIN companies c ON c.id = t.company_id LEFT JOIN events e ON e.id = t.source_event_id WHERE t.org_id = 1 ORDER BY t.id"
ceiling_run() {
  local times
  times=$( { TIMEFORMAT='%R %U %S'; time sqlite3 -csv "$DB" "$CEIL_SQL" >/dev/null; } 2>&1 ) ||
    die "sqlite3 -csv failed: $times"
  read -r CEIL_S u s <<<"$times"
  CEIL_CPU_S=$(calc "'%.2f' % ($u + $s)")
}

# Records in a CSV file (quoted line feeds are inside records), and its header.
count_csv() {
  python3 - "$1" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    r = csv.reader(f)
    header = next(r)
    n = sum(1 for _ in r)
print(n, ",".join(header))
EOF
}

# Rows in the first sheet of an XLSX (header included).
count_xlsx() {
  python3 - "$1" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))
n = 0
with z.open(sheet) as f:
    tail = b""
    for chunk in iter(lambda: f.read(1 << 20), b""):
        data = tail + chunk
        n += len(re.findall(rb"<row[ >]", data))
        tail = data[-8:] if not data.endswith(b">") else b""
        n -= len(re.findall(rb"<row[ >]", tail))
print(n)
EOF
}

measure_csv() {
  local q="dataset=contacts&locale=$LOCALE&headers=fields" i records header expected_header
  log "CSV: warm-up export (to a file, checked) and warm-up sqlite3 run"
  export_run csv "$q" "$TOKEN_ADMIN" "$WORK/contacts.csv"
  WARM_CSV_S=$RUN_S WARM_CSV_MEM=$RUN_MEM CSV_SIZE=$RUN_SIZE WARM_CSV_CPU=$RUN_CPU_S
  read -r records header < <(count_csv "$WORK/contacts.csv")
  expected_header=${CONTACT_COLUMNS//, /,}
  ((records == N_CSV)) || die "the CSV export holds $records records, not $N_CSV"
  [[ $header == "$expected_header" ]] || die "CSV header $header, expected $expected_header"
  rm -f "$WORK/contacts.csv"
  CEIL_SIZE=$(sqlite3 -csv "$DB" "$CEIL_SQL" | wc -c)  # the warm-up of the ceiling
  log "warm-up: API $RUN_SIZE bytes in $RUN_S s ($records records), $(mem_text "$RUN_MEM"); sqlite3 -csv $CEIL_SIZE bytes"
  WARM_CSV_MAPS=$(db_mappings)
  declare -ga CSV_S=() CSV_CPU=() CSV_MEM=() CSV_MAPS=() CEIL_WALL=() CEIL_CPU=()
  for ((i = 1; i <= RUNS; i++)); do  # alternated, so that both see the same machine
    export_run csv "$q" "$TOKEN_ADMIN" /dev/null
    ((RUN_SIZE == CSV_SIZE)) || die "run $i: $RUN_SIZE bytes, the warm-up had $CSV_SIZE"
    CSV_S[i]=$RUN_S CSV_CPU[i]=$RUN_CPU_S CSV_MEM[i]=$RUN_MEM
    ceiling_run
    CEIL_WALL[i]=$CEIL_S CEIL_CPU[i]=$CEIL_CPU_S
    CSV_MAPS[i]=$(db_mappings)
    log "run $i: API ${CSV_S[i]} s (daemon CPU ${CSV_CPU[i]} s), $(mem_text "${CSV_MEM[i]}"); sqlite3 -csv ${CEIL_WALL[i]} s (CPU ${CEIL_CPU[i]} s); load $(cut -d' ' -f1 /proc/loadavg)"
  done
}

measure_xlsx() {
  local q="dataset=contacts&locale=$LOCALE&headers=fields" rows i
  log "XLSX: warm-up export (to a file, checked)"
  export_run xlsx "$q" "$TOKEN_XLSX" "$WORK/contacts.xlsx"
  XLSX_SIZE=$RUN_SIZE WARM_XLSX_S=$RUN_S
  rows=$(count_xlsx "$WORK/contacts.xlsx") || die "the XLSX export is not a readable workbook"
  ((rows == N_XLSX + 1)) || die "the XLSX export holds $rows rows, not $N_XLSX + a header"
  rm -f "$WORK/contacts.xlsx"
  log "warm-up: $RUN_SIZE bytes in $RUN_S s ($((rows - 1)) rows + header)"
  declare -ga XLSX_S=() XLSX_CPU=() XLSX_MEM=()
  for ((i = 1; i <= RUNS; i++)); do
    export_run xlsx "$q" "$TOKEN_XLSX" /dev/null
    XLSX_S[i]=$RUN_S XLSX_CPU[i]=$RUN_CPU_S XLSX_MEM[i]=$RUN_MEM
    log "run $i: ${XLSX_S[i]} s (daemon CPU ${XLSX_CPU[i]} s), $(mem_text "${XLSX_MEM[i]}"); load $(cut -d' ' -f1 /proc/loadavg)"
  done
}

# One more CSV export under `perf record` (all the daemon's threads, 999 Hz, no call graph):
# where its CPU goes, by shared object and by function.
profile_csv() {
  log "perf: one more CSV export under perf record"
  perf record -F 999 -p "$DAEMON_PID" -o "$WORK/perf.data" >"$WORK/perf-record.log" 2>&1 &
  PERF_PID=$!
  sleep 1
  curl -s -o /dev/null --max-time "$RUN_TIMEOUT" -H "Authorization: Bearer $TOKEN_ADMIN" \
    "$BASE_URL/api/v1/exports/csv?dataset=contacts&locale=$LOCALE&headers=fields"
  stop_pid "$PERF_PID" perf INT
  PERF_PID=""
  local tidy='/^#/d; /^ *$/d; s/ *-  *- *$//; s/ *$//'
  perf report -i "$WORK/perf.data" --no-children --sort dso --stdio 2>/dev/null |
    sed "$tidy" | head -12 >"$WORK/perf-dso.txt" || true
  perf report -i "$WORK/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null |
    sed "$tidy" | cut -c1-170 | head -30 >"$WORK/perf-sym.txt" || true
}

list() { local IFS=,; echo "$*"; }

# ---------------------------------------------------------------------------------------

main() {
  if [[ $DEPS == 1 ]]; then
    "$ROOT/scripts/install-deps.sh" --bench >"$WORK/deps.log" 2>&1 ||
      { tail -20 "$WORK/deps.log" >&2; die "scripts/install-deps.sh --bench failed"; }
  fi
  check_tools
  log "work directory: $WORK; CSV of $N_CSV contacts, XLSX of $N_XLSX; $RUNS runs each"
  build
  prepare_data
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  start_daemon
  measure_csv
  measure_xlsx
  [[ $PERF != 1 ]] || profile_csv

  local med_api med_ceil med_cpu med_ceil_cpu ratio ratio_cpu mems anons worst worst_anon
  med_api=$(calc "'%.3f' % st.median([$(list "${CSV_S[@]:1}")])")
  med_ceil=$(calc "'%.3f' % st.median([$(list "${CEIL_WALL[@]:1}")])")
  med_cpu=$(calc "'%.2f' % st.median([$(list "${CSV_CPU[@]:1}")])")
  med_ceil_cpu=$(calc "'%.2f' % st.median([$(list "${CEIL_CPU[@]:1}")])")
  ratio=$(calc "'%.2f' % ($med_ceil / $med_api)")
  ratio_cpu=$(calc "'%.2f' % ($med_ceil_cpu / $med_cpu) if $med_cpu > 0 else 'n/a (too short to measure)'")
  # Memory: every export counts, the warm-up too (the first export after a start is a real one).
  mems=("$(mem_growth_mb "$WARM_CSV_MEM")") anons=("$(anon_growth_mb "$WARM_CSV_MEM")")
  local i
  for ((i = 1; i <= RUNS; i++)); do
    mems+=("$(mem_growth_mb "${CSV_MEM[i]}")") anons+=("$(anon_growth_mb "${CSV_MEM[i]}")")
  done
  worst=$(calc "max([$(list "${mems[@]}")])")
  worst_anon=$(calc "max([$(list "${anons[@]}")])")
  local med_x xm=() xworst
  med_x=$(calc "'%.2f' % st.median([$(list "${XLSX_S[@]:1}")])")
  for ((i = 1; i <= RUNS; i++)); do xm+=("$(mem_growth_mb "${XLSX_MEM[i]}")"); done
  xworst=$(calc "max([$(list "${xm[@]}")])")

  cat <<EOF

Relance export benchmark — $(date -u +%FT%TZ), $(nproc) cores, load average $load (before the exports)
Tree: $(source_version)
Data: $N_CSV contacts in organisation 1 (exported by its admin), $N_XLSX in organisation $XLSX_ORG (by its org-admin); database $DB_MB MB
Client: curl -s -o /dev/null, loopback; locale=$LOCALE; memory sampled every $SAMPLE_MS ms from /proc/PID/status

CSV, GET /api/v1/exports/csv?dataset=contacts&locale=$LOCALE&headers=fields: $CSV_SIZE bytes, $N_CSV records (checked on the warm-up run)
  warm-up (unmeasured): $WARM_CSV_S s, daemon CPU $WARM_CSV_CPU s; $(mem_text "$WARM_CSV_MEM")
EOF
  for ((i = 1; i <= RUNS; i++)); do
    printf '  run %d: API %s s (%s rows/s, %s MB/s), daemon CPU %s s;  sqlite3 -csv %s s (CPU %s s);  API / sqlite3 = %s\n' \
      "$i" "${CSV_S[i]}" "$(calc "round($N_CSV / ${CSV_S[i]})")" "$(calc "'%.1f' % ($CSV_SIZE / ${CSV_S[i]} / 1e6)")" \
      "${CSV_CPU[i]}" "${CEIL_WALL[i]}" "${CEIL_CPU[i]}" "$(calc "'%.2f' % (${CEIL_WALL[i]} / ${CSV_S[i]})")"
    printf '         memory: %s\n' "$(mem_text "${CSV_MEM[i]}")"
  done
  cat <<EOF
  median: API $med_api s ($(calc "round($N_CSV / $med_api)") rows/s); sqlite3 -csv $med_ceil s ($(calc "round($N_CSV / $med_ceil)") rows/s, $CEIL_SIZE bytes: "$CEIL_SQL")
  speed ratio API / sqlite3 (wall, medians): $ratio   target >= $TARGET_CSV_RATIO   $(verdict "$ratio >= $TARGET_CSV_RATIO")
  speed ratio per CPU-second (sqlite3 CPU / daemon CPU, medians $med_ceil_cpu / $med_cpu s): $ratio_cpu
  daemon memory growth during an export, largest of the $((RUNS + 1)) exports (warm-up included):
    VmRSS    +$worst MB   target < $TARGET_MEM_MB MB: ratio $(calc "'%.2f' % ($worst / $TARGET_MEM_MB)")  $(verdict "$worst < $TARGET_MEM_MB")
    RssAnon  +$worst_anon MB   (the daemon's own memory: heap, stacks)  ratio $(calc "'%.2f' % ($worst_anon / $TARGET_MEM_MB)")  $(verdict "$worst_anon < $TARGET_MEM_MB")
    VmRSS = RssAnon + RssFile (+ RssShmem): RssFile would be the database file as the pooled readers map it (PRAGMA
    mmap_size); exports read through a connection of their own that does not map it. Resident MB of each mapping
    of $(basename "$DB") ($DB_MB MB): after the warm-up [$WARM_CSV_MAPS], after run $RUNS [${CSV_MAPS[RUNS]}]

XLSX, GET /api/v1/exports/xlsx?dataset=contacts&locale=$LOCALE&headers=fields: $XLSX_SIZE bytes, $N_XLSX rows + header (checked on the warm-up run, $WARM_XLSX_S s)
EOF
  for ((i = 1; i <= RUNS; i++)); do
    printf '  run %d: %s s, daemon CPU %s s; memory: %s\n' "$i" "${XLSX_S[i]}" "${XLSX_CPU[i]}" "$(mem_text "${XLSX_MEM[i]}")"
  done
  cat <<EOF
  median: $med_x s   target < $TARGET_XLSX_S s for 100,000 rows: ratio $(calc "'%.2f' % ($med_x / $TARGET_XLSX_S)")  $(verdict "$med_x < $TARGET_XLSX_S")$( ((N_XLSX == 100000)) || echo "  (N_XLSX=$N_XLSX: not the issue's size)")
  daemon memory growth, largest run: VmRSS +$xworst MB
EOF
  if [[ $PERF == 1 ]]; then
    echo
    echo "perf, the daemon during one CSV export (samples by shared object, then by function):"
    sed 's/^/  /' "$WORK/perf-dso.txt"
    echo
    sed 's/^/  /' "$WORK/perf-sym.txt"
  fi
}

main "$@"
