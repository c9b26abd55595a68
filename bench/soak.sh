#!/usr/bin/env bash
# Relance soak test: a long mixed load (issue 12: 64 connections, 40% full-text searches,
# 20% contacts by tag, 20% creates, 20% contacts by id), sampling the write-ahead log's
# size, the daemon's memory and its throughput every 10 s; prints the samples and whether
# each figure stayed flat. See bench/README.md.
#
#   bench/soak.sh                  # 30 minutes
#   bench/soak.sh 300              # 5 minutes (or DURATION=300 bench/soak.sh)
#
# Settings (environment):
#   DURATION=1800 (s of mixed load; the first argument overrides it)  SAMPLE=10 (s)
#   N_CONTACTS=20000 (loaded through the API before the run)  CONNECTIONS=64  THREADS=2
#   WAL_LIMIT_BYTES (the daemon's storage.wal_limit_bytes; default: the daemon's, 64 MiB)
#   WINDOW=60 (s: first and last windows compared; a third of the run at most)
#   WAL_MAX_MB=192  RSS_GROWTH_PCT=25  MIN_THROUGHPUT_RATIO=0.8 (verdicts)
#   BUILD=1 (0: use the existing build/release/core/relance, or RELANCE=<a relance binary>)
#   KEEP=0 (1: keep the work directory)  WORK=<dir> (default: a new one under /tmp)
# Every server it starts listens on 127.0.0.1 and is stopped on exit; every loop is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

DURATION=${1:-${DURATION:-1800}}
SAMPLE=${SAMPLE:-10}
N_CONTACTS=${N_CONTACTS:-20000}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WINDOW=${WINDOW:-60}
WAL_MAX_MB=${WAL_MAX_MB:-192}
RSS_GROWTH_PCT=${RSS_GROWTH_PCT:-25}
MIN_THROUGHPUT_RATIO=${MIN_THROUGHPUT_RATIO:-0.8}
BUILD=${BUILD:-1}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d /tmp/relance-soak.XXXXXX)}
mkdir -p "$WORK"

RELANCE=${RELANCE:-$ROOT/build/release/core/relance}
DATA="$WORK/data"
RESULTS_JSON="$WORK/results.json"
DAEMON_PID="" WRK_PID="" WATCH_PID=""
ADMIN_EMAIL="admin@soak.relance.local"
ADMIN_PASSWORD="soak-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
USER_PASSWORD="soak-user-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
export BENCH_LUA_DIR="$BENCH/lua" BENCH_NAMES_LUA="$WORK/names.lua" BENCH_THREADS="$THREADS"
[[ -z ${WAL_LIMIT_BYTES:-} ]] || export RELANCE_STORAGE_WAL_LIMIT_BYTES=$WAL_LIMIT_BYTES

# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"  # log, die, helper, build_release, start_daemon, run_loader, stop_pid...

cleanup() {
  local rc=$?
  stop_pid "$WRK_PID" wrk
  stop_pid "$WATCH_PID" soak-watch
  stop_pid "$DAEMON_PID" relance
  finish_work "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

main() {
  require_tools wrk python3 curl cmake
  if ! [[ $DURATION =~ ^[0-9]+$ ]] || ((DURATION < 3 * SAMPLE)); then
    die "DURATION must be a number of seconds, at least 3 samples ($((3 * SAMPLE)) s)"
  fi
  log "work directory: $WORK; $N_CONTACTS contacts, then ${DURATION} s of mixed load (wrk -t$THREADS -c$CONNECTIONS), a sample every ${SAMPLE} s"
  build_release relance
  helper names-lua >"$BENCH_NAMES_LUA"
  echo '{}' >"$RESULTS_JSON"

  start_daemon
  setup_organisations
  log "loading $N_CONTACTS contacts through the API"
  run_loader contacts create_contact.lua "$TOKEN_A" "$N_CONTACTS" 900
  local lo hi
  read -r lo hi < <(contact_id_range)
  log "loaded $LOADED contacts in $LOADED_MS ms (ids $lo..$hi)"
  settle "$DAEMON_PID" "the daemon (FTS merging after the load)"

  log "mixed load for ${DURATION} s"
  BENCH_ID_LO=$lo BENCH_ID_HI=$hi wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" \
    --timeout 10s --latency -s "$BENCH/lua/soak_mix.lua" -H "Authorization: Bearer $TOKEN_A" \
    "$BASE_URL/" >"$WORK/wrk-soak.txt" 2>&1 &
  WRK_PID=$!
  helper soak-watch --daemon "$DAEMON_PID" --url "$BASE_URL/metrics" --db "$DATA/relance.db" \
    --pid "$WRK_PID" --interval "$SAMPLE" --seconds "$((DURATION + 60))" \
    --out "$WORK/samples.tsv" &
  WATCH_PID=$!
  wait "$WRK_PID" || { cat "$WORK/wrk-soak.txt" >&2; die "wrk failed"; }
  WRK_PID=""
  wait "$WATCH_PID" || die "the sampler stopped early: did the daemon exit? (see $WORK/daemon.log)"
  WATCH_PID=""
  record soak --wrk "$WORK/wrk-soak.txt" >/dev/null
  stop_daemon
  local wal_limit="the daemon's default (64 MiB)"
  [[ -z ${WAL_LIMIT_BYTES:-} ]] || wal_limit="$WAL_LIMIT_BYTES bytes"

  cat <<EOF

Relance soak — $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)
Tree: $(source_version)
Load: $N_CONTACTS contacts first, then ${DURATION} s of wrk -t$THREADS -c$CONNECTIONS: 40% search, 20% tag lists, 20% creates, 20% reads by id
wrk: $(helper json-get soak.requests <"$RESULTS_JSON") requests, $(helper json-get soak.failed <"$RESULTS_JSON") answered 400 or more, $(helper json-get soak.errors <"$RESULTS_JSON") socket errors; p99 $(($(helper json-get soak.p99_us <"$RESULTS_JSON") / 1000)) ms
WAL limit: $wal_limit

EOF
  helper soak-report "$WORK/samples.tsv" --window "$WINDOW" --wal-max-mb "$WAL_MAX_MB" \
    --rss-growth-pct "$RSS_GROWTH_PCT" --min-throughput-ratio "$MIN_THROUGHPUT_RATIO"
}

main "$@"
