#!/usr/bin/python3
"""Driver-level tests of the vcard exporter: runs export_driver, then read_vcard.py (vobject).

    test_vcard.py DRIVER PLUGIN DATA_DIR CASE

CASE:
  v4        vCard 4.0 (the default): every field of every contact round-trips
  v3        vCard 3.0 (option version=3.0): the same
  lines     both versions: CRLF only, no physical line over 75 octets, no UTF-8 sequence split
  refuses   another dataset than contacts, or an unknown version, fails with a clear reason
"""
import json
import os
import subprocess
import sys
import tempfile

DRIVER, PLUGIN, DATA, CASE = sys.argv[1:5]
HERE = os.path.dirname(os.path.abspath(__file__))
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def export(doc, tmp, name):
    """Runs the driver over `doc`; returns (exit code, stderr, path of the output)."""
    src = os.path.join(tmp, name + ".json")
    out = os.path.join(tmp, name + ".vcf")
    with open(src, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    run = subprocess.run([DRIVER, PLUGIN, src, out], capture_output=True, text=True)
    # Under the asan preset a report fails the test even when the export was meant to fail
    # (UBSan reports do not change the exit code).
    check("Sanitizer" not in run.stderr and "runtime error:" not in run.stderr,
          "sanitizer report for %s: %s" % (name, run.stderr))
    return run.returncode, run.stderr, out


def read(path):
    run = subprocess.run([sys.executable, os.path.join(HERE, "read_vcard.py"), path],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)["datasets"]["contacts"]


def load(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return json.load(f)


def rows_as_dicts(doc):
    d = doc["datasets"][0]
    names = [c["name"] for c in d["columns"]]
    return [dict(zip(names, r)) for r in d["rows"]]


def rev_of(instant, version):
    """The REV a card should carry for updated_at "YYYY-MM-DDTHH:MM:SS.mmmZ"."""
    date, time = instant[:10], instant[11:19]
    if version == "4.0":
        return date.replace("-", "") + "T" + time.replace(":", "") + "Z"
    return date + "T" + time + "Z"


def expect_card(row, card, version):
    cid = row["id"]
    where = "contact %s (vCard %s)" % (cid, version)
    first, last = row["first_name"] or "", row["last_name"] or ""
    emails = [e for e in row["emails"] or [] if e]
    phones = [p for p in row["phones"] or [] if p]
    check(card.get("version") == version, where + ": VERSION " + repr(card.get("version")))
    check(card.get("uid") == "urn:relance:contact:%d" % cid, where + ": UID " + repr(card.get("uid")))
    full = (first + " " + last).strip() if first and last else first or last
    if not full:
        full = emails[0] if emails else phones[0] if phones else "Contact %d" % cid
    check(card.get("fn") == full, where + ": FN %r, expected %r" % (card.get("fn"), full))
    check(card.get("n") == {"family": last, "given": first}, where + ": N " + repr(card.get("n")))

    check([e["value"] for e in card["emails"]] == emails, where + ": emails " + repr(card["emails"]))
    for i, e in enumerate(card["emails"]):
        check(e["pref"] == (i == 0), where + ": only the first email is preferred " + repr(e))
        check("work" in e["types"], where + ": email types " + repr(e))
        if version == "3.0":
            check("internet" in e["types"], where + ": a 3.0 email is TYPE=INTERNET " + repr(e))
    check([p["number"] for p in card["phones"]] == phones, where + ": phones " + repr(card["phones"]))
    for i, p in enumerate(card["phones"]):
        check(p["pref"] == (i == 0), where + ": only the first phone is preferred " + repr(p))
        check({"work", "voice"} <= set(p["types"]), where + ": phone types " + repr(p))
        if version == "4.0":
            check(p["value"] == "tel:" + p["number"], where + ": a 4.0 phone is a tel: URI " + repr(p))
        else:
            check(p["value"] == p["number"], where + ": a 3.0 phone is text " + repr(p))

    for field, prop in (("title", "title"), ("notes", "note"), ("linkedin_url", "url")):
        value = (row[field] or "").replace("\r\n", "\n").replace("\r", "\n")
        check(card.get(prop) == (value or None), where + ": %s %r, expected %r" % (prop, card.get(prop), value))
    city, country = row["city"] or "", row["country"] or ""
    expected_adr = {"locality": city, "country": country} if city or country else None
    check(card.get("adr") == expected_adr, where + ": ADR " + repr(card.get("adr")))
    check(card["categories"] == [t for t in row["tags"] or [] if t], where + ": CATEGORIES " + repr(card["categories"]))
    expected_rev = rev_of(row["updated_at"], version) if row["updated_at"] else None
    check(card.get("rev") == expected_rev, where + ": REV %r, expected %r" % (card.get("rev"), expected_rev))
    check("ORG" not in card, where + ": no ORG without a company name")


def round_trip(version, tmp):
    doc = load("vcard_contacts.json")
    doc["options"] = {} if version == "4.0" else {"version": version}
    code, err, out = export(doc, tmp, "v" + version)
    check(code == 0, "export failed: " + err)
    if code != 0:
        return
    rows = rows_as_dicts(doc)
    cards = read(out)
    check(len(cards) == len(rows), "%d cards for %d contacts" % (len(cards), len(rows)))
    for row, card in zip(rows, cards):
        expect_card(row, card, version)


def lines(tmp):
    doc = load("vcard_contacts.json")
    for version in ("4.0", "3.0"):
        doc["options"] = {"version": version}
        code, err, out = export(doc, tmp, "lines" + version)
        check(code == 0, "export failed: " + err)
        with open(out, "rb") as f:
            data = f.read()
        check(data.endswith(b"\r\n"), version + ": the file ends with CRLF")
        physical = data.split(b"\r\n")[:-1]
        check(b"\n" not in b"".join(physical) and b"\r" not in b"".join(physical),
              version + ": a bare CR or LF inside a line")
        folded = 0
        for n, line in enumerate(physical, 1):
            check(len(line) <= 75, "%s line %d has %d octets" % (version, n, len(line)))
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                failures.append("%s line %d splits a UTF-8 sequence: %r" % (version, n, line))
            folded += line.startswith(b" ")
        check(folded > 20, version + ": the long note was folded (%d continuation lines)" % folded)


def refuses(tmp):
    code, err, _ = export(load("vcard_leads.json"), tmp, "leads")
    check(code != 0, "a leads export succeeded")
    check("contacts dataset only" in err, "unclear reason for a leads export: " + err)
    doc = load("vcard_contacts.json")
    doc["options"] = {"version": "2.1"}
    code, err, _ = export(doc, tmp, "v21")
    check(code != 0 and "4.0 or 3.0" in err, "version 2.1 not refused clearly: %d %s" % (code, err))


with tempfile.TemporaryDirectory() as tmp:
    {"v4": lambda: round_trip("4.0", tmp), "v3": lambda: round_trip("3.0", tmp),
     "lines": lambda: lines(tmp), "refuses": lambda: refuses(tmp)}[CASE]()

for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
