#!/usr/bin/env bash
# What the reports' aggregates (migration 14, kept by triggers) cost the writes: the same
# writes, in one transaction, on two copies of one database, one of them without the
# report_* triggers, in the sqlite3 shell with the writer's temp_store (MEMORY). Prints the
# shell's user CPU per row of each kind of write, with and without the triggers. The shell's
# user time, not wall time: it holds up on a machine shared with other work.
#
#   relance demo --data-dir /tmp/d --scale 20000 --seed 2026 && bench/report_triggers.sh /tmp/d/relance.db
set -euo pipefail
db=${1:?usage: bench/report_triggers.sh DATABASE (a relance.db of schema 14 or later, copied, never changed)}
command -v sqlite3 >/dev/null || { echo "report_triggers: sqlite3 missing (scripts/install-deps.sh)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$db" "$work/with.db"
cp "$db" "$work/without.db"
drops=$(sqlite3 "$work/without.db" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'report%'")
[ -n "$drops" ] || { echo "report_triggers: $db has no report_* trigger (schema before 14?)" >&2; exit 1; }
sqlite3 "$work/without.db" "$drops"

# One of each write per lead, as the API writes them: a stage change (its activity, then the
# lead), a call logged on the lead, a new lead. Rolled back: both copies stay as they were.
now="strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
sql="PRAGMA temp_store = MEMORY;
.timer on
BEGIN;
INSERT INTO activities (org_id, created_at, updated_at, lead_id, kind, occurred_at, from_stage, to_stage)
  SELECT org_id, $now, $now, id, 'stage-change', $now, stage, 'proposal' FROM leads;
UPDATE leads SET stage = 'proposal', version = version + 1;
INSERT INTO activities (org_id, created_at, updated_at, lead_id, kind, occurred_at, subject)
  SELECT org_id, $now, $now, id, 'call', $now, 'call' FROM leads;
INSERT INTO leads (org_id, created_at, updated_at, title, stage, contact_id, company_id, source_event_id)
  SELECT org_id, created_at, updated_at, title || ' (2)', 'new', contact_id, company_id, source_event_id FROM leads;
ROLLBACK;"
leads=$(sqlite3 "$db" "SELECT count(*) FROM leads")
echo "report_triggers: $leads leads of $db, each write once per lead"
for v in with without; do
  echo "$sql" | sqlite3 "$work/$v.db" | awk -v v="$v" -v n="$leads" '
    /Run Time/ {
      i++
      split("a stage change: its activity|a stage change: its lead|a call logged on a lead|a new lead", what, "|")
      if (i >= 2 && i <= 5) printf "  %-8s %-30s %6.1f us of CPU per row\n", v, what[i - 1], $6 * 1e6 / n
    }'
done
