#!/usr/bin/env bash
# Relance plugin delivery benchmark: the daemon delivering the outbox to a no-op event sink
# end to end, and the cost of one call through the plugin ABI, each next to a ceiling
# measured in the same run on the same machine. See bench/README.md.
#
#   bench/plugins.sh                       # full: 1,000,000 events, 3 runs; 100,000,000 ABI calls
#   N_EVENTS=100000 ABI_CALLS=10000000 bench/plugins.sh      # quick
#
# Delivery is measured with the sink in the daemon (isolation in-process) and in a child
# process of its own (isolation process: frames over a socketpair), the same events, one
# series after the other; beside them, the raw socketpair round trip between two processes.
#
# Settings (environment):
#   N_EVENTS=1000000  RUNS=3 (delivery runs)
#   MARKERS=1 (0: crash markers off, for a before/after: a file where their folder would be)
#   MODES="in-process process" (where the sink runs: plugins.isolation of each series of runs)
#   RT_TRIPS=200000 RT_BATCHES=2000 RT_EVENTS=512 (the socketpair round trips: small frames,
#   and frames of RT_EVENTS events of the outbox's average payload)
#   END_POLL=db|api (how the end is seen, see POLLER)  POLL_MS=5 (its period)
#   CEIL_RUNS=3 (sqlite3 read ceiling runs)  RUN_TIMEOUT=300 (s, per delivery run)
#   ABI_CALLS=100000000  ABI_ROUNDS=5
#   BUILD=1 (0: use the existing build/release)  DEPS=1 (0: skip scripts/install-deps.sh)
#   KEEP=0 (1: keep the work directory)  WORK=<dir> (default: a new one under /tmp)
# The daemon listens on 127.0.0.1 only and is stopped on exit; every loop is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

N_EVENTS=${N_EVENTS:-1000000}
RUNS=${RUNS:-3}
POLL_MS=${POLL_MS:-5}
CEIL_RUNS=${CEIL_RUNS:-3}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
END_POLL=${END_POLL:-db}
ABI_CALLS=${ABI_CALLS:-100000000}
ABI_ROUNDS=${ABI_ROUNDS:-5}
BUILD=${BUILD:-1}
DEPS=${DEPS:-1}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d /tmp/relance-bench-plugins.XXXXXX)}
mkdir -p "$WORK"

# Targets (the issue): events/s end to end, ns per no-op call through the ABI.
TARGET_RATE=200000
TARGET_ISOLATED_RATE=100000
TARGET_ABI_NS=20
MODES=${MODES:-in-process process}
RT_TRIPS=${RT_TRIPS:-200000}
RT_BATCHES=${RT_BATCHES:-2000}
RT_EVENTS=${RT_EVENTS:-512}

RELANCE="$ROOT/build/release/core/relance"
PLUGIN="$ROOT/build/release/fixture-plugins/fixture_noop.so"
PLUGIN_ID="org.relance.fixture.noop"
TEMPLATE="$WORK/template"   # data directory with the filled outbox; each run gets a copy
DAEMON_PID="" POLLER_PID=""
ADMIN_EMAIL="admin@bench.relance.local"
ADMIN_PASSWORD="bench-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # log, die, helper, build_release, api, stop_pid, settle...


cleanup() {
  local rc=$?
  stop_pid "$POLLER_PID" poller
  stop_pid "$DAEMON_PID" relance
  finish_work "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
  require_tools sqlite3 python3 curl cmake "${CXX:-g++}"
  ((N_EVENTS >= 1000 && RUNS >= 1 && CEIL_RUNS >= 1 && ABI_CALLS >= 1)) || die "sizes too small"
}

