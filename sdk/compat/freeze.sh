#!/usr/bin/env bash
# Freezes the SDK's C contract as a release: sdk/compat/<epoch>.<minor>/ receives
#   include/relance/   a copy of sdk/include/relance (the headers as released)
#   abi.xml            abidw's dump of abi_probe.c built against that copy
#   layout.c           the layout of every struct and every constant, as literal numbers
# The tests (tests/sdk) compile layout.c against the copy and the live headers, and diff the
# live headers' ABI against the newest abi.xml. Run it once per epoch or minor release, on
# x86_64 Linux with abigail-tools installed, then commit the new folder (see CHANGES-ABI.md).
#   sdk/compat/freeze.sh           freezes the version of sdk/include/relance/version.h
#   FORCE=1 sdk/compat/freeze.sh   overwrites an existing folder (only before a release)
set -euo pipefail
compat=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
live="$compat/../include"
cc=${CC:-cc}

number() { sed -n "s/^#define RELANCE_SDK_$1 \([0-9]*\).*/\1/p" "$live/relance/version.h"; }
release="$(number EPOCH).$(number MINOR)"
out="$compat/$release"
if [ -e "$out" ] && [ "${FORCE:-}" != 1 ]; then
  echo "freeze: $out exists: a released contract never changes (FORCE=1 to overwrite)" >&2
  exit 1
fi
[ "$(uname -m)" = x86_64 ] || { echo "freeze: the stored numbers are x86_64's" >&2; exit 1; }
command -v abidw >/dev/null || { echo "freeze: abidw missing (apt-get install abigail-tools)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$out"
mkdir -p "$out/include"
cp -r "$live/relance" "$out/include/"

# The dump: the probe built from a relative path, so no folder of this machine is recorded;
# no locations, so a comment edit is not an ABI change.
cp "$compat/abi_probe.c" "$work/"
(cd "$work" && "$cc" -std=c99 -g -fPIC -shared -I"$out/include" -o abi_probe.so abi_probe.c)
abidw --no-corpus-path --no-comp-dir-path --no-show-locs --type-id-style hash \
  "$work/abi_probe.so" > "$out/abi.xml"

# The layout: every struct and member abidw found (it parses C better than a script would),
# measured by the compiler itself, and every RELANCE_ constant of the headers.
python3 - "$out" "$work/gen.c" <<'EOF'
import re, sys, glob, xml.etree.ElementTree as ET
out, gen = sys.argv[1], sys.argv[2]
structs = {}
for c in ET.parse(out + "/abi.xml").iter("class-decl"):
    members = [m.find("var-decl").get("name") for m in c.findall("data-member")]
    if members:
        structs[c.get("name")] = members
# Records that may grow at their end: they start with struct_size and are never array
# elements (an array's stride is the reader's sizeof, so its elements cannot grow).
arrays = {"relance_value", "relance_column", "relance_option"}
ints, strs = {}, {}
skip = re.compile(r"_H$|^RELANCE_(EXPORT|PLUGIN_ENTRY|SDK_MINOR|SDK_PATCH)$")
for h in sorted(glob.glob(out + "/include/relance/**/*.h", recursive=True)):
    for name, value in re.findall(r"^#define (RELANCE_\w+)[ \t]+(\S.*?)\s*(?:/\*.*)?$", open(h).read(), re.M):
        if skip.search(name): continue
        if value.startswith('"'): strs[name] = value
        elif re.fullmatch(r"[0-9]+u?", value): ints[name] = value
g = ['#include <stdio.h>', '#include "relance/relance.h"', 'int main(void) {']
for s, members in sorted(structs.items()):
    kind = "GROWABLE" if members[0] == "struct_size" and s not in arrays else "FIXED"
    g.append(f'  printf("{kind}({s}, %zu, %zu)\\n", sizeof({s}), _Alignof({s}));')
    for m in members:
        g.append(f'  printf("MEMBER({s}, {m}, %zu, %zu, %zu)\\n", offsetof({s}, {m}), '
                 f'sizeof((({s}*)0)->{m}), _Alignof(__typeof__((({s}*)0)->{m})));')
for n in sorted(ints): g.append(f'  printf("INTEGER({n}, %llu)\\n", (unsigned long long){n});')
for n in sorted(strs): g.append(f'  printf("STRING({n}, \\"%s\\")\\n", {n});')
g.append('  return 0;\n}')
open(gen, "w").write("\n".join(g) + "\n")
EOF
"$cc" -std=c11 -I"$out/include" -o "$work/gen" "$work/gen.c"

{
  cat <<EOF
/* Relance SDK $release: the layout of every struct of the C contract on x86_64 (LP64), and
 * every constant. Generated once by sdk/compat/freeze.sh when $release was frozen: never edit.
 *
 * tests/sdk compiles and runs this file against the frozen copy beside it, with
 * -DRELANCE_LAYOUT_FROZEN (every size exact), and against the live headers, where a growable
 * record (starting with struct_size, never an array element) may have grown at its end: its
 * $release layout must stay its prefix. Any other change fails to compile. */
#include <stdio.h>
#include <string.h>

#include "relance/relance.h"

#if defined(__x86_64__) && defined(__LP64__)

#define FIXED(T, size, align)                                 \\
  _Static_assert(sizeof(T) == (size), #T ": size changed");   \\
  _Static_assert(_Alignof(T) == (align), #T ": alignment changed");
#ifdef RELANCE_LAYOUT_FROZEN
#define GROWABLE FIXED
#else
#define GROWABLE(T, size, align)                              \\
  _Static_assert(sizeof(T) >= (size), #T ": size shrank");    \\
  _Static_assert(_Alignof(T) == (align), #T ": alignment changed");
#endif
#define MEMBER(T, m, offset, size, align)                                        \\
  _Static_assert(offsetof(T, m) == (offset), #T "." #m ": offset changed");      \\
  _Static_assert(sizeof(((T*)0)->m) == (size), #T "." #m ": size changed");      \\
  _Static_assert(_Alignof(__typeof__(((T*)0)->m)) == (align), #T "." #m ": alignment changed");
#define INTEGER(name, value) _Static_assert(name == value, #name " changed");
#define STRING(name, value) if (strcmp(name, value) != 0) failed = printf("%s changed\\n", #name);

EOF
  "$work/gen" | grep -v '^STRING'
  cat <<EOF
_Static_assert(RELANCE_SDK_MINOR >= $(number MINOR), "the minor version went back");

int main(void) {
  int failed = 0;
EOF
  "$work/gen" | grep '^STRING' | sed 's/^/  /'
  cat <<EOF
  if (!failed) printf("Relance SDK $release layout holds\\n");
  return failed ? 1 : 0;
}

#else
int main(void) {
  printf("Relance SDK $release layout: numbers are for x86_64 LP64, skipped\\n");
  return 77;
}
#endif
EOF
} > "$out/layout.c"
echo "freeze: $out ($(grep -c '^MEMBER' "$out/layout.c") members, $(grep -c '^FIXED\|^GROWABLE' "$out/layout.c") structs)"
