#!/usr/bin/env bash
# Relance web app benchmark: on the demo mission (`relance demo --scale N`), in Debian's
# headless Chromium on loopback, the first render of the pipeline board, the contacts
# screen and the region dashboard, search-as-you-type keystroke by keystroke, and the
# JavaScript each first load downloads; each beside its target and a ceiling (the same API
# calls without the browser). See bench/README.md.
#
#   bench/web.sh                              # full: 1,000,000 contacts (demo made once, then reused)
#   N_CONTACTS=20000 bench/web.sh             # quick
#
# Settings (environment):
#   N_CONTACTS=1000000  SEED=2026  DEMO_ROOT=/var/tmp (the demo is kept in
#     DEMO_ROOT/relance-web-demo-N-SEED and reused by the next run of the same N and SEED)
#   RUNS=7 (first renders per screen)  KEYSTROKES=300  KEY_DELAY_MS=120  CEILING_ROUNDS=3
#   TARGET_RENDER_MS=1000  TARGET_KEY_P95_MS=100  TARGET_JS_KB=150
#   CHROMIUM=/usr/bin/chromium  BUILD=1 (0: use the existing build/release, or BUILD_DIR)
#   KEEP=0 (1: keep the work directory)  WORK=<dir>  RESULTS=<file> (copy of the figures, JSON)
# The daemon it starts listens on 127.0.0.1 and is stopped on exit; every wait is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

N_CONTACTS=${N_CONTACTS:-1000000}
SEED=${SEED:-2026}
DEMO_ROOT=${DEMO_ROOT:-/var/tmp}
RUNS=${RUNS:-7}
KEYSTROKES=${KEYSTROKES:-300}
KEY_DELAY_MS=${KEY_DELAY_MS:-120}
CEILING_ROUNDS=${CEILING_ROUNDS:-3}
TARGET_RENDER_MS=${TARGET_RENDER_MS:-1000}
TARGET_KEY_P95_MS=${TARGET_KEY_P95_MS:-100}
TARGET_JS_KB=${TARGET_JS_KB:-150}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
BUILD=${BUILD:-1}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d /tmp/relance-bench-web.XXXXXX)}
mkdir -p "$WORK"

# BUILD_DIR: another build tree's daemon and app (BUILD=0 BUILD_DIR=build/dev: a debug
# daemon, slower; the report names it).
BUILD_DIR=${BUILD_DIR:-$ROOT/build/release}
RELANCE="$BUILD_DIR/core/relance"
WEB_APP="$BUILD_DIR/web/app"
NODE_MODULES="$BUILD_DIR/web/node_modules"
DEMO="$DEMO_ROOT/relance-web-demo-$N_CONTACTS-$SEED"
DATA="$DEMO/data"
RESULTS_JSON="$WORK/results.json"
DAEMON_PID=""
# start_daemon's first admin: unused, the demo has its own.
ADMIN_EMAIL="admin@bench.relance.local"
ADMIN_PASSWORD="bench-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"  # log, die, helper, build_release, start_daemon, stop_pid, settle...

cleanup() {
  local rc=$?
  stop_pid "$DAEMON_PID" relance
  finish_work "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
  require_tools node python3 curl cmake
  [[ -x $CHROMIUM ]] || die "no Chromium at $CHROMIUM: run scripts/install-deps.sh (Debian's chromium)"
  ((N_CONTACTS >= 100 && RUNS >= 1 && KEYSTROKES >= 1)) || die "sizes too small"
}

# The demo of N_CONTACTS and SEED, made once: written beside its final place and renamed
# when complete, so that an interrupted run never leaves a half demo to be reused.
demo_data() {
  if [[ -f $DEMO/demo.txt && -f $DATA/relance.db ]]; then
    log "reusing the demo in $DEMO"
    return
  fi
  local t0
  rm -rf "$DEMO.partial" && mkdir -p "$DEMO.partial"
  log "relance demo --scale $N_CONTACTS --seed $SEED into $DEMO (about 20 minutes for 1,000,000 on a loaded 2-core machine)"
  t0=$(now_ns)
  "$RELANCE" demo --data-dir "$DEMO.partial/data" --scale "$N_CONTACTS" --seed "$SEED" \
    >"$DEMO.partial/demo.txt" 2>"$WORK/demo.log" ||
    { tail -20 "$WORK/demo.log" >&2; die "relance demo failed"; }
  rm -rf "$DEMO" && mv "$DEMO.partial" "$DEMO"
  log "demo written in $((($(now_ns) - t0) / 1000000000)) s"
}

# The logins the demo printed: the region's staff member and the first founder.
demo_logins() {
  read -r STAFF_EMAIL STAFF_PASSWORD < <(awk '/region staff/ { for (i = 1; i < NF; i++) if ($i == "password:") print $(i - 1), $(i + 1) }' "$DEMO/demo.txt")
  read -r FOUNDER_EMAIL FOUNDER_PASSWORD < <(awk '/founder of/ { for (i = 1; i < NF; i++) if ($i == "password:") { print $(i - 1), $(i + 1); exit } }' "$DEMO/demo.txt")
  [[ -n ${STAFF_PASSWORD:-} && -n ${FOUNDER_PASSWORD:-} ]] || { cat "$DEMO/demo.txt" >&2; die "no logins in $DEMO/demo.txt"; }
  DEMO_SUMMARY=$(grep -m1 contacts "$DEMO/demo.txt" | sed 's/^ *//')
}

main() {
  check_tools
  log "work directory: $WORK; demo of $N_CONTACTS contacts (seed $SEED); $RUNS first renders per screen"
  build_release relance relance_web_app  # the app is not a dependency of the daemon
  [[ -f $WEB_APP/index.html && -d $NODE_MODULES/playwright-core ]] ||
    die "no web app in $WEB_APP or no playwright-core in $NODE_MODULES (node and npm: scripts/install-deps.sh)"
  demo_data
  demo_logins

  # This tree's app, whatever else is installed.
  export RELANCE_WEB_ROOT="$WEB_APP"
  start_daemon
  settle "$DAEMON_PID" "the daemon (start-up check of the database)"

  RELANCE_URL=$BASE_URL RELANCE_CHROMIUM=$CHROMIUM RELANCE_WEB_NODE_MODULES=$NODE_MODULES \
    FOUNDER_EMAIL=$FOUNDER_EMAIL FOUNDER_PASSWORD=$FOUNDER_PASSWORD \
    STAFF_EMAIL=$STAFF_EMAIL STAFF_PASSWORD=$STAFF_PASSWORD \
    RUNS=$RUNS KEYSTROKES=$KEYSTROKES KEY_DELAY_MS=$KEY_DELAY_MS CEILING_ROUNDS=$CEILING_ROUNDS SEED=$SEED \
    timeout 3600 node "$BENCH/web_browser.mjs" >"$RESULTS_JSON" ||
    die "the browser run failed"
  stop_daemon

  [[ -z ${RESULTS:-} ]] || cp "$RESULTS_JSON" "$RESULTS"
  cat <<EOF

Relance web app benchmark — $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)
Tree: $(source_version); daemon $RELANCE
Data: relance demo --scale $N_CONTACTS --seed $SEED ($DEMO_SUMMARY), in $DEMO
Browser: $("$CHROMIUM" --version 2>/dev/null | head -1), headless, playwright-core; en-US, 1280x800, a fresh context per first render

EOF
  python3 "$BENCH/web_report.py" "$RESULTS_JSON" --render-ms "$TARGET_RENDER_MS" \
    --key-p95-ms "$TARGET_KEY_P95_MS" --js-kb "$TARGET_JS_KB"
}

main "$@"
