#!/usr/bin/env python3
"""The reports benchmark's ceiling and its report (bench/reports.sh).

    reports_ceiling.py REPORT --filters FILTERS.json --count N   # sqlite3 script on stdout
    reports_ceiling.py --report RESULTS.json --target-ms 100 --reports "..." --roles "..."

The first form writes a script for the sqlite3 shell: N filter sets drawn as
bench/lua/report.lua draws them (none, a mission, a start-up, a sector, a partner, a period,
a mission and a period), each bound with `.parameter set` and followed by the SQL statements
the daemon runs for REPORT, built as storage/sqlite/report_queries.cpp builds them (only the
set filters' conditions), under `.timer on`, output to /dev/null. Keep the two in step: the
ceiling is the daemon's own statements, without HTTP, JSON or concurrency.

The second prints the table of figures. Standard library only.
"""
import argparse
import datetime as dt
import json
import random
import sys

# ---- the statements (storage/sqlite/report_queries.cpp)


def lead_conditions(f):
    w = " WHERE 1"
    if "org" in f: w += " AND l.org_id = :org"
    if "event" in f: w += " AND l.source_event_id = :event"
    if "partner" in f: w += " AND l.company_id = :partner"
    if "sector" in f: w += " AND l.company_id IN (SELECT id FROM companies WHERE sector = :sector COLLATE NOCASE)"
    if "from" in f: w += " AND l.created_at >= :from"
    if "to" in f: w += " AND l.created_at < date(:to, '+1 day')"
    return w


def leads_covered(f):
    return " FROM leads l" + lead_conditions(f)


STAGE_CHANGES = " FROM leads l JOIN activities a ON a.lead_id = l.id AND a.kind = 'stage-change' AND +a.org_id = l.org_id"
OUTCOME_DAY = "coalesce(o.occurred_on, substr(o.created_at, 1, 10))"


def outcomes_covered(f):
    frm = " FROM outcomes o LEFT JOIN companies pc ON pc.id = o.partner_company_id"
    w = " WHERE 1"
    if "org" in f: w += " AND o.org_id = :org"
    if "event" in f:
        frm += " LEFT JOIN leads l ON l.id = o.lead_id"
        w += " AND coalesce(o.event_id, l.source_event_id) = :event"
    if "sector" in f: w += " AND pc.sector = :sector COLLATE NOCASE"
    if "partner" in f: w += " AND o.partner_company_id = :partner"
    if "from" in f: w += " AND " + OUTCOME_DAY + " >= :from"
    if "to" in f: w += " AND " + OUTCOME_DAY + " <= :to"
    return frm + w


def leads_by_stage(f):
    return "SELECT l.org_id, l.stage, count(*)" + leads_covered(f) + " GROUP BY l.org_id, l.stage"


def stage_paths(f):
    changes = STAGE_CHANGES + lead_conditions(f)
    return ("WITH seen AS (SELECT l.id, l.org_id, l.stage" + leads_covered(f) +
            " UNION SELECT l.id, l.org_id, a.from_stage" + changes +
            " UNION SELECT l.id, l.org_id, a.to_stage" + changes + "),"
            " paths AS (SELECT org_id, group_concat(stage, char(31)) AS stages"
            " FROM (SELECT * FROM seen WHERE stage IS NOT NULL ORDER BY id, stage) GROUP BY id, org_id)"
            " SELECT org_id, stages, count(*) FROM paths GROUP BY org_id, stages")


def stage_stays(f):
    return ("SELECT org_id, stage, seconds FROM (SELECT l.org_id, a.from_stage AS stage, (julianday(a.occurred_at) -"
            " julianday(coalesce(lag(a.occurred_at) OVER (PARTITION BY a.lead_id ORDER BY a.occurred_at, a.id),"
            " l.created_at))) * 86400.0 AS seconds" + STAGE_CHANGES + lead_conditions(f) + ") WHERE stage IS NOT NULL")


def outcome_groups(f):
    return ("SELECT o.org_id, o.kind, coalesce(o.partner_company_id, 0), coalesce(pc.name, ''), coalesce(pc.sector, ''),"
            " substr(" + OUTCOME_DAY + ", 1, 7), coalesce(o.currency, ''), count(*), coalesce(sum(o.amount), 0),"
            " coalesce(sum(o.amount_eur), 0), coalesce(sum(o.jobs), 0)" + outcomes_covered(f) +
            " GROUP BY 1, 2, 3, 4, 5, 6, 7")


def first_followups(f):
    return ("WITH fl AS (SELECT l.id, l.org_id, l.source_event_id" + leads_covered(f) +
            " AND l.source_event_id IS NOT NULL),"
            " start AS MATERIALIZED (SELECT fl.id, fl.org_id, coalesce("
            " (SELECT min(a.occurred_at) FROM activities a WHERE a.lead_id = fl.id AND a.kind = 'meeting' AND +a.org_id = fl.org_id),"
            " (SELECT date(e.ends_on, '+1 day') || 'T00:00:00.000Z' FROM events e WHERE e.id = fl.source_event_id))"
            " AS at FROM fl),"
            " ref AS (SELECT id, org_id, CASE WHEN at <= :now THEN at END AS ref_at FROM start)"
            " SELECT org_id, ref_at IS NOT NULL, (julianday((SELECT min(a.occurred_at) FROM activities a"
            " WHERE a.lead_id = ref.id AND +a.org_id = ref.org_id AND a.kind IN ('call', 'email', 'meeting')"
            " AND a.occurred_at > ref.ref_at))"
            " - julianday(ref_at)) * 86400.0 FROM ref")


