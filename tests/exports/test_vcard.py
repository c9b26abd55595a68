#!/usr/bin/python3
"""Driver-level tests of the vcard exporter: runs export_driver, then read_vcard.py (vobject).

    test_vcard.py DRIVER PLUGIN DATA_DIR CASE

CASE:
  v4        vCard 4.0 (the default): every field of every contact round-trips
  v3        vCard 3.0 (option version=3.0): the same
  lines     both versions: CRLF only, no physical line over 75 octets, no UTF-8 sequence split
  refuses   another dataset than contacts, or an unknown version, fails with a clear reason
"""
import functools
import os
import sys
import tempfile

from export_test_support import Checks, Driver, check_content_lines, load as load_data, read_back, rows_as_dicts

DRIVER, PLUGIN, DATA, CASE = sys.argv[1:5]
checks = Checks()
check = checks.check
exporter = Driver(DRIVER, PLUGIN)
load = functools.partial(load_data, DATA)


def export(doc, tmp, name):
    """Runs the driver over `doc`; returns (exit code, stderr, path of the output)."""
    return exporter.attempt(doc, os.path.join(tmp, name + ".vcf"), checks)


def read(path):
    return read_back("read_vcard.py", path)["datasets"]["contacts"]


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
            folded = check_content_lines(f.read(), checks, version + ": ")
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

checks.exit()
