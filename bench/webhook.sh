#!/usr/bin/env bash
# Relance webhook benchmark: signed deliveries per second from the outbox to a local partner
# through the bundled webhook connector (one instance, the daemon's HTTP client keeping its
# connection open), next to the ceiling measured in the same run: the same receiver alone
# answering a fixed answer to wrk on one keep-alive connection. See bench/README.md.
#
#   bench/webhook.sh                          # N_EVENTS=100000
#   N_EVENTS=20000 BUILD=0 bench/webhook.sh   # quick, with the existing build/release
#
# The receiver is tests/webhook/receiver.mjs: every delivery is verified with the npm package
# standardwebhooks and counted; the run fails if one does not verify.
# Settings (environment):
#   N_EVENTS=100000  DURATION=10 (s of wrk for the ceiling)  RUN_TIMEOUT=600 (s)
#   PERF=0 (1: perf record the daemon during the delivery, report in the work directory)
#   BUILD=1 (0: use the existing build/release)  KEEP=0 (1: keep the work directory)
#   WORK=<dir> (default: a new one under /tmp)
# Every server it starts listens on 127.0.0.1 and is stopped on exit; every loop is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

N_EVENTS=${N_EVENTS:-100000}
DURATION=${DURATION:-10}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
BUILD=${BUILD:-1}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d /tmp/relance-bench-webhook.XXXXXX)}
mkdir -p "$WORK"

TARGET_RATE=5000
RELANCE="$ROOT/build/release/core/relance"
NODE_MODULES="$ROOT/build/release/web/node_modules"
SECRET="whsec_$(head -c 32 /dev/urandom | base64)"
DATA="$WORK/data"
DAEMON_PID="" RECEIVER_PID="" PERF_PID=""

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # log, die, helper, build_release, stop_pid...

