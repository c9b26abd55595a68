#!/usr/bin/env bash
# Proves the stability checks can fail: in a copy of the live headers, two members of
# relance_event change places (same size, same types, only the order differs), and both the
# layout asserts and the ABI diff must reject the copy.
#   mutation_check.sh <sdk dir> <work dir> <C compiler>
set -euo pipefail
sdk=$1 work=$2 cc=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$work" && mkdir -p "$work"
cp -r "$sdk/include" "$work/include"
header="$work/include/relance/event_sink.h"
sed -i -e '/^  int64_t org_id; /{h;d}' -e '/^  int64_t entity_id; /{G}' "$header"
if cmp -s "$header" "$sdk/include/relance/event_sink.h"; then
  echo "FAIL: the mutation did not apply (event_sink.h changed?)"; exit 1
fi
release=$(cd "$sdk/compat" && ls -d [0-9]*.[0-9]* | sort -V | tail -n 1)
failed=0
if "$cc" -std=c11 -I"$work/include" -c "$sdk/compat/$release/layout.c" -o "$work/layout.o" 2>"$work/layout.err"; then
  echo "FAIL: the layout asserts of $release accepted swapped members"; failed=1
else
  echo "ok: the layout asserts reject it: $(grep -m1 -o 'relance_event\.[a-z_]*: offset changed' "$work/layout.err")"
fi
status=0
"$here/abi_check.sh" "$sdk/compat" "$work/include" "$work/abi" "$cc" > "$work/abi.out" || status=$?
case $status in
  77) cat "$work/abi.out" ;;
  0) echo "FAIL: the ABI diff accepted swapped members"; failed=1 ;;
  *) echo "ok: the ABI diff rejects it: $(grep -m1 'offset changed' "$work/abi.out" | sed 's/^ *//')" ;;
esac
exit "$failed"