# The release preset (RelWithDebInfo, -O2): the daemon and the no-op sink plugin.
build() {
  build_release relance fixture_noop
  [[ -f $PLUGIN ]] || die "no plugin at $PLUGIN (BUILD=1 builds it)"
  # The ABI program: against the SDK's headers only, -O2 like the release preset.
  "${CXX:-g++}" -std=c++20 -O2 -Wall -Wextra -Werror -I"$ROOT/sdk/include" \
    "$BENCH/abi_call.cpp" -o "$WORK/abi_call" -ldl ||
    die "could not compile bench/abi_call.cpp"
  "${CXX:-g++}" -std=c++20 -O2 -Wall -Wextra -Werror "$BENCH/socketpair.cpp" -o "$WORK/socketpair" ||
    die "could not compile bench/socketpair.cpp"
}

# The raw socketpair between two processes: round trips of a small frame, and of a frame of
# RT_EVENTS events of the outbox's average payload (the ceiling of isolated delivery).
measure_socketpair() {
  log "socketpair: $RT_TRIPS round trips of 16 bytes, $RT_BATCHES of $RT_EVENTS events of $AVG_PAYLOAD bytes"
  "$WORK/socketpair" "$RT_TRIPS" "$RT_BATCHES" "$RT_EVENTS" "$AVG_PAYLOAD" >"$WORK/socketpair.txt" ||
    die "socketpair failed"
  RT_NS=$(awk '$1 == "round_trip_ns" { print $2 }' "$WORK/socketpair.txt")
  RT_SMALL_RATE=$(awk '$1 == "one_event_per_frame_per_s" { print $2 }' "$WORK/socketpair.txt")
  RT_BATCH_US=$(awk '$1 == "batch_round_trip_us" { print $2 }' "$WORK/socketpair.txt")
  RT_BATCH_RATE=$(awk '$1 == "batched_events_per_s" { print $2 }' "$WORK/socketpair.txt")
}

# ---------------------------------------------------------------------------------------
# The ABI call

measure_abi() {
  log "ABI: $ABI_ROUNDS rounds of $ABI_CALLS no-op calls through the plugin's table, and through an in-binary table"
  "$WORK/abi_call" "$PLUGIN" "$ABI_CALLS" "$ABI_ROUNDS" >"$WORK/abi.txt" ||
    die "abi_call failed"
  ABI_NS=$(awk '$1 == "abi_ns" { print $2 }' "$WORK/abi.txt")
  ABI_CEIL_NS=$(awk '$1 == "ceiling_ns" { print $2 }' "$WORK/abi.txt")
  ABI_DIFF_NS=$(awk '$1 == "difference_ns" { print $2 }' "$WORK/abi.txt")
  ABI_ROUNDS_ABI=$(awk '$1 ~ /^round.*_abi_ns$/ { printf "%s%s", s, $2; s = ", " }' "$WORK/abi.txt")
  ABI_ROUNDS_CEIL=$(awk '$1 ~ /^round.*_ceiling_ns$/ { printf "%s%s", s, $2; s = ", " }' "$WORK/abi.txt")
}

# ---------------------------------------------------------------------------------------
# The data directory

# The daemon on a free loopback port, stderr (the log: file = "") into $1; sets DAEMON_PID,
# BASE_URL. Does not wait for it.
start_daemon() {
  local data=$1 logfile=$2
  PORT=$(helper free-port)
  BASE_URL="http://127.0.0.1:$PORT"
  "$RELANCE" serve --data-dir "$data" --listen "127.0.0.1:$PORT" </dev/null >"$logfile" 2>&1 &
  DAEMON_PID=$!
}

wait_ready() {
  helper wait-http "$BASE_URL/healthz" --timeout 120 --pid "$DAEMON_PID" >/dev/null ||
    { tail -20 "$1" >&2; die "the daemon did not answer"; }
}

