#!/usr/bin/env bash
# Symbol check of Relance plugins: each .so exports exactly relance_plugin_entry_v1 and
# depends on no Relance library (a plugin talks to the daemon only through the host handle).
# System and third-party libraries (libcurl...) are allowed; so are the sanitizer runtimes.
#   check_symbols.sh [--list FILE] [PLUGIN.so...]   FILE: one path a line
set -euo pipefail
plugins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --list) while IFS= read -r line; do [ -n "$line" ] && plugins+=("$line"); done < "$2"; shift 2 ;;
    *) plugins+=("$1"); shift ;;
  esac
done
[ "${#plugins[@]}" -gt 0 ] || { echo "check_symbols: no plugin given" >&2; exit 1; }

failed=0
for so in "${plugins[@]}"; do
  bad=0
  if [ ! -f "$so" ]; then echo "FAIL $so: missing (not built?)"; failed=1; continue; fi
  exported=$(nm -D --defined-only "$so" | awk '{print $NF}' | sort | tr '\n' ' ')
  if [ "$exported" != "relance_plugin_entry_v1 " ]; then
    echo "FAIL $so: exports [${exported% }], expected only relance_plugin_entry_v1"; bad=1
  fi
  needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  if grep -qi relance <<<"$needed"; then
    echo "FAIL $so: needs a Relance library: $needed"; bad=1
  fi
  # A run path into the build tree would let a plugin load our libraries after all.
  if readelf -d "$so" | grep -Eq '\((RPATH|RUNPATH)\)'; then
    echo "FAIL $so: has a run path: $(readelf -d "$so" | grep -E '\((RPATH|RUNPATH)\)')"; bad=1
  fi
  if [ "$bad" -ne 0 ]; then failed=1; continue; fi
  echo "ok $so: exports relance_plugin_entry_v1 only; needs ${needed% }"
done
exit "$failed"