cleanup() {
  local rc=$?
  stop_pid "$PERF_PID" perf INT
  stop_pid "$DAEMON_PID" relance
  stop_pid "$RECEIVER_PID" receiver
  finish_work "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The receiver from a folder whose node_modules holds standardwebhooks; sets RECEIVER_PORT.
start_receiver() {
  cp "$ROOT/tests/webhook/receiver.mjs" "$WORK/"
  ln -sfn "$NODE_MODULES" "$WORK/node_modules"
  node "$WORK/receiver.mjs" --secret "$SECRET" --results "$WORK/results.jsonl" --ready "$WORK/ready" \
    --lifetime-s "$((RUN_TIMEOUT + DURATION + 120))" >"$WORK/receiver.log" 2>&1 &
  RECEIVER_PID=$!
  local i
  for ((i = 0; i < 300; i++)); do [[ -s $WORK/ready ]] && break; sleep 0.1; done
  [[ -s $WORK/ready ]] || { cat "$WORK/receiver.log" >&2; die "the receiver did not start"; }
  read -r RECEIVER_PORT _ <"$WORK/ready"
}

# The ceiling: wrk, one thread, one keep-alive connection (as the instance has), POSTing a body
# of the deliveries' size to /fixed, which the receiver answers at once.
ceiling() {
  local size=$1
  printf '{"type":"contact.created","data":"%s"}' "$(head -c "$((size - 40))" /dev/zero | tr '\0' 'x')" >"$WORK/body.txt"
  cat >"$WORK/post.lua" <<EOF
local f = io.open("$WORK/body.txt", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
EOF
  wrk -t1 -c1 -d"${DURATION}s" -s "$WORK/post.lua" "http://127.0.0.1:$RECEIVER_PORT/fixed" >"$WORK/wrk.txt" 2>&1 ||
    { cat "$WORK/wrk.txt" >&2; die "wrk failed"; }
  CEILING=$(awk '/^Requests\/sec/ { printf "%d", $2 }' "$WORK/wrk.txt")
  log "ceiling: the receiver alone, one keep-alive connection: $CEILING requests/s ($(grep Latency "$WORK/wrk.txt" | tr -s ' '))"
  # The same, but each request signed and verified with standardwebhooks as the deliveries
  # are (one message sent again and again: its timestamp stays within the 5 minutes allowed).
  local headers
  headers=$(python3 - "$SECRET" "$WORK/body.txt" <<'PY'
import base64, hashlib, hmac, sys, time
key = base64.b64decode(sys.argv[1][len("whsec_"):])
body = open(sys.argv[2], "rb").read()
ts = str(int(time.time()))
sig = base64.b64encode(hmac.new(key, b"bench_1." + ts.encode() + b"." + body, hashlib.sha256).digest()).decode()
print('wrk.headers["webhook-id"] = "bench_1"')
print('wrk.headers["webhook-timestamp"] = "%s"' % ts)
print('wrk.headers["webhook-signature"] = "v1,%s"' % sig)
PY
)
  printf '%s\n' "$headers" >>"$WORK/post.lua"
  wrk -t1 -c1 -d"${DURATION}s" -s "$WORK/post.lua" "http://127.0.0.1:$RECEIVER_PORT/bench" >"$WORK/wrk-verified.txt" 2>&1 ||
    { cat "$WORK/wrk-verified.txt" >&2; die "wrk failed"; }
  CEILING_VERIFIED=$(awk '/^Requests\/sec/ { printf "%d", $2 }' "$WORK/wrk-verified.txt")
  local verified failed
  sleep 0.3  # the receiver's last counts written
  read -r verified failed <"$WORK/results.jsonl.bench" || die "no counts from the receiver"
  ((failed == 0)) || die "the ceiling's signed requests did not verify"
  log "ceiling, each request verified: $CEILING_VERIFIED requests/s ($(grep Latency "$WORK/wrk-verified.txt" | tr -s ' '))"
}

# A data directory whose outbox holds N_EVENTS contact events of organisation 1, and one
# webhook instance declared from the beginning of it; the outbound policy allows the receiver.
prepare() {
  log "data directory: relance init, $N_EVENTS outbox events"
  RELANCE_ADMIN_PASSWORD="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" "$RELANCE" init --data-dir "$DATA" \
    --admin-email admin@bench.relance.local >"$WORK/init.log" 2>&1 || { cat "$WORK/init.log" >&2; die "relance init failed"; }
  sqlite3 -bail -cmd ".parameter set :N $N_EVENTS" "$DATA/relance.db" >"$WORK/fill.log" 2>&1 <<'SQL' ||
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :N)
INSERT INTO outbox (org_id, at, type, entity, entity_id, payload)
SELECT 1, ts, 'contact.created', 'contacts', 1000 + i,
  '{"schema":"relance.event/1","type":"contact.created","org_id":1,"entity":"contacts","entity_id":' || (1000 + i) ||
  ',"actor_id":3,"occurred_at":"' || ts || '","data":{"id":' || (1000 + i) ||
  ',"org_id":1,"first_name":"Émilie","last_name":"Lefèvre","emails":["emilie.lefevre@example.fr"],' ||
  '"phones":["+33 6 12 34 56 78"],"title":"Directrice des achats","city":"Saint-Étienne","country":"FR",' ||
  '"tags":["investor","fair-2026"],"version":1,"created_at":"' || ts || '","updated_at":"' || ts ||
  '","created_by":3,"updated_by":3}}'
FROM (SELECT i, strftime('%Y-%m-%dT%H:%M:%fZ', 1795000000 + i / 10.0, 'unixepoch') AS ts FROM n);
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
    { cat "$WORK/fill.log" >&2; die "filling the outbox failed"; }
  read -r DELIVERABLE AVG_PAYLOAD < <(sqlite3 -separator ' ' "$DATA/relance.db" \
    "SELECT count(*), CAST(avg(length(CAST(payload AS BLOB))) AS INTEGER) FROM outbox WHERE org_id = 1 AND type = 'contact.created'")
  cat >"$DATA/relance.toml" <<EOF
[log]
file = ""

[outbound]
allow = ["127.0.0.1:$RECEIVER_PORT"]

[[plugins.instance]]
organisation = "Region"
name = "partner"
plugin = "org.relance.webhook"
start = "beginning"
events = ["contact.created"]
settings = { url = "http://127.0.0.1:$RECEIVER_PORT/bench", secret = "$SECRET", timeout_ms = 5000 }
EOF
}

# The daemon delivers the whole outbox; the rate runs from the first delivery the receiver
# counted to the last (the daemon's start-up is not in it).
run() {
  local port t0="" n0=0 t1 verified=0 failed=0 i
  port=$(helper free-port)
  "$RELANCE" serve --data-dir "$DATA" --listen "127.0.0.1:$port" </dev/null >"$WORK/daemon.log" 2>&1 &
  DAEMON_PID=$!
  for ((i = 0; i < RUN_TIMEOUT * 100; i++)); do
    # The receiver rewrites the file: a read may find it empty, and is then made again.
    [[ -s $WORK/results.jsonl.bench ]] && { read -r verified failed <"$WORK/results.jsonl.bench" || true; }
    if [[ -z $t0 && $verified -gt 0 ]]; then
      t0=$(now_ns)
      n0=$verified
      if [[ ${PERF:-0} == 1 ]]; then
        perf record -F 999 -g -p "$DAEMON_PID" -o "$WORK/perf.data" >"$WORK/perf.log" 2>&1 &
        PERF_PID=$!
      fi
    fi
    ((verified + failed >= DELIVERABLE)) && break
    kill -0 "$DAEMON_PID" 2>/dev/null || { tail -20 "$WORK/daemon.log" >&2; die "the daemon exited"; }
    sleep 0.01
  done
  t1=$(now_ns)
  if [[ -n $PERF_PID ]]; then
    stop_pid "$PERF_PID" perf INT
    PERF_PID=""
    perf report -i "$WORK/perf.data" --no-children --percent-limit 1.5 --stdio >"$WORK/perf.txt" 2>/dev/null || true
    log "perf: $WORK/perf.txt"
  fi
  ((verified + failed >= DELIVERABLE)) || die "only $verified of $DELIVERABLE deliveries in $RUN_TIMEOUT s"
  ((failed == 0)) || die "$failed deliveries did not verify"
  DAEMON_CPU=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$DAEMON_PID/stat")
  RATE=$(calc "round(($verified - $n0) / max(($t1 - $t0) / 1e9, 1e-6))")
  log "delivery: $verified signed deliveries verified ($((verified - n0)) timed in $(calc "'%.3f' % (($t1 - $t0) / 1e9)") s): $RATE /s; daemon CPU $DAEMON_CPU s"
}

main() {
  require_tools node wrk sqlite3 python3 cmake
  build_release relance relance_webhook relance_web_tools
  [[ -d $NODE_MODULES/standardwebhooks ]] || die "no standardwebhooks in $NODE_MODULES (BUILD=1 installs it)"
  local load_start
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  start_receiver
  prepare
  log "$DELIVERABLE events of $AVG_PAYLOAD bytes on average; load average $load_start"
  run
  ceiling "$((AVG_PAYLOAD + 60))"
  log "tree $(source_version); load average at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '\n| figure | measured | target | verdict |\n| --- | --- | --- | --- |\n'
  printf '| signed deliveries, one instance, keep-alive | %s /s | >= %s /s | %s |\n' "$RATE" "$TARGET_RATE" \
    "$(verdict "$RATE >= $TARGET_RATE")"
  printf '| ceiling: the receiver alone, fixed answer, 1 connection | %s /s | | delivery = %s of it |\n' "$CEILING" \
    "$(calc "'%.2f' % ($RATE / max($CEILING, 1))")"
  printf '| the receiver alone, each request verified, 1 connection | %s /s | | delivery = %s of it |\n' \
    "$CEILING_VERIFIED" "$(calc "'%.2f' % ($RATE / max($CEILING_VERIFIED, 1))")"
}

main "$@"