# A fresh data directory; a session token made now (sessions live in the database, 12 h,
# so every copy of the directory accepts it: no login, no password hashing, during a run);
# then, the daemon stopped, N_EVENTS events of organisation 1 ("Region") in the outbox, one
# transaction, and the no-op sink instance declared, from the beginning.
prepare_template() {
  log "data directory: relance init, a session token, $N_EVENTS outbox events"
  RELANCE_ADMIN_PASSWORD=$ADMIN_PASSWORD "$RELANCE" init --data-dir "$TEMPLATE" \
    --admin-email "$ADMIN_EMAIL" >"$WORK/init.log" 2>&1 ||
    { cat "$WORK/init.log" >&2; die "relance init failed"; }
  printf '[log]\nfile = ""\n' >"$TEMPLATE/relance.toml"
  start_daemon "$TEMPLATE" "$WORK/setup.log"
  wait_ready "$WORK/setup.log"
  TOKEN=$(curl -sS --fail-with-body -X POST -H "Content-Type: application/json" \
    --data-binary "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" \
    "$BASE_URL/api/v1/auth/login" | helper json-get token)
  [[ -n $TOKEN ]] || die "no token from POST /api/v1/auth/login"
  stop_daemon

  # Five kinds of event in turn, their documents as the daemon writes them (docs/events.md,
  # schema relance.event/1) with accented names, lists and a `changed` on updates.
  local t0 t1
  t0=$(date +%s%N)
  sqlite3 -bail -cmd ".parameter set :N $N_EVENTS" "$TEMPLATE/relance.db" \
    >"$WORK/fill.log" 2>&1 <<'SQL' || { cat "$WORK/fill.log" >&2; die "filling the outbox failed"; }
PRAGMA synchronous = OFF;
BEGIN;
CREATE TEMP TABLE tpl(k INTEGER PRIMARY KEY, type TEXT, entity TEXT, data TEXT, changed TEXT);
INSERT INTO tpl VALUES
 (0, 'contact.created', 'contacts', '"first_name":"Émilie","last_name":"Lefèvre","emails":["emilie.lefevre@example.fr"],"phones":["+33 6 12 34 56 78"],"title":"Directrice des achats","city":"Saint-Étienne","country":"FR","tags":["investor","fair-2026"]', NULL),
 (1, 'contact.updated', 'contacts', '"first_name":"Søren","last_name":"Nguyễn","emails":["soren@nguyen.example.com"],"phones":["+1 650 555 0142"],"title":"VP Partnerships","city":"Palo Alto","country":"US","tags":["partner"]', '{"title":true,"tags":true}'),
 (2, 'lead.stage_changed', 'leads', '"title":"Distribution agreement, West Coast","contact_id":4127,"owner_id":3,"stage":"meeting","value":4500000,"currency":"EUR","expected_close":"2027-03-31","shared_with_region":true,"tags":["priority"]', '{"stage":true}'),
 (3, 'activity.logged', 'activities', '"kind":"meeting","subject":"Rencontre au salon, stand B12","contact_id":4127,"lead_id":812,"occurred_on":"2026-11-18","duration_min":45,"notes":"Intéressés par une démonstration en janvier."', NULL),
 (4, 'followup.created', 'followups', '"contact_id":4127,"lead_id":812,"due":"2026-12-02","status":"open","assignee_id":3,"note":"Envoyer la proposition chiffrée et les références clients"', NULL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :N)
INSERT INTO outbox (org_id, at, type, entity, entity_id, payload)
SELECT 1, ts, t.type, t.entity, 1000 + i / 5,
  '{"schema":"relance.event/1","type":"' || t.type || '","org_id":1,"entity":"' || t.entity ||
  '","entity_id":' || (1000 + i / 5) || ',"actor_id":3,"occurred_at":"' || ts ||
  '","data":{"id":' || (1000 + i / 5) || ',"org_id":1,' || t.data || ',"version":' || (1 + i % 3) ||
  ',"created_at":"' || ts || '","updated_at":"' || ts || '","created_by":3,"updated_by":3}' ||
  coalesce(',"changed":' || t.changed, '') || '}'
FROM (SELECT i, strftime('%Y-%m-%dT%H:%M:%fZ', 1795000000 + i / 10.0, 'unixepoch') AS ts FROM n)
JOIN tpl t ON t.k = i % 5;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
  t1=$(date +%s%N)
  read -r OUTBOX_ROWS ORG_ROWS LAST_ID AVG_PAYLOAD < <(sqlite3 -separator ' ' "$TEMPLATE/relance.db" \
    "SELECT count(*), sum(org_id = 1), max(id), CAST(avg(length(CAST(payload AS BLOB))) AS INTEGER) FROM outbox")
  log "outbox: $OUTBOX_ROWS rows ($ORG_ROWS of organisation 1, last id $LAST_ID, payload $AVG_PAYLOAD bytes on average), filled in $(((t1 - t0) / 1000000)) ms; database $(($(stat -c %s "$TEMPLATE/relance.db") / 1048576)) MB"

  mkdir -p "$TEMPLATE/plugins"
  cp "$PLUGIN" "$TEMPLATE/plugins/"
  cat >>"$TEMPLATE/relance.toml" <<EOF

[[plugins.instance]]
organisation = "Region"
name = "noop"
plugin = "$PLUGIN_ID"
start = "beginning"
EOF
}

