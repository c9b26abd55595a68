#!/usr/bin/env bash
# Builds Relance (release) and runs the daemon on its embedded SQLite default.
# Installs missing Debian packages first (as root, or through sudo).
#   scripts/serve.sh [--data-dir DIR] [--listen HOST:PORT]
# Defaults: data in ./relance-data, listening on 127.0.0.1:8080.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
scripts/install-deps.sh --build-only
cmake --preset release >/dev/null
cmake --build build/release --target relance relance_plugins
args=("$@")
[[ " ${args[*]} " == *" --data-dir "* ]] || args+=(--data-dir "$here/relance-data")
exec build/release/core/relance serve "${args[@]}"
