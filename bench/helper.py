#!/usr/bin/env python3
"""Helpers of bench/core_api.sh: synthetic CRM data, small HTTP and /proc probes, results.

Standard library only. Every subcommand is deterministic for a given --seed, so two runs
load the same data set.

  free-port                         print a free TCP port on 127.0.0.1
  wait-http URL --timeout S [--pid] poll URL until it answers 200; print the wall clock (ns)
  json-get PATH                     read JSON on stdin, print the value at a dotted path
  names-lua                         the word lists as a Lua module, for the wrk scripts
  contacts-csv / leads-csv          rows for sqlite3's .import (bulk load, ceilings)
  contacts-sql                      one INSERT statement per row (ceiling: a transaction each)
  mem PID                           VmRSS, RssFile... of a process, as JSON (kB)
  nginx-conf                        an nginx.conf serving a fixed body
  record / report                   collect figures in a JSON file, print the final table
  soak-watch / soak-report          bench/soak.sh: samples every few seconds, the table and verdicts
"""
import argparse
import csv
import json
import os
import random
import re
import socket
import statistics
import sys
import time
import unicodedata
import urllib.parse

# --------------------------------------------------------------------------------------
# Word lists. Accented forms on purpose: the FTS index folds diacritics ("remove_diacritics
# 2") and search must find "Lefèvre" from "lefevre". Earlier entries are more frequent
# (Zipf-like weights), as real name distributions are.

FIRST_NAMES = """Marie Thomas Camille Nicolas Julie Pierre Léa Lucas Chloé Antoine Sophie
Hugo Émilie François Manon Louis Claire Jérôme Hélène Théo Inès Clément Aurélie Raphaël
Anaïs Stéphane Cécile Frédéric Amélie Loïc Gaëlle Noémie Benoît Zoé Mathéo Maël Séverine
Grégoire Agnès Océane Adèle Héloïse Joël Maëlys Ségolène Bénédicte Noël Michael Jennifer
David Jessica Priya Wei Hiroshi Ana José Sergio Björn Søren Jürgen Zoë Chiara Mateo Aïcha
Yasmine Karim Mehdi Sarah Paul Emma Jean Laura Nathalie Olivier Isabelle Sébastien Valérie
Ludovic Gwénaëlle Timothée Bérénice Aurélien Capucine Rémi Élodie Cédric Mélanie""".split()

LAST_NAMES = """Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon
Laurent Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André
Lefebvre Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau
Blanc Guérin Muller Henry Roussel Perrin Morin Mathieu Clément Gauthier Dumont Lopez
Fontaine Chevalier Robin Bérard Dupré Thévenet Crozet Ravier Chabert Perret Brunet
Jacquemet Giraud Chapuis Gagnière Smith Johnson Williams Brown Jones Nguyen Nguyễn Kim
Patel Chen Wang Müller Østergaard Núñez Peña Çelik Kowalski Zhang Dumas Béranger Mézière
Vallée Régnier Cœur Lemaître Brisson Châtelain Desprès Forêt Mégane Pagès Noël Thiébaut
Haddad Benali Yılmaz Sørensen Ferreira Gonçalves Łukasik Dvořák Jiménez Ibáñez""".split()

CITIES = [  # (city, ISO country)
    ("Lyon", "FR"), ("Grenoble", "FR"), ("Saint-Étienne", "FR"), ("Clermont-Ferrand", "FR"),
    ("San Francisco", "US"), ("Palo Alto", "US"), ("Annecy", "FR"), ("Mountain View", "US"),
    ("Chambéry", "FR"), ("Villeurbanne", "FR"), ("San José", "US"), ("Menlo Park", "US"),
    ("Valence", "FR"), ("Berkeley", "US"), ("Paris", "FR"), ("Sunnyvale", "US"),
    ("Vénissieux", "FR"), ("Aix-les-Bains", "FR"), ("Redwood City", "US"), ("Montélimar", "FR"),
    ("Roanne", "FR"), ("Bourg-en-Bresse", "FR"), ("Évian-les-Bains", "FR"), ("Oakland", "US"),
    ("Montréal", "CA"), ("Genève", "CH"), ("Zürich", "CH"), ("München", "DE"),
    ("Bogotá", "CO"), ("São Paulo", "BR"),
]

TITLES = """CEO|Partner|Principal|Associate|Managing Director|Head of Innovation|Directeur général|
Responsable R&D|Chargée d'affaires|Investment Manager|Venture Partner|Program Manager|
Professor|Business Developer|CTO|Head of Corporate Development|Directrice de l'innovation|
Startup Success Manager|Ingénieur commercial|General Counsel|VP Engineering|Recruiter""".replace(
    "\n", "").split("|")