# ---------------------------------------------------------------------------------------
# Delivery, end to end

# Polls the instance's delivery cursor every POLL_MS until it reaches LAST_ID; started
# before the daemon, so that its own start-up is not counted. Writes "t_last_behind t_done
# polls" (epoch seconds): the end lies between the start of the last poll that saw the cursor
# behind and the answer of the first that saw it at the end; and a trace, "time cursor" of
# every answer (where a run was slow). Two ways to read the cursor:
#   db:  SELECT event_id FROM plugin_cursors (the committed cursor, what the API reports),
#        from the database file: a few microseconds a poll, the daemon does not notice;
#   api: GET /api/v1/plugin-instances/1, delivery.cursor. That answer also counts the pending
#        events (up to 1,000,000 index entries), 10 to 50 ms of the daemon's CPU a poll: at
#        a 10 ms period the observer takes a core from the delivery it measures.
POLLER='
import http.client, json, sqlite3, sys, time
mode, target, period, timeout, out, where = sys.argv[1:7]
target, period, deadline = int(target), float(period) / 1000, time.time() + float(timeout)
token = sys.argv[7] if mode == "api" else None
conn, behind, polls = None, None, 0
trace = open(out + ".trace", "w")
def cursor():
    global conn
    if mode == "db":
        if conn is None:
            conn = sqlite3.connect(where, timeout=1.0, isolation_level=None)
        row = conn.execute("SELECT event_id FROM plugin_cursors WHERE instance_id = 1").fetchone()
        return row[0] if row else 0
    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", int(where), timeout=5)
    conn.request("GET", "/api/v1/plugin-instances/1", headers={"Authorization": "Bearer " + token})
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise OSError("HTTP %d" % r.status)
    return int(json.loads(body)["delivery"]["cursor"])
while time.time() < deadline:
    sent = time.time()
    try:
        c = cursor()
        got = time.time()
        polls += 1
        trace.write("%.6f %d\n" % (got, c))
        if c >= target:
            open(out, "w").write("%.6f %.6f %d\n" % (behind or sent, got, polls))
            sys.exit(0)
        behind = sent
    except (OSError, http.client.HTTPException, sqlite3.Error):
        if mode == "api" and conn is not None:
            conn.close()
            conn = None
    time.sleep(max(0.0, sent + period - time.time()))
sys.exit("poller: the cursor did not reach %d in %s s" % (target, timeout))
'

# Log line "plugin ... delivering the events of organisation 1": its local-time timestamp
# (milliseconds, truncated) as epoch seconds.
START_OF='
import datetime, re, sys
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if "delivering the events of organisation" in line:
        print("%.6f" % datetime.datetime.strptime(line.split()[0], "%Y-%m-%dT%H:%M:%S.%f").timestamp())
        sys.exit(0)
sys.exit("no delivery start in the log")
'

