#!/usr/bin/env python3
"""Fills a Relance database (daemon stopped, schema migrated) with a trade mission for the
reports benchmark (bench/reports.sh): start-ups' companies, events, contacts, leads with
their stage histories, activities and follow-ups, and outcomes in EUR and USD.

    reports_gen.py DB --orgs 2:5,3:6,... --region 1 --contacts N [--leads L] [--outcomes O]

--orgs lists the start-ups as ORG_ID:USER_ID (the user who "wrote" their rows). Leads
default to N/5 and outcomes to N/50, spread over the start-ups. The data is a function of
--seed and the current day only. Standard library only; one transaction, and the contacts'
full-text entries are written before the commit (INSERT INTO fts_flush), as the daemon's
writer does.
"""
import argparse
import datetime as dt
import random
import sqlite3
import sys

STAGES = ["new", "contacted", "meeting", "proposal", "won", "lost"]
# Share of the leads at each current stage.
STAGE_WEIGHTS = [25, 25, 20, 12, 8, 10]
SECTORS = ["Fintech", "Healthtech", "Robotics", "Agritech", "Cleantech", "Biotech", "SaaS", "Mobility",
           "Aerospace", "Cybersecurity", "Édition", "Agroalimentaire"]
COMPANY_KINDS = ["customer", "investor", "partner", "supplier", "other"]
OUTCOME_KINDS = ["investment", "partnership", "customer-contract", "pilot", "hire", "us-subsidiary", "other"]
FIRST = ["Émilie", "Søren", "Chloé", "José", "Zoë", "Ana", "Noël", "Mark", "Jennifer", "Hélène", "Björn", "Ève"]
LAST = ["Lefèvre", "Nguyễn", "Smith", "Müller", "García", "O'Brien", "Dubois", "Kowalski", "Chen", "Moreau"]
CITIES = ["Saint-Étienne", "Lyon", "Palo Alto", "Boston", "Montréal", "Austin"]
EVENT_NAMES = ["Mission Boston été", "CES Las Vegas", "Mission Montréal", "VivaTech", "Web Summit Lisboa",
               "Mission Austin SXSW", "Hannover Messe", "Slush Helsinki"]