CONTACT_TAGS = """investor vc follow-up hot mission-sv-2025 accelerator corporate university
ces-2025 vivatech seed series-a deeptech healthtech cleantech ai saas recruiting partner
press intel google linkedin stanford berkeley bpifrance région-aura""".split()

LEAD_TAGS = """priority q1 q2 q3 q4 warm cold intro referral investment partnership pilot
us-subsidiary hire""".split()

MET_WHERE = ["Stanford GSB", "Berkeley SkyDeck", "Plug and Play Sunnyvale", "Intel Santa Clara",
             "LinkedIn Sunnyvale", "Google Mountain View", "Station F", "Salon VivaTech",
             "French Tech Lyon", "Le Village by CA", "Minalogic, Grenoble", "Café de la Presse",
             "Consulat de France à San Francisco", "Sand Hill Road", "CES Las Vegas"]

EMAIL_DOMAINS = ["gmail.com", "outlook.fr", "orange.fr", "free.fr", "stanford.edu",
                 "berkeley.edu", "intel.com", "linkedin.com", "google.com", "kimaventures.com",
                 "partech.com", "bpifrance.fr", "plugandplaytechcenter.com", "yahoo.com",
                 "wanadoo.fr", "auvergnerhonealpes.fr"]

NOTES = ["Rencontré·e à {where} ; intéressé·e par une démo en décembre.",
         "Met at {where}. Wants the deck and the traction numbers.",
         "Relancer après le salon : envoyer la plaquette et proposer un café à {city}.",
         "Introduced by the consulate. Follow up on the pilot in {city}.",
         "Très bon échange, à recontacter avant la fin du trimestre.",
         "Asked for references from French customers; check with the région."]

STAGES = [("new", 30), ("contacted", 25), ("meeting", 20), ("proposal", 10), ("won", 7),
          ("lost", 8)]

LEAD_TITLES = ["Seed round with {org}", "Pilot with {org}", "Partnership: {org}",
               "US subsidiary set-up", "Recruiting a VP Sales", "Customer contract — {org}",
               "Série A : {org}", "Programme d'accélération {org}"]
LEAD_ORGS = ["Kima Ventures", "Partech", "Intel", "Google", "LinkedIn", "Stanford",
             "Berkeley SkyDeck", "Plug and Play", "Bpifrance", "Y Combinator", "Sequoia",
             "Andreessen Horowitz", "Alchemist Accelerator", "Schneider Electric"]

SPECIAL_FOLD = {"ø": "o", "Ø": "O", "æ": "ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "ł": "l",
                "Ł": "L", "đ": "d", "ı": "i"}


