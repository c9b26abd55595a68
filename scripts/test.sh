#!/usr/bin/env bash
# Builds Relance and runs every test. Installs missing Debian packages first (as root, or
# through sudo), and starts nothing that outlives the run: the tests start their own
# daemons on free loopback ports.
#   scripts/test.sh          the dev preset (debug, warnings as errors)
#   scripts/test.sh asan     the same under AddressSanitizer and UBSan
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
preset=${1:-dev}
scripts/install-deps.sh
cmake --preset "$preset" >/dev/null
cmake --build "build/$preset" -j "$(nproc)"
ctest --preset "$preset" -j "$(nproc)" --timeout 600