def overdue_followups(f):
    return ("SELECT l.org_id, count(*) FROM followups fu JOIN leads l ON l.id = fu.lead_id" + lead_conditions(f) +
            " AND l.source_event_id IS NOT NULL AND fu.status IN ('open', 'snoozed') AND fu.due_at < :now"
            " GROUP BY l.org_id")


def stale_counts(f):
    return ("WITH fl AS (SELECT l.id, l.org_id, l.title, l.stage,"
            " coalesce((SELECT max(a.occurred_at) FROM activities a WHERE a.lead_id = l.id AND +a.org_id = l.org_id),"
            " l.created_at) AS last_at,"
            " coalesce(:days, (SELECT min(r.days) FROM cadence_rules r WHERE r.org_id = l.org_id AND r.kind = 'stale-stage'"
            " AND r.stage = l.stage AND coalesce(r.enabled, 1) != 0), :default_days) AS days" + leads_covered(f) +
            " AND l.stage NOT IN ('won', 'lost')),"
            " st AS (SELECT *, julianday(:now) - julianday(last_at) AS idle FROM fl)"
            " SELECT org_id, stage, count(*) FROM st WHERE idle >= days GROUP BY org_id, stage")


STATEMENTS = {
    "funnel": [leads_by_stage, stage_paths, stage_stays],
    "outcomes": [outcome_groups],
    "followup-discipline": [first_followups, overdue_followups],
    "stale": [stale_counts],
}
STATEMENTS["mission-summary"] = [s for r in ("funnel", "outcomes", "followup-discipline", "stale")
                                 for s in STATEMENTS[r]]

# ---- the filters (bench/lua/report.lua draws them the same way)


def draw(rnd, fl):
    days = fl["days"]

    def period():
        a = rnd.randrange(len(days))
        b = min(len(days) - 1, a + rnd.randint(1, 90))
        return {"from": days[a], "to": days[b]}

    pick = rnd.randrange(7)
    if pick == 0: return {}
    if pick == 1: return {"event": rnd.choice(fl["events"])}
    if pick == 2: return {"org": rnd.choice(fl["orgs"])}
    if pick == 3: return {"sector": rnd.choice(fl["sectors"])}
    if pick == 4: return {"partner": rnd.choice(fl["partners"])}
    if pick == 5: return period()
    return dict(period(), event=rnd.choice(fl["events"]))


def literal(v):
    return str(v) if isinstance(v, int) else '"\'%s\'"' % v.replace("'", "''")


def cmd_script(a):
    with open(a.filters) as fh:
        fl = json.load(fh)
    rnd = random.Random(a.seed)
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    out = [".output /dev/null", ".bail on"]
    for _ in range(a.count):
        f = draw(rnd, fl)
        out.append(".parameter clear")
        for k, v in list(f.items()) + [("now", now), ("default_days", 14)]:
            out.append(".parameter set :%s %s" % (k, literal(v)))
        out.append(".timer on")
        out += [s(f) + ";" for s in STATEMENTS[a.report]]
        out.append(".timer off")
    print("\n".join(out))


# ---- the report


def cmd_report(a):
    with open(a.report) as fh:
        r = json.load(fh)
    rows = []
    for report in a.reports.split():
        ceil = r.get("ceiling_%s_ms" % report)
        for role in a.roles.split():
            w = r.get("report_%s_%s" % (report, role))
            if not w:
                rows.append((report, role) + ("n/a",) * 7 + ("MISSING",))
                continue
            p95 = w["p95_us"] / 1000.0
            rows.append((report, role, "%.1f" % (w["p50_us"] / 1000.0), "%.1f" % p95, "%.1f" % (w["p99_us"] / 1000.0),
                         "%.1f" % w["rps"], "< %g ms" % a.target_ms,
                         "n/a" if ceil is None else "%.2f" % ceil,
                         "n/a" if not ceil else "%.1f / %.2f" % (p95 / ceil, w["rps"] * ceil / 1000.0),
                         ("PASS" if p95 < a.target_ms else "FAIL") + (" (%d errors)" % w["errors"] if w["errors"] else "")))
    head = ("report", "as", "p50 ms", "p95 ms", "p99 ms", "req/s", "target p95", "sqlite3 ms",
            "p95/sqlite3, req/s x sqlite3 ms", "verdict")
    width = [max(len(str(x[i])) for x in rows + [head]) for i in range(len(head))]
    line = "  ".join("%-*s" % (width[i], h) for i, h in enumerate(head))
    print(line)
    print("-" * len(line))
    for x in rows:
        print("  ".join(("%-*s" if i in (0, 1, 6, 9) else "%*s") % (width[i], x[i]) for i in range(len(head))))
    print("\nsqlite3 ms: the report's statements run by the sqlite3 shell on the same file, mean over the same mix of"
          " filters (one client, no HTTP). req/s x sqlite3 ms: the daemon's throughput in units of the shell's"
          " (1.0: as many reports per second as the shell alone, serially).")
    fails = sum(1 for x in rows if x[-1].startswith("FAIL") or x[-1] == "MISSING")
    print("\n%d target(s) missed of %d." % (fails, len(rows)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("report_name", nargs="?")
    p.add_argument("--filters")
    p.add_argument("--count", type=int, default=40)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--report", help="results.json: print the figures")
    p.add_argument("--target-ms", type=float, default=100)
    p.add_argument("--reports", default="funnel outcomes followup-discipline stale mission-summary")
    p.add_argument("--roles", default="staff member")
    a = p.parse_args()
    if a.report:
        cmd_report(a)
    else:
        a.report = a.report_name
        if a.report not in STATEMENTS or not a.filters:
            p.error("give a report (%s) and --filters" % ", ".join(STATEMENTS))
        cmd_script(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