def fold(text):
    """ASCII form of a name, as people type it in an email address."""
    text = "".join(SPECIAL_FOLD.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def zipf(n, s=0.8):
    """Cumulative Zipf-like weights for n items."""
    out, acc = [], 0.0
    for i in range(n):
        acc += 1.0 / (i + 1) ** s
        out.append(acc)
    return out


W_FIRST = zipf(len(FIRST_NAMES))
W_LAST = zipf(len(LAST_NAMES))
W_CITY = zipf(len(CITIES), 1.0)
W_TITLE = zipf(len(TITLES))
W_CTAG = zipf(len(CONTACT_TAGS), 0.9)
W_LTAG = zipf(len(LEAD_TAGS))
W_STAGE = [sum(w for _, w in STAGES[: i + 1]) for i in range(len(STAGES))]


def pick(rng, items, cum):
    return rng.choices(items, cum_weights=cum, k=1)[0]


def pick_tags(rng, items, cum, most):
    n = rng.choice([0, 1, 1, 2, 2, 3][: most * 2])
    tags = []
    for _ in range(n):
        t = pick(rng, items, cum)
        if t not in tags:
            tags.append(t)
    return tags


def instant(rng, year_from=2024, year_to=2025):
    t0 = time.mktime((year_from, 1, 1, 0, 0, 0, 0, 0, -1))
    t1 = time.mktime((year_to, 12, 31, 23, 59, 59, 0, 0, -1))
    t = rng.uniform(t0, t1)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % rng.randrange(1000)


def phone(rng):
    """A phone number, as stored (E.164). FR mobiles, or US numbers around the Valley."""
    if rng.random() < 0.7:  # allocated mobile ranges: 06 but 063x and 069x, 073 to 079
        lead = rng.choice("60 61 62 64 65 66 67 68".split()) if rng.random() < 0.7 else \
            "7%d" % rng.randrange(3, 10)
        return "+33%s%07d" % (lead, rng.randrange(10 ** 7))
    return "+1%s%d%02d%04d" % (rng.choice(["650", "408", "415", "510"]), rng.randrange(2, 10),
                                rng.randrange(100), rng.randrange(10 ** 4))


def contact(rng):
    """One contact as the daemon stores it (normalised emails, E.164 phones, JSON lists)."""
    first, last = pick(rng, FIRST_NAMES, W_FIRST), pick(rng, LAST_NAMES, W_LAST)
    city, country = pick(rng, CITIES, W_CITY)
    local = re.sub(r"[^a-z0-9.-]", "", fold(first).lower() + "." + fold(last).lower())
    emails = []
    r = rng.random()
    if r < 0.95:
        suffix = "" if rng.random() < 0.6 else str(rng.randrange(1, 100))
        emails.append("%s%s@%s" % (local, suffix, rng.choice(EMAIL_DOMAINS)))
    if r < 0.10:
        emails.append("%s@%s" % (local, rng.choice(EMAIL_DOMAINS)))
    emails = list(dict.fromkeys(emails))
    phones = [phone(rng)] if rng.random() < 0.6 else []
    tags = pick_tags(rng, CONTACT_TAGS, W_CTAG, 3)
    where = rng.choice(MET_WHERE) if rng.random() < 0.7 else None
    notes = (rng.choice(NOTES).format(where=where or "la mission", city=city)
             if rng.random() < 0.3 else None)
    met_at = instant(rng)
    basis = rng.choices(["legitimate-interest", "consent", None], [80, 15, 5])[0]
    return {
        "first_name": first, "last_name": last,
        "emails": json.dumps(emails, ensure_ascii=False, separators=(",", ":")) if emails else None,
        "phones": json.dumps(phones, separators=(",", ":")) if phones else None,
        "title": pick(rng, TITLES, W_TITLE) if rng.random() < 0.8 else None,
        "city": city, "country": country,
        "tags": json.dumps(tags, ensure_ascii=False, separators=(",", ":")) if tags else None,
        "notes": notes, "met_at": met_at, "met_where": where, "lawful_basis": basis,
    }


CONTACT_COLUMNS = ["org_id", "created_at", "updated_at", "created_by", "updated_by",
                   "first_name", "last_name", "emails", "phones", "title", "city", "country",
                   "tags", "notes", "met_at", "met_where", "lawful_basis"]


def contact_rows(a):
    rng = random.Random(a.seed)
    for _ in range(a.count):
        c = contact(rng)
        stamp = c["met_at"]  # created when met, give or take: realistic spread of created_at
        yield [a.org, stamp, stamp, a.user, a.user] + [c[k] for k in CONTACT_COLUMNS[5:]]


LEAD_COLUMNS = ["org_id", "created_at", "updated_at", "created_by", "updated_by", "title",
                "contact_index", "owner_id", "stage", "value", "currency", "expected_close",
                "shared_with_region", "tags", "notes"]


def lead_rows(a):
    rng = random.Random(a.seed)
    stages = [s for s, _ in STAGES]
    for _ in range(a.count):
        stamp = instant(rng)
        title = rng.choice(LEAD_TITLES).format(org=rng.choice(LEAD_ORGS))
        value = rng.randrange(10, 2000) * 1000 * 100 if rng.random() < 0.5 else None
        tags = pick_tags(rng, LEAD_TAGS, W_LTAG, 2)
        yield [a.org, stamp, stamp, a.user, a.user, title, rng.randrange(a.contacts), a.user,
               pick(rng, stages, W_STAGE), value,
               rng.choice(["EUR", "USD"]) if value else None,
               "2026-%02d-%02d" % (rng.randrange(1, 13), rng.randrange(1, 29)),
               1 if rng.random() < 0.2 else 0,
               json.dumps(tags, separators=(",", ":")) if tags else None,
               "Next step: send the term sheet draft." if rng.random() < 0.2 else None]


def write_csv(columns, rows):
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])  # "" becomes NULL at the INSERT


def sql_literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


def cmd_contacts_sql(a):
    cols = ", ".join(CONTACT_COLUMNS)
    for r in contact_rows(a):
        # version 1, as the daemon writes it; a transaction per row, with its full-text
        # entries written before the commit as the daemon's writer does (fts_flush).
        print("BEGIN; INSERT INTO contacts (version, %s) VALUES (1, %s); "
              "INSERT INTO fts_flush (requested) VALUES (1); COMMIT;" %
              (cols, ", ".join(sql_literal(v) for v in r)))