def instant(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--orgs", required=True, help="ORG_ID:USER_ID,... (the start-ups)")
    ap.add_argument("--region", type=int, required=True, help="the region's organisation id")
    ap.add_argument("--region-user", type=int, default=1)
    ap.add_argument("--contacts", type=int, required=True)
    ap.add_argument("--leads", type=int)
    ap.add_argument("--outcomes", type=int)
    ap.add_argument("--companies-per-org", type=int, default=200)
    ap.add_argument("--seed", type=int, default=15)
    a = ap.parse_args()
    orgs = [tuple(int(x) for x in o.split(":")) for o in a.orgs.split(",")]
    n_leads = a.leads if a.leads is not None else a.contacts // 5
    n_outcomes = a.outcomes if a.outcomes is not None else a.contacts // 50
    rnd = random.Random(a.seed)
    now = dt.datetime.now(dt.timezone.utc).replace(minute=0, second=0, microsecond=0)
    year_ago = now - dt.timedelta(days=365)

    db = sqlite3.connect(a.db, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -262144")
    db.execute("BEGIN")

    def insert(table, columns, rows):
        cols = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        db.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)

    def header(org, user, at):
        s = instant(at)
        return (org, s, s, user, user)

    head = ("org_id", "created_at", "updated_at", "created_by", "updated_by")

    # The region's missions (every start-up's) and two events of each start-up's own.
    events = []  # (id, org, ends_on)
    for i, name in enumerate(EVENT_NAMES):
        start = year_ago + dt.timedelta(days=20 + 40 * i)
        end = start + dt.timedelta(days=4)
        cur = db.execute(
            f"INSERT INTO events ({', '.join(head)}, name, kind, city, starts_on, ends_on) VALUES (?,?,?,?,?,?,?,?,?,?)",
            header(a.region, a.region_user, start - dt.timedelta(days=30)) +
            (name, "trade-mission" if i % 2 == 0 else "fair", CITIES[i % len(CITIES)], start.date().isoformat(),
             end.date().isoformat()))
        events.append((cur.lastrowid, a.region, end))
    own_events = {}
    for org, user in orgs:
        own_events[org] = []
        for j in range(2):
            start = year_ago + dt.timedelta(days=rnd.randrange(0, 330))
            end = start + dt.timedelta(days=2)
            cur = db.execute(
                f"INSERT INTO events ({', '.join(head)}, name, kind, starts_on, ends_on) VALUES (?,?,?,?,?,?,?,?,?)",
                header(org, user, start - dt.timedelta(days=10)) +
                (f"Salon {j + 1} de l'équipe {org}", "conference", start.date().isoformat(), end.date().isoformat()))
            own_events[org].append(cur.lastrowid)
    event_end = {e[0]: e[2] for e in events}

    # Companies: each start-up's own, with a sector (its case varies, as typed by people).
    companies = {}
    for org, user in orgs:
        rows = []
        for j in range(a.companies_per_org):
            sector = SECTORS[rnd.randrange(len(SECTORS))]
            sector = sector.upper() if j % 7 == 0 else sector
            rows.append(header(org, user, year_ago) + (f"Société {org}-{j} & Cie", sector,
                                                       COMPANY_KINDS[j % len(COMPANY_KINDS)]))
        first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM companies").fetchone()[0]
        insert("companies", head + ("name", "sector", "kind"), rows)
        companies[org] = list(range(first, first + len(rows)))

    # Contacts, round-robin over the start-ups (their full-text entries are queued by the
    # schema's triggers and written at the flush below).
    first_contact = db.execute("SELECT coalesce(max(id), 0) + 1 FROM contacts").fetchone()[0]

    def contact_rows():
        for i in range(a.contacts):
            org, user = orgs[i % len(orgs)]
            yield header(org, user, year_ago + dt.timedelta(minutes=i % 500000)) + (
                FIRST[i % len(FIRST)], LAST[(i // 7) % len(LAST)], f'["c{i}@example.com"]',
                CITIES[i % len(CITIES)])

    insert("contacts", head + ("first_name", "last_name", "emails", "city"), contact_rows())
    db.execute("INSERT INTO fts_flush (requested) VALUES (1)")

    # Leads: contact i's start-up; a company most of the time; a region mission (60%), an
    # event of their own (15%) or none; created over the last year; the current stage by
    # STAGE_WEIGHTS, with the stage changes that led there as activities.
    lead_rows, act_rows, fu_rows = [], [], []
    leads_of = {org: [] for org, _ in orgs}
    first_lead = db.execute("SELECT coalesce(max(id), 0) + 1 FROM leads").fetchone()[0]
    for i in range(n_leads):
        lead_id = first_lead + i
        contact = rnd.randrange(a.contacts)
        org, user = orgs[contact % len(orgs)]
        leads_of[org].append(lead_id)
        r = rnd.random()
        event = (events[rnd.randrange(len(events))][0] if r < 0.6 else
                 own_events[org][rnd.randrange(2)] if r < 0.75 else None)
        created = year_ago + dt.timedelta(seconds=rnd.randrange(365 * 86400))
        if event in event_end:  # a mission's leads are met during the mission, mostly
            created = min(event_end[event] - dt.timedelta(hours=rnd.randrange(96)), now)
        stage = rnd.choices(range(len(STAGES)), STAGE_WEIGHTS)[0]
        path = list(range(stage + 1)) if stage < 5 else list(range(rnd.randrange(1, 4))) + [5]
        company = companies[org][rnd.randrange(len(companies[org]))] if rnd.random() < 0.85 else None
        age = (now - created).total_seconds()
        lead_rows.append(header(org, user, created) + (
            f"Opportunité {i} – {LAST[i % len(LAST)]} 🚀", first_contact + contact, company, user, STAGES[stage],
            rnd.randrange(1, 500) * 100000 if rnd.random() < 0.5 else None, "EUR", rnd.random() < 0.3, event))
        t = created
        for k in range(1, len(path)):  # the stage changes, spread over the lead's life
            t = t + dt.timedelta(seconds=rnd.uniform(0.02, 0.3) * age / len(path))
            act_rows.append(header(org, user, t) + (lead_id, first_contact + contact, "stage-change", instant(t),
                                                    STAGES[path[k - 1]], STAGES[path[k]], user))
        for _ in range(rnd.randrange(4)):  # calls, emails, meetings, notes
            at = created + dt.timedelta(seconds=rnd.uniform(0, 1) ** 2 * age)
            act_rows.append(header(org, user, at) + (lead_id, first_contact + contact,
                                                     ["call", "email", "meeting", "note"][rnd.randrange(4)],
                                                     instant(at), None, None, user))
        if rnd.random() < 0.5:
            due = now + dt.timedelta(hours=rnd.randrange(-24 * 60, 24 * 30))
            status = "open" if rnd.random() < 0.6 else "snoozed" if rnd.random() < 0.3 else "done"
            fu_rows.append(header(org, user, created) + (lead_id, first_contact + contact, user,
                                                         "Relancer 📞", instant(due), status))
    insert("leads", head + ("title", "contact_id", "company_id", "owner_id", "stage", "value", "currency",
                            "shared_with_region", "source_event_id"), lead_rows)
    act_rows.sort(key=lambda r: r[1])  # ids in the order they were logged
    insert("activities", head + ("lead_id", "contact_id", "kind", "occurred_at", "from_stage", "to_stage",
                                 "author_id"), act_rows)
    insert("followups", head + ("lead_id", "contact_id", "assignee_id", "title", "due_at", "status"), fu_rows)

    # Outcomes: a lead of the start-up (most of the time), a partner company of theirs, EUR
    # or USD (converted at 0.92 when written), jobs now and then.
    out_rows = []
    for i in range(n_outcomes):
        org, user = orgs[rnd.randrange(len(orgs))]
        lead = leads_of[org][rnd.randrange(len(leads_of[org]))] if leads_of[org] and rnd.random() < 0.8 else None
        on = (year_ago + dt.timedelta(days=rnd.randrange(365))).date()
        currency = "EUR" if rnd.random() < 0.7 else "USD"
        amount = rnd.randrange(1, 2000) * 10000 if rnd.random() < 0.8 else None
        eur = None if amount is None else amount if currency == "EUR" else round(amount * 0.92)
        out_rows.append(header(org, user, dt.datetime.combine(on, dt.time(12), dt.timezone.utc)) + (
            lead, companies[org][rnd.randrange(len(companies[org]))] if rnd.random() < 0.9 else None,
            OUTCOME_KINDS[rnd.randrange(len(OUTCOME_KINDS))], amount, currency if amount else None,
            rnd.randrange(0, 5) if rnd.random() < 0.3 else None, on.isoformat(),
            events[rnd.randrange(len(events))][0] if rnd.random() < 0.3 else None, eur,
            None if eur is None else "1" if currency == "EUR" else "0.92"))
    insert("outcomes", head + ("lead_id", "partner_company_id", "kind", "amount", "currency", "jobs", "occurred_on",
                               "event_id", "amount_eur", "eur_rate"), out_rows)

    # A stale-stage rule in a third of the start-ups.
    for org, user in orgs[::3]:
        db.execute(f"INSERT INTO cadence_rules ({', '.join(head)}, kind, stage, days, enabled) VALUES (?,?,?,?,?,?,?,?,?)",
                   header(org, user, year_ago) + ("stale-stage", "proposal", 7, 1))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"{a.contacts} contacts, {len(lead_rows)} leads, {len(act_rows)} activities, {len(fu_rows)} follow-ups, "
          f"{len(out_rows)} outcomes, {len(orgs)} start-ups", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
