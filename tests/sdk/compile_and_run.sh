#!/usr/bin/env bash
# Compiles one test program with the given compiler and arguments, then runs it; its exit
# code is the test's (77: skipped).  compile_and_run.sh <output> <compiler> <args...>
set -euo pipefail
out=$1; shift
mkdir -p "$(dirname "$out")"
"$@" -o "$out"
exec "$out"