# --------------------------------------------------------------------------------------
# The same lists for the wrk scripts, which build API bodies the way a client would (human
# phone formats, mixed-case emails left to the daemon to normalise).

def lua_str(s):
    if any(c in s for c in '"\\\n\r\t'):
        raise ValueError("word lists must not need JSON or Lua escaping: %r" % s)
    return '"' + s + '"'


def lua_list(items):
    return "{" + ",".join(lua_str(i) if isinstance(i, str) else repr(i) for i in items) + "}"


def search_terms():
    """What people type in a search box: names, folded or not, prefixes, two words, cities."""
    terms = []
    terms += LAST_NAMES[:12] + LAST_NAMES[-8:]          # frequent and rare family names
    terms += FIRST_NAMES[:8] + FIRST_NAMES[-6:]
    terms += ["lefevre", "helene", "jerome", "nunez", "muller", "gaelle", "chatelain"]
    terms += ["Gré", "Chab", "Thév", "Marti", "Sø"]      # prefixes while typing
    terms += ["Marie Lyon", "Thomas Grenoble", "Émilie Palo", "Jérôme Intel", "Dupont Annecy"]
    terms += ["Saint-Étienne", "Zürich", "Menlo Park", "stanford.edu", "VivaTech"]
    return terms


def cmd_names_lua(a):
    q = urllib.parse.quote
    out = ["-- Generated by bench/helper.py names-lua: the benchmark's word lists.", "NAMES = {"]
    out.append(" first = %s," % lua_list(FIRST_NAMES))
    out.append(" first_ascii = %s," % lua_list([fold(x) for x in FIRST_NAMES]))
    out.append(" first_cum = %s," % lua_list(W_FIRST))
    out.append(" last = %s," % lua_list(LAST_NAMES))
    out.append(" last_ascii = %s," % lua_list([re.sub(r"[^A-Za-z-]", "", fold(x)) for x in LAST_NAMES]))
    out.append(" last_cum = %s," % lua_list(W_LAST))
    out.append(" city = %s," % lua_list([c for c, _ in CITIES]))
    out.append(" country = %s," % lua_list([k for _, k in CITIES]))
    out.append(" city_cum = %s," % lua_list(W_CITY))
    out.append(" title = %s," % lua_list(TITLES))
    out.append(" title_cum = %s," % lua_list(W_TITLE))
    out.append(" tag = %s," % lua_list(CONTACT_TAGS))
    out.append(" tag_cum = %s," % lua_list(W_CTAG))
    out.append(" lead_tag = %s," % lua_list(LEAD_TAGS))
    out.append(" lead_tag_cum = %s," % lua_list(W_LTAG))
    out.append(" met_where = %s," % lua_list(MET_WHERE))
    out.append(" domain = %s," % lua_list(EMAIL_DOMAINS))
    out.append(" note = %s," % lua_list(NOTES))  # {where} and {city}: gsub in Lua
    out.append(" stage = %s," % lua_list([s for s, _ in STAGES]))
    out.append(" stage_cum = %s," % lua_list(W_STAGE))
    out.append(" lead_title = %s," % lua_list(LEAD_TITLES))  # {org}: gsub in Lua
    out.append(" lead_org = %s," % lua_list(LEAD_ORGS))
    # Query-string values, already percent-encoded (UTF-8).
    out.append(" search = %s," % lua_list([q(t) for t in search_terms()]))
    out.append(" tag_query = %s," % lua_list([q(t) for t in CONTACT_TAGS]))
    out.append("}")
    print("\n".join(out))


# --------------------------------------------------------------------------------------
# Processes and HTTP.

def cmd_free_port(a):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def http_status(host, port, path):
    with socket.create_connection((host, port), timeout=1.0) as s:
        s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (path, host)).encode())
        line = s.makefile("rb").readline().decode("latin-1")
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def cmd_wait_http(a):
    u = urllib.parse.urlsplit(a.url)
    deadline = time.monotonic() + a.timeout
    while time.monotonic() < deadline:  # bounded: gives up after --timeout seconds
        try:
            if http_status(u.hostname, u.port, u.path or "/") == 200:
                print(time.time_ns())
                return 0
        except OSError:
            pass
        if a.pid and not os.path.exists("/proc/%d" % a.pid):
            print("wait-http: process %d exited" % a.pid, file=sys.stderr)
            return 1
        time.sleep(0.002)
    print("wait-http: %s did not answer 200 within %s s" % (a.url, a.timeout), file=sys.stderr)
    return 1