# One run on a fresh copy of the template. Without its clean-stop marker, the daemon runs
# PRAGMA quick_check before it serves (as after a crash) rather than beside serving, where
# it would compete with the delivery for the 2 cores: the measured run is delivery alone.
delivery_run() {
  local n=$1 mode=$2 dir="$WORK/run$1" out="$WORK/poll$1.txt" logf="$WORK/daemon$1.log"
  rm -rf "$dir"
  cp -a "$TEMPLATE" "$dir"
  rm -f "$dir/relance.db.clean-stop"
  # The daemon cannot make its crash markers' folder where a file is: markers off.
  if [[ ${MARKERS:-1} == 0 ]]; then rm -rf "$dir/plugin-markers"; : >"$dir/plugin-markers"; fi
  sync
  PORT=$(helper free-port)
  if [[ $END_POLL == api ]]; then
    python3 -c "$POLLER" api "$LAST_ID" "$POLL_MS" "$RUN_TIMEOUT" "$out" "$PORT" "$TOKEN" &
  else
    python3 -c "$POLLER" db "$LAST_ID" "$POLL_MS" "$RUN_TIMEOUT" "$out" "$dir/relance.db" &
  fi
  POLLER_PID=$!
  sleep 0.3  # the poller's interpreter is up before the daemon starts
  BASE_URL="http://127.0.0.1:$PORT"
  RELANCE_PLUGINS_ISOLATION=$mode "$RELANCE" serve --data-dir "$dir" --listen "127.0.0.1:$PORT" \
    </dev/null >"$logf" 2>&1 &
  DAEMON_PID=$!
  local rc=0
  wait "$POLLER_PID" || rc=$?
  POLLER_PID=""
  ((rc == 0)) || { tail -20 "$logf" >&2; die "run $n: delivery did not finish"; }
  # CPU time of the daemon's threads but the main one (which opened and checked the
  # database before serving): the delivery thread, the writer that commits its cursor, the
  # checkpointer; and of its plugin-host children (isolated: the sink's process). Not
  # stretched by other processes on the same cores, unlike the wall time.
  local ticks c
  ticks=$(cat /proc/"$DAEMON_PID"/task/*/stat 2>/dev/null |
    awk -v main="$DAEMON_PID" '$1 != main { t += $14 + $15 } END { print t + 0 }')
  for c in $(pgrep -P "$DAEMON_PID" 2>/dev/null || true); do
    ticks=$((ticks + $(awk '{ print $14 + $15 }' /proc/"$c"/stat 2>/dev/null || echo 0)))
  done
  RUN_CPU_S[n]=$(calc "$ticks / $(getconf CLK_TCK)")
  # The delivery thread (the busiest but main) from its schedstat: ns on a core, ns runnable
  # but waiting for one. The rest of its wall time it was blocked: on the commit of the
  # previous batch (durable: an fsync), on reads, on locks.
  local tid_stats
  tid_stats=$(for f in /proc/"$DAEMON_PID"/task/*/schedstat; do
      [[ $f == /proc/$DAEMON_PID/task/$DAEMON_PID/schedstat ]] || cat "$f" 2>/dev/null
    done | sort -n -k1,1 | tail -1)
  read -r DTHREAD_CPU_NS DTHREAD_WAIT_NS _ <<<"${tid_stats:-0 0 0}"
  local start behind done_t polls
  start=$(python3 -c "$START_OF" "$logf") || { tail -20 "$logf" >&2; die "run $n: no start line"; }
  read -r behind done_t polls <"$out"
  # The final state (cursor, calls, dead letters) as the API reports it.
  curl -sS --fail-with-body -H "Authorization: Bearer $TOKEN" \
    "$BASE_URL/api/v1/plugin-instances/1" >"$WORK/instance$n.json" ||
    die "run $n: GET /api/v1/plugin-instances/1 failed"
  stop_daemon
  rm -rf "$dir"
  # The calls of deliver: the outbox's account events (organisation.created...) are never
  # delivered to plugins, so a few rows fewer than the outbox holds.
  local dead cursor
  DELIVERED=$(helper json-get delivery.delivered_since_start <"$WORK/instance$n.json")
  dead=$(helper json-get delivery.dead_letters <"$WORK/instance$n.json")
  cursor=$(helper json-get delivery.cursor <"$WORK/instance$n.json")
  ((DELIVERED > 0 && dead == 0 && cursor == LAST_ID)) ||
    die "run $n: $DELIVERED delivered, $dead dead letters, cursor $cursor of $LAST_ID"
  # Elapsed: from the start line to the first poll that saw the end (an upper bound); the
  # end is no earlier than the send of the last poll that saw the cursor behind.
  RUN_S[n]=$(calc "$done_t - $start")
  RUN_LOW_S[n]=$(calc "max($behind - $start, 0)")
  RUN_RATE[n]=$(calc "round($DELIVERED / ${RUN_S[n]})")
  RUN_CPU_RATE[n]=$(calc "round($DELIVERED / max(${RUN_CPU_S[n]}, 0.01))")
  RUN_THREAD[n]=$(calc "'on a core %.2f s, waiting for one %.2f s, blocked %.2f s' % ($DTHREAD_CPU_NS / 1e9, $DTHREAD_WAIT_NS / 1e9, max(${RUN_S[n]} - ($DTHREAD_CPU_NS + $DTHREAD_WAIT_NS) / 1e9, 0))")
  log "run $n ($mode): $DELIVERED events in $(calc "'%.3f' % ${RUN_S[n]}") s (end after $(calc "'%.3f' % ${RUN_LOW_S[n]}") s at the earliest; $polls polls): ${RUN_RATE[n]} events/s; daemon CPU ${RUN_CPU_S[n]} s; load average $(cut -d' ' -f1 /proc/loadavg); delivery thread ${RUN_THREAD[n]}"
}

