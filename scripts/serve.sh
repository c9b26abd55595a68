#!/usr/bin/env bash
# Builds Relance (release) and runs the daemon on its embedded SQLite default.
# Installs missing Debian packages first (as root, or through sudo).
#   scripts/serve.sh [--data-dir DIR] [--listen HOST:PORT]
#   scripts/serve.sh --demo [--listen HOST:PORT]
# Defaults: data in ./relance-data, listening on 127.0.0.1:8080. --demo serves ./relance-demo,
# which `relance demo` fills with a fictional mission on the first run (it prints the logins).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
scripts/install-deps.sh --build-only
cmake --preset release >/dev/null
cmake --build build/release --target relance relance_plugins relance_web_app
# The relance command line is the same binary: say where it is, and put it on PATH when
# running as root (a link, so that each rebuild is the command the next login uses).
binary="$here/build/release/core/relance"
if [[ $(id -u) -eq 0 ]]; then
  ln -sf "$binary" /usr/local/bin/relance
  echo "serve.sh: the relance command is linked as /usr/local/bin/relance -> $binary"
elif ! command -v relance >/dev/null 2>&1; then
  echo "serve.sh: the relance command is $binary (not on PATH: add its folder, or run this script as root to link it in /usr/local/bin)"
fi
if [[ ${1:-} == --demo ]]; then
  shift
  demo_dir="$here/relance-demo"
  [[ -e "$demo_dir/relance.db" ]] || "$binary" demo --data-dir "$demo_dir"
  exec "$binary" serve --data-dir "$demo_dir" "$@"
fi
args=("$@")
[[ " ${args[*]} " == *" --data-dir "* ]] || args+=(--data-dir "$here/relance-data")
exec "$binary" serve "${args[@]}"