def cmd_json_get(a):
    v = json.load(sys.stdin)
    for part in a.path.split("."):
        v = v[int(part)] if isinstance(v, list) else v[part]
    print(v if not isinstance(v, (dict, list)) else json.dumps(v))


def cmd_mem(a):
    out = {}
    with open("/proc/%d/status" % a.pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "RssShmem", "Threads"):
                out[k] = int(v.split()[0])
    out["own_kB"] = out["VmRSS"] - out["RssFile"]
    print(json.dumps(out))


def cmd_mem_watch(a):
    """Samples /proc/PID/status until the process ends, --max-seconds pass or SIGTERM; keeps
    the peak of own memory (VmRSS - RssFile) in --out, rewritten after every new peak."""
    import signal
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    peak = {"own_kB": -1}
    deadline = time.monotonic() + a.max_seconds
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/status" % a.pid) as f:
                st = {k: int(v.split()[0]) for k, _, v in (l.partition(":") for l in f)
                      if k in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "RssShmem")}
        except (OSError, ValueError):
            return 0
        st["own_kB"] = st["VmRSS"] - st["RssFile"]
        if st["own_kB"] > peak["own_kB"]:
            peak = st
            with open(a.out, "w") as f:
                json.dump(peak, f)
        time.sleep(a.interval)
    return 0


def cmd_nginx_conf(a):
    body = open(a.body_file, encoding="utf-8").read()
    if "$" in body:
        raise SystemExit("nginx-conf: the body must not contain $ (nginx variables)")
    escaped = body.replace("\\", "\\\\").replace("'", "\\'")
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    d = a.dir
    print(f"""# Generated by bench/helper.py: the ceiling a web server reaches on this machine
# answering a fixed body of the size of a contact.
{user}worker_processes 2;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{a.port};
    location / {{
      default_type application/json;
      return 200 '{escaped}';
    }}
  }}
}}""")


# --------------------------------------------------------------------------------------
# bench/soak.sh: samples of the daemon under a long mixed load, and whether they stayed flat.

SOAK_COLUMNS = ["t_s", "requests", "wal_bytes", "db_bytes", "rss_kB", "own_kB",
                "wal_truncations", "wal_truncations_busy"]


def metrics_sums(url):
    """The /metrics figures soak-watch keeps: requests answered (every route and status)
    and the write-ahead log's."""
    import urllib.request
    text = urllib.request.urlopen(url, timeout=10).read().decode()
    out = {"requests": 0.0}
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        name, _, value = line.rpartition(" ")
        if name.startswith("relance_http_requests_total{"):
            out["requests"] += float(value)
        elif name in ("relance_db_wal_bytes", "relance_db_wal_truncations_total",
                      "relance_db_wal_truncations_busy_total"):
            out[name] = float(value)
    return out


def cmd_soak_watch(a):
    """Every --interval seconds until --pid (wrk) ends or --seconds pass: a line of
    SOAK_COLUMNS (tab-separated) in --out for the daemon --daemon."""
    import signal
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    t0 = time.monotonic()
    with open(a.out, "w") as out:
        out.write("\t".join(SOAK_COLUMNS) + "\n")
        next_at = t0
        while time.monotonic() - t0 <= a.seconds:
            try:
                with open("/proc/%d/status" % a.daemon) as f:
                    st = {k: int(v.split()[0]) for k, _, v in (l.partition(":") for l in f)
                          if k in ("VmRSS", "RssFile")}
                m = metrics_sums(a.url)
            except (OSError, ValueError):
                return 1  # the daemon is gone
            db = os.stat(a.db).st_size if os.path.exists(a.db) else 0
            row = [round(time.monotonic() - t0, 1), int(m["requests"]),
                   int(m.get("relance_db_wal_bytes", 0)), db, st["VmRSS"],
                   st["VmRSS"] - st["RssFile"], int(m.get("relance_db_wal_truncations_total", 0)),
                   int(m.get("relance_db_wal_truncations_busy_total", 0))]
            out.write("\t".join(str(x) for x in row) + "\n")
            out.flush()
            if a.pid and not os.path.exists("/proc/%d" % a.pid):
                return 0
            next_at += a.interval
            while time.monotonic() < next_at:  # wake early when wrk ends
                if a.pid and not os.path.exists("/proc/%d" % a.pid):
                    break
                time.sleep(min(0.5, max(0.0, next_at - time.monotonic())))
    return 0


