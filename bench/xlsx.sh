#!/usr/bin/env bash
# XLSX export benchmark (the issue: an XLSX of 100,000 rows in under 10 s). Builds the
# release preset's relance_export_xlsx and export_driver, generates a contacts dataset of
# N_ROWS rows as export_driver input (python3, every column of the contacts dataset as the
# daemon sends it: accents, lists, notes, instants), then times export_driver over it.
# The time is the driver's whole run, so it includes parsing the JSON input (an upper bound
# of the plugin's share); no daemon, no storage, no HTTP. Figures: docs/performance.md.
#
#   bench/xlsx.sh                    # 100,000 rows, 3 runs
#   N_ROWS=20000 RUNS=1 bench/xlsx.sh
#
# Settings (environment): N_ROWS=100000 RUNS=3 BUILD=1 (0: use the existing build/release)
#   KEEP=0 (1: keep the work directory)  WORK=<dir> (default: a new one under /tmp)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N_ROWS=${N_ROWS:-100000}
RUNS=${RUNS:-3}
BUILD=${BUILD:-1}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d /tmp/relance-bench-xlsx.XXXXXX)}
CEILING=10  # seconds, the issue's target for 100,000 rows
mkdir -p "$WORK"
cleanup() { if [ "$KEEP" != 1 ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi; }
trap cleanup EXIT

if [ "$BUILD" = 1 ]; then
  (cd "$ROOT" && cmake --preset release >/dev/null &&
     cmake --build build/release --target relance_export_xlsx export_driver >/dev/null)
fi
DRIVER="$ROOT/build/release/tests/exports/export_driver"
PLUGIN="$ROOT/build/release/lib/relance/plugins/relance_export_xlsx.so"

python3 - "$N_ROWS" "$WORK/input.json" <<'EOF'
import json, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(42)
first = ["Zoé", "Émilie", "Søren", "Ægir", "Jean-Baptiste", "Nguyễn", "Mary", "Łukasz", "Chloé", "Ana"]
last = ["Châteauneuf-Müller", "Lefèvre", "Œdipe", "O'Brien", "Dupont", "García", "Smith", "Nowak"]
cities = ["Saint-Étienne", "Paris", "Palo Alto", "Montréal", "Århus", "Lyon"]
tags = ["investor", "press", "partner", "fr", "us", "hot", "cold"]
kinds = {"id": "integer", "first_name": "text", "last_name": "text", "emails": "list",
         "phones": "list", "company_id": "integer", "title": "text", "city": "text",
         "country": "text", "linkedin_url": "text", "tags": "list", "notes": "text",
         "met_at": "instant", "met_where": "text", "source_event_id": "integer",
         "lawful_basis": "text", "consent_at": "instant", "consent_note": "text",
         "created_at": "instant", "updated_at": "instant"}
def instant(i):
    return "2026-%02d-%02dT%02d:%02d:%02d.%03dZ" % (1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60, i % 1000)
rows = []
for i in range(1, n + 1):
    f, l = rnd.choice(first), rnd.choice(last)
    rows.append([i, f, l, ["%s.%d@example.fr" % ("contact", i), "c%d@exemple.com" % i][: 1 + i % 2],
                 ["+336%08d" % i], (i % 500) or None, "Directrice, R&D", rnd.choice(cities), "FR",
                 "https://www.linkedin.com/in/c%d" % i, rnd.sample(tags, i % 4),
                 "Rencontrée au salon, \"très\" intéressée;\nrelancer en mars. " * (1 + i % 3),
                 instant(i), "VivaTech", None, "consent", instant(i + 1), "", instant(i + 2), instant(i + 3)])
doc = {"options": {}, "locale": "fr", "time_zone": "Europe/Paris",
       "datasets": [{"name": "contacts", "columns": [{"name": k, "kind": v} for k, v in kinds.items()],
                     "rows": rows}]}
with open(path, "w", encoding="utf-8") as out:
    json.dump(doc, out, ensure_ascii=False)
EOF
echo "input: $N_ROWS contacts, $(du -h "$WORK/input.json" | cut -f1) of JSON"

times=()
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s.%N)
  TMPDIR="$WORK" timeout 300 "$DRIVER" "$PLUGIN" "$WORK/input.json" "$WORK/out.xlsx"
  end=$(date +%s.%N)
  t=$(python3 -c "print(f'{$end - $start:.2f}')")
  times+=("$t")
  echo "run $run: $t s, $(du -h "$WORK/out.xlsx" | cut -f1) of XLSX"
done
python3 - "$N_ROWS" "$CEILING" "${times[@]}" <<'EOF'
import statistics, sys
n, ceiling, times = int(sys.argv[1]), float(sys.argv[2]), [float(t) for t in sys.argv[3:]]
med = statistics.median(times)
print(f"xlsx export of {n:,} rows: median {med:.2f} s (best {min(times):.2f} s) over {len(times)} runs; "
      f"ratio to the {ceiling:.0f} s ceiling: {med / ceiling:.2f} ({'under' if med < ceiling else 'OVER'})")
EOF