# The ceiling: the sqlite3 shell reading the same rows in order with the daemon's query
# (same index, same columns the sink gets), written to /dev/null; the shell's .timer.
ceiling_read() {
  local i secs cpu
  for ((i = 1; i <= CEIL_RUNS; i++)); do
    sqlite3 "$TEMPLATE/relance.db" >"$WORK/ceiling$i.txt" <<'SQL'
.output /dev/null
.timer on
SELECT id, org_id, entity_id, at, type, entity, payload FROM outbox WHERE org_id = 1 AND id > 0 ORDER BY id;
SQL
    read -r secs cpu < <(awk '/^Run Time: real/ { s += $4; c += $6 + $8 } END { printf "%.6f %.6f\n", s, c }' \
      "$WORK/ceiling$i.txt")
    CEIL_RATE[i]=$(calc "round($ORG_ROWS / max($secs, 1e-6))")
    CEIL_CPU_RATE[i]=$(calc "round($ORG_ROWS / max($cpu, 1e-6))")
    log "read ceiling $i: $ORG_ROWS rows in $secs s (CPU $cpu s): ${CEIL_RATE[i]} rows/s"
  done
}


# ---------------------------------------------------------------------------------------

main() {
  if [[ $DEPS == 1 ]]; then
    "$ROOT/scripts/install-deps.sh" --bench || die "scripts/install-deps.sh --bench failed"
  fi
  check_tools
  log "work directory: $WORK; $N_EVENTS events, $RUNS runs; $ABI_CALLS ABI calls x $ABI_ROUNDS rounds"
  build
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  measure_abi
  prepare_template
  declare -ga RUN_S=() RUN_LOW_S=() RUN_RATE=() RUN_CPU_S=() RUN_CPU_RATE=() RUN_THREAD=()
  measure_socketpair
  local mode i n=0 series=""
  for mode in $MODES; do
    for ((i = 1; i <= RUNS; i++)); do
      n=$((n + 1))
      delivery_run "$n" "$mode"
    done
    series+=$(report_mode "$mode" $((n - RUNS + 1)) "$n")$'\n'
  done
  declare -ga CEIL_RATE=() CEIL_CPU_RATE=()
  ceiling_read

  local ceils med_ceil med_ceil_cpu
  ceils=$(IFS=,; echo "${CEIL_RATE[*]}")
  med_ceil=$(calc "round(st.median([$ceils]))")
  med_ceil_cpu=$(calc "round(st.median([$(IFS=,; echo "${CEIL_CPU_RATE[*]}")]))")

  cat <<SUMMARY

Relance plugin delivery benchmark — $(date -u +%FT%TZ), $(nproc) cores, load average $load (at the start), $(cut -d' ' -f1-3 /proc/loadavg) (at the end)
Tree: $(source_version)
Sink: $PLUGIN_ID (fixture_noop.so, release preset); $DELIVERED events delivered per run ($ORG_ROWS outbox rows of organisation 1, the account events not delivered), payload $AVG_PAYLOAD bytes on average

$series
  read ceiling (sqlite3 shell, the daemon's query, rows to /dev/null): ${ceils//,/, } rows/s; median $med_ceil ($med_ceil_cpu rows per CPU-second)

Raw socketpair between two processes (bench/socketpair.cpp), same run
  round trip of a 16-byte frame: $RT_NS ns ($RT_SMALL_RATE round trips/s: one event a frame could go no faster)
  round trip of a frame of $RT_EVENTS events ($(calc "$RT_EVENTS * $AVG_PAYLOAD") bytes): $RT_BATCH_US us, $RT_BATCH_RATE events/s

One no-op call through the ABI ($ABI_CALLS calls per round, $ABI_ROUNDS rounds, median round)
  through the plugin's table (dlopen'd fixture_noop.so): $ABI_NS ns   (rounds: $ABI_ROUNDS_ABI)
  ceiling, an in-binary no-op through a table:           $ABI_CEIL_NS ns   (rounds: $ABI_ROUNDS_CEIL)
  difference: $ABI_DIFF_NS ns
  target < $TARGET_ABI_NS ns: ratio $(calc "'%.2f' % ($ABI_NS / $TARGET_ABI_NS)")  $(verdict "$ABI_NS < $TARGET_ABI_NS")
SUMMARY
}