def cmd_soak_report(a):
    rows = []
    with open(a.samples) as f:
        header = f.readline().split()
        for line in f:
            rows.append(dict(zip(header, (float(x) for x in line.split()))))
    if len(rows) < 3:
        raise SystemExit("soak-report: fewer than 3 samples in " + a.samples)
    # Requests per second over the interval that ends at each sample (the first has none).
    for prev, cur in zip(rows, rows[1:]):
        dt = cur["t_s"] - prev["t_s"]
        cur["rps"] = (cur["requests"] - prev["requests"]) / dt if dt > 0 else 0.0
    rows[0]["rps"] = None
    mb = 1024 * 1024
    print("%8s %9s %9s %9s %9s %9s %11s" % ("t (s)", "req/s", "WAL MB", "DB MB", "RSS MB",
                                             "own MB", "truncations"))
    for r in rows:
        print("%8.0f %9s %9.1f %9.1f %9.1f %9.1f %6d (%d busy)" % (
            r["t_s"], "-" if r["rps"] is None else "%.0f" % r["rps"], r["wal_bytes"] / mb,
            r["db_bytes"] / mb, r["rss_kB"] / 1024, r["own_kB"] / 1024, r["wal_truncations"],
            r["wal_truncations_busy"]))
    # The windows hold the samples that end in them, one at least each (requests/s is
    # known from the second sample on).
    start, end = rows[1]["t_s"], rows[-1]["t_s"]
    window = min(a.window, (end - rows[0]["t_s"]) / 3)
    first = [r for r in rows[1:] if r["t_s"] <= start + window] or rows[1:2]
    last = [r for r in rows[1:] if r["t_s"] >= end - window] or rows[-1:]
    fails = 0

    def verdict(ok, text):
        nonlocal fails
        fails += 0 if ok else 1
        print("%s  %s" % ("PASS" if ok else "FAIL", text))

    print("\nFirst and last windows: %.0f s each (%d and %d samples)." % (
        window, len(first), len(last)))
    wal_max = max(r["wal_bytes"] for r in rows) / mb
    verdict(wal_max <= a.wal_max_mb,
            "WAL: largest %.1f MB over the run (last window's largest %.1f MB), target <= %.0f MB"
            % (wal_max, max(r["wal_bytes"] for r in last) / mb, a.wal_max_mb))
    own_first = statistics.median(r["own_kB"] for r in first)
    own_last = statistics.median(r["own_kB"] for r in last)
    growth = 100.0 * (own_last - own_first) / own_first if own_first else 0.0
    verdict(growth <= a.rss_growth_pct,
            "RSS: own memory (VmRSS - RssFile) %.1f MB -> %.1f MB (medians of the windows), "
            "growth %+.1f%%, target <= %.0f%%; VmRSS %.1f MB -> %.1f MB (mapped database "
            "pages included)" % (own_first / 1024, own_last / 1024, growth, a.rss_growth_pct,
                                 statistics.median(r["rss_kB"] for r in first) / 1024,
                                 statistics.median(r["rss_kB"] for r in last) / 1024))
    rps_first = statistics.mean(r["rps"] for r in first)
    rps_last = statistics.mean(r["rps"] for r in last)
    ratio = rps_last / rps_first if rps_first else 0.0
    verdict(ratio >= a.min_throughput_ratio,
            "throughput: %.0f req/s -> %.0f req/s (means of the windows), ratio %.2f, "
            "target >= %.2f" % (rps_first, rps_last, ratio, a.min_throughput_ratio))
    print("\n%d of 3 figures stayed flat." % (3 - fails))
    return 0


# --------------------------------------------------------------------------------------
# Results.

def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def cmd_record(a):
    r = load(a.results)
    if a.wrk:
        line = None
        with open(a.wrk, encoding="utf-8", errors="replace") as f:
            for l in f:
                if l.startswith("BENCH_RESULT "):
                    line = l[len("BENCH_RESULT "):]
        if line is None:
            raise SystemExit("record: no BENCH_RESULT line in " + a.wrk)
        v = json.loads(line)
        v["rps"] = v["requests"] / (v["duration_us"] / 1e6) if v["duration_us"] else 0.0
        v["errors"] = sum(v[k] for k in ("err_connect", "err_read", "err_write", "err_status",
                                         "err_timeout"))
    elif a.json is not None:
        v = json.loads(a.json)
    else:
        v = a.value
        if re.fullmatch(r"-?[0-9]+", v):
            v = int(v)
        elif re.fullmatch(r"-?[0-9]*\.[0-9]+", v):
            v = float(v)
    r[a.key] = v
    with open(a.results, "w") as f:
        json.dump(r, f, indent=1, ensure_ascii=False)
    if a.print_key:
        print(v[a.print_key] if isinstance(v, dict) else v)


