#!/usr/bin/env bash
# Fuzzes each parser of what clients send (tests/fuzz/: HTTP requests, JSON bodies, CSV and
# vCard imports, list queries and cursors) with libFuzzer, for a bounded time per target.
# Installs clang 15 first if missing, builds the fuzz preset (build/fuzz), and runs each
# target on a working copy of its stored corpus (build/fuzz/runs/<name>/corpus), so that
# the inputs it discovers do not change the repository.
#
#   scripts/fuzz.sh [SECONDS] [NAME...]   SECONDS per target (default 60); every target
#                                         unless NAMEs are given (csv, vcard, ...)
#   RELANCE_FUZZ_KEEP=1 scripts/fuzz.sh   also merges what was discovered into
#                                         tests/fuzz/corpus/<name>/ (minimised: only inputs
#                                         that add coverage), to commit
#
# An input that crashes a target (a sanitizer report, an uncaught exception, a broken
# property, a time-out) is copied to tests/fuzz/regressions/<name>/ and the script exits
# non-zero: fix the bug and commit the input, which the test suite then replays
# ("fuzz replay: <name>").
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
seconds=${1:-60}
shift || true
all=(csv vcard json_body http_request list_query)
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=("${all[@]}")

scripts/install-deps.sh --fuzz
cmake --preset fuzz >/dev/null
cmake --build build/fuzz -j "$(nproc)" --target "${targets[@]/%/_fuzz}"

symbolizer=$(command -v llvm-symbolizer-15 || command -v llvm-symbolizer || true)
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1${symbolizer:+:external_symbolizer_path=$symbolizer}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

runs=build/fuzz/runs
status=0
printf '%-14s %8s %12s %10s %8s  %s\n' target seconds executions exec/s corpus result
for name in "${targets[@]}"; do
  dir=$runs/$name
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/crashes"
  cp tests/fuzz/corpus/"$name"/* "$dir/corpus/"
  [ -d tests/fuzz/regressions/"$name" ] && cp tests/fuzz/regressions/"$name"/* "$dir/corpus/"
  before=$(ls "$dir/corpus" | wc -l)
  # -timeout: an input that takes longer than 10 s is a hang, reported like a crash.
  result=ok
  build/fuzz/tests/fuzz/"$name"_fuzz -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$dir/crashes/" "$dir/corpus" >"$dir/log" 2>&1 || result=failed
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
  after=$(ls "$dir/corpus" | wc -l)
  if compgen -G "$dir/crashes/*" >/dev/null; then
    mkdir -p tests/fuzz/regressions/"$name"
    cp "$dir"/crashes/* tests/fuzz/regressions/"$name"/
    result="CRASH: $(ls "$dir/crashes" | tr '\n' ' ')-> tests/fuzz/regressions/$name/ (log: $dir/log)"
    status=1
  elif [ "$result" = failed ]; then
    result="failed (log: $dir/log)"
    status=1
  fi
  printf '%-14s %8s %12s %10s %8s  %s\n' "$name" "$seconds" "${execs:-?}" "${speed:-?}" \
    "$before+$((after - before))" "$result"
  if [ "${RELANCE_FUZZ_KEEP:-0}" = 1 ] && [ "$status" = 0 ]; then
    build/fuzz/tests/fuzz/"$name"_fuzz -merge=1 tests/fuzz/corpus/"$name" "$dir/corpus" \
      >"$dir/merge.log" 2>&1
  fi
done
exit "$status"