# The figures of the runs FIRST..LAST (one isolation MODE), for the summary.
report_mode() {
  local mode=$1 first=$2 last=$3 target=$TARGET_RATE rates="" secs="" cpus="" i med_rate
  [[ $mode == process ]] && target=$TARGET_ISOLATED_RATE
  for ((i = first; i <= last; i++)); do
    rates+="${rates:+,}${RUN_RATE[i]}" secs+="${secs:+,}${RUN_S[i]}" cpus+="${cpus:+,}${RUN_CPU_RATE[i]}"
  done
  med_rate=$(calc "round(st.median([$rates]))")
  echo "Delivery, isolation $mode, end to end from the outbox (log line \"delivering the events\" to the committed cursor at the last id, polled every $POLL_MS ms, END_POLL=$END_POLL)"
  for ((i = first; i <= last; i++)); do
    printf '  run %d: %.3f s (end in [%.3f, %.3f] s)  %d events/s;  CPU %.2f s (daemon and plugin host): %d events per CPU-second\n' \
      "$i" "${RUN_S[i]}" "${RUN_LOW_S[i]}" "${RUN_S[i]}" "${RUN_RATE[i]}" "${RUN_CPU_S[i]}" "${RUN_CPU_RATE[i]}"
    printf '         delivery thread: %s\n' "${RUN_THREAD[i]}"
  done
  echo "  median: $(calc "'%.3f' % st.median([$secs])") s, $med_rate events/s ($(calc "round(1e9 / $med_rate)") ns per event); $(calc "round(st.median([$cpus]))") events per CPU-second"
  echo "  target >= $target events/s: ratio $(calc "'%.2f' % ($med_rate / $target)")  $(verdict "$med_rate >= $target")"
}

main "$@"