def cmd_report(a):
    r = load(a.results)
    rows = []  # (figure, measured, unit, target text, ratio, verdict)

    def wrk(name):
        return r.get(name) or {}

    def at_least(label, value, unit, target, fmt="%.0f"):
        if value is None:
            rows.append((label, "n/a", unit, ">= " + fmt % target, "", "MISSING"))
            return
        ratio = value / target if target else 0
        rows.append((label, fmt % value, unit, ">= " + fmt % target, "%.2f" % ratio,
                     "PASS" if value >= target else "FAIL"))

    def at_most(label, value, unit, limit, fmt="%.2f"):
        if value is None:
            rows.append((label, "n/a", unit, "< " + fmt % limit, "", "MISSING"))
            return
        rows.append((label, fmt % value, unit, "< " + fmt % limit, "%.2f" % (value / limit),
                     "PASS" if value < limit else "FAIL"))

    def info(label, value, unit, note="", fmt="%.0f"):
        rows.append((label, "n/a" if value is None else fmt % value, unit, note, "", "info"))

    def rps(name):
        return wrk(name).get("rps")

    def p99(name):
        v = wrk(name).get("p99_us")
        return v / 1000.0 if v is not None else None

    # GET by id against nginx, in alternating rounds (get_contact_N after nginx_N); results
    # of older runs have one get_contact and one nginx.
    rounds = sorted(int(k.rsplit("_", 1)[1]) for k in r if re.fullmatch(r"get_contact_[0-9]+", k))
    names = [("get_contact_%d" % i, "nginx_%d" % i) for i in rounds] or [("get_contact", "nginx")]
    gets = [(rps(g), rps(n), p99(g)) for g, n in names]
    gets = [x for x in gets if x[0] and x[1] and x[2] is not None]
    median = lambda xs: statistics.median(xs) if xs else None
    ratio = median([g / n for g, n, _ in gets])
    what = "median of %d rounds" % len(gets) if len(gets) > 1 else "one run"
    at_least("GET /contacts/{id} / nginx, " + what, ratio, "x", 0.5, "%.2f")
    at_most("GET /contacts/{id}: p99, " + what, median([p for _, _, p in gets]), "ms", 5.0)
    info("GET /contacts/{id}: req/s, " + what, median([g for g, _, _ in gets]), "req/s")
    info("nginx fixed body (ceiling), " + what, median([n for _, n, _ in gets]), "req/s")
    for i, (g, n, p) in enumerate(gets, 1):
        info("  round %d: GET / nginx req/s, GET p99" % i, None, "",
             "%.0f / %.0f = %.2f, %.2f ms" % (g, n, g / n, p))
    pc = wrk("post_contact")
    # Creates acknowledged with 201, per second (not merely responses).
    post = pc["created"] / (pc["duration_us"] / 1e6) if pc.get("duration_us") else None
    at_least("POST /contacts: creates (201) per second", post, "/s", 6000)
    at_most("POST /contacts: p99", p99("post_contact"), "ms", 50.0)
    one = r.get("sqlite_one_per_txn_rps")
    batch = r.get("sqlite_one_txn_rps")
    info("sqlite3 ceiling, 1 row per transaction", one, "rows/s",
         "POST/this = %.2f" % (post / one) if post and one else "")
    info("sqlite3 ceiling, all rows in 1 transaction", batch, "rows/s",
         "POST/this = %.3f" % (post / batch) if post and batch else "")
    for name, label in (("list_leads_stage", "GET /leads?stage=meeting"),
                        ("list_contacts_tag", "GET /contacts?tag=..."),
                        ("search_contacts", "GET /contacts?q=...")):
        at_most(label + ": p99", p99(name), "ms", 25.0)
        info(label + ": throughput", rps(name), "req/s")
    mem0 = r.get("mem_after_load") or {}
    mem = r.get("mem_after_bench") or {}
    peak = r.get("mem_peak") or {}
    owns = [m["own_kB"] for m in (mem0, mem, peak) if m.get("own_kB") is not None]
    own = max(owns) / 1024.0 if owns else None
    at_most("daemon own memory (RSS - RssFile), peak", own, "MB", 200.0, "%.1f")
    mb = lambda m, k: m.get(k, 0) / 1024.0
    info("  own after load / peak / after benchmarks", None, "",
         "%.1f / %.1f / %.1f MB" % (mb(mem0, "own_kB"), mb(peak, "own_kB"), mb(mem, "own_kB")))
    info("  VmRSS after load / after benchmarks", None, "",
         "%.1f / %.1f MB (RssFile %.1f / %.1f MB; VmHWM %.1f MB)" % (
             mb(mem0, "VmRSS"), mb(mem, "VmRSS"), mb(mem0, "RssFile"), mb(mem, "RssFile"),
             mb(mem, "VmHWM")))
    st = r.get("startup_ms")
    at_most("start-up on the loaded database", st / 1000.0 if st is not None else None, "s", 1.0,
            "%.3f")
    qc = r.get("quick_check_ms")
    info("  of which PRAGMA quick_check (sqlite3, same file)", qc, "ms")

    w = [max(len(str(x[i])) for x in rows + [("figure", "measured", "unit", "target", "ratio",
                                              "verdict")]) for i in range(6)]
    line = "  ".join("%-*s" % (w[i], h) for i, h in
                     enumerate(("figure", "measured", "unit", "target", "ratio", "verdict")))
    print(line)
    print("-" * len(line))
    for x in rows:
        print("  ".join(("%-*s" if i in (0, 2, 3, 5) else "%*s") % (w[i], x[i])
                        for i in range(6)))
    errs = [(k, v["errors"]) for k, v in r.items() if isinstance(v, dict) and v.get("errors")]
    if errs:
        print("\nWARNING: non-2xx or socket errors during: " +
              ", ".join("%s (%d)" % e for e in errs))
    fails = sum(1 for x in rows if x[5] == "FAIL")
    print("\n%d target(s) missed of %d." % (fails, sum(1 for x in rows if x[5] in ("PASS", "FAIL"))))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("free-port").set_defaults(f=cmd_free_port)
    s = sub.add_parser("wait-http")
    s.add_argument("url")
    s.add_argument("--timeout", type=float, default=60)
    s.add_argument("--pid", type=int)
    s.set_defaults(f=cmd_wait_http)
    s = sub.add_parser("json-get")
    s.add_argument("path")
    s.set_defaults(f=cmd_json_get)
    sub.add_parser("names-lua").set_defaults(f=cmd_names_lua)
    for name, fn in (("contacts-csv", lambda a: write_csv(CONTACT_COLUMNS, contact_rows(a))),
                     ("contacts-sql", cmd_contacts_sql),
                     ("leads-csv", lambda a: write_csv(LEAD_COLUMNS, lead_rows(a)))):
        s = sub.add_parser(name)
        s.add_argument("--org", type=int, required=True)
        s.add_argument("--user", type=int, required=True)
        s.add_argument("--count", type=int, required=True)
        s.add_argument("--seed", type=int, default=1)
        s.add_argument("--contacts", type=int, default=1, help="leads: contacts to refer to")
        s.set_defaults(f=fn)
    s = sub.add_parser("mem")
    s.add_argument("pid", type=int)
    s.set_defaults(f=cmd_mem)
    s = sub.add_parser("mem-watch")
    s.add_argument("pid", type=int)
    s.add_argument("--out", required=True)
    s.add_argument("--interval", type=float, default=0.1)
    s.add_argument("--max-seconds", type=float, default=3600)
    s.set_defaults(f=cmd_mem_watch)
    s = sub.add_parser("nginx-conf")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--body-file", required=True)
    s.add_argument("--dir", required=True)
    s.set_defaults(f=cmd_nginx_conf)
    s = sub.add_parser("record")
    s.add_argument("results")
    s.add_argument("key")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--wrk")
    g.add_argument("--json")
    g.add_argument("--value")
    s.add_argument("--print", dest="print_key", help="print this field of what was recorded")
    s.set_defaults(f=cmd_record)
    s = sub.add_parser("report")
    s.add_argument("results")
    s.set_defaults(f=cmd_report)
    s = sub.add_parser("soak-watch")
    s.add_argument("--daemon", type=int, required=True, help="the daemon's pid")
    s.add_argument("--url", required=True, help="its /metrics")
    s.add_argument("--db", required=True, help="its database file")
    s.add_argument("--pid", type=int, help="stop once this process (wrk) ends")
    s.add_argument("--interval", type=float, default=10)
    s.add_argument("--seconds", type=float, required=True)
    s.add_argument("--out", required=True)
    s.set_defaults(f=cmd_soak_watch)
    s = sub.add_parser("soak-report")
    s.add_argument("samples")
    s.add_argument("--window", type=float, default=60, help="s; at most a third of the run")
    s.add_argument("--wal-max-mb", type=float, required=True)
    s.add_argument("--rss-growth-pct", type=float, required=True)
    s.add_argument("--min-throughput-ratio", type=float, required=True)
    s.set_defaults(f=cmd_soak_report)
    a = p.parse_args()
    sys.exit(a.f(a) or 0)


if __name__ == "__main__":
    main()
