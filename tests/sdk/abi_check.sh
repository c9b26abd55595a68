#!/usr/bin/env bash
# ABI diff of the SDK: builds sdk/compat/abi_probe.c against the headers given, dumps its ABI
# with abidw and compares it with the dump of the newest frozen release (abi.xml) using
# abidiff --harmless, so that even a renamed member counts. abidiff's exit code is a bit
# field: 1 error, 2 usage error, 4 ABI change, 8 incompatible change. Any non-zero fails:
# libabigail 2.2's suppression "has_data_member_inserted_at = end" also hides changes that
# are not insertions, so growth at the end cannot be told apart reliably; a minor release
# that grows a record re-freezes instead (sdk/compat/freeze.sh), and the layout asserts of
# every older release check that it grew only at its end.
#   abi_check.sh <sdk/compat> <include dir> <work dir> [C compiler]
# Exits 77 (skipped) when abigail-tools is not installed.
set -euo pipefail
compat=$1 include=$2 work=$3 cc=${4:-cc}
if ! command -v abidw >/dev/null || ! command -v abidiff >/dev/null; then
  echo "SKIPPED: abidw/abidiff not installed (scripts/install-deps.sh installs abigail-tools)"
  exit 77
fi
release=$(cd "$compat" && ls -d [0-9]*.[0-9]* | sort -V | tail -n 1)
rm -rf "$work" && mkdir -p "$work"
cp "$compat/abi_probe.c" "$work/"
# Built as freeze.sh builds it: from a relative path, no locations in the dump.
(cd "$work" && "$cc" -std=c99 -g -fPIC -shared -I"$include" -o abi_probe.so abi_probe.c)
abidw --no-corpus-path --no-comp-dir-path --no-show-locs --type-id-style hash \
  "$work/abi_probe.so" > "$work/abi.xml"
status=0
abidiff --harmless "$compat/$release/abi.xml" "$work/abi.xml" > "$work/report.txt" || status=$?
if [ "$status" -ne 0 ]; then
  cat "$work/report.txt"
  echo "FAIL: the headers in $include differ from the ABI of SDK $release (abidiff exit $status)"
  exit 1
fi
echo "ok: the headers in $include have the ABI of SDK $release"
