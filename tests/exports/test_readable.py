#!/usr/bin/env python3
"""Driver-based tests of exports people can read (issue 14, point 6), across the csv, xlsx
and vcard exporters: labels in the export's language or field names (headers=fields), dates
and times as French Excel reads them in the user's zone, lists on one line, phone numbers
as typed (with their RFC 3966 extension) while formulas stay neutralised, vCard's ORG and
tel: URIs with an extension. Read back with Python's csv, openpyxl and vobject.

    test_readable.py EXPORT_DRIVER CSV.so XLSX.so VCARD.so CASE
"""
import os
import sys
import tempfile

from export_test_support import Driver, expect, read_back, run_case

driver, csv_plugin, xlsx_plugin, vcard_plugin, case = sys.argv[1:6]
work = tempfile.mkdtemp(prefix="relance-readable-test-")


def export(plugin, document, name):
    return Driver(driver, plugin).export(document, os.path.join(work, name))


# A lead as the daemon sends it: the names beside the ids.
LEAD_COLUMNS = [
    {"name": "id", "kind": "integer"},
    {"name": "title", "kind": "text"},
    {"name": "contact_id", "kind": "integer"},
    {"name": "contact_name", "kind": "text", "personal": True},
    {"name": "company_id", "kind": "integer"},
    {"name": "company_name", "kind": "text"},
    {"name": "owner_id", "kind": "integer"},
    {"name": "owner_name", "kind": "text"},
    {"name": "expected_close", "kind": "date"},
    {"name": "tags", "kind": "list"},
    {"name": "created_at", "kind": "instant"},
]
# 07:00Z on the day Paris moves to summer time: 09:00 in Paris; 23:30Z on New Year's Eve:
# already the next year in Paris.
LEAD_ROWS = [
    [1, "Série A – robots", 7, "Zoé Châteauneuf-Müller", 3, "Müller & Fils, SARL", 2, "Léa Fondatrice", "2026-06-30",
     ["ces", "deep tech", "lyon 🚀"], "2026-03-29T07:00:00.000Z"],
    [2, "Pilote", None, None, None, None, None, None, None, [], "2026-12-31T23:30:00.000Z"],
]


def leads(locale="fr", time_zone="Europe/Paris", **options):
    return {"locale": locale, "time_zone": time_zone, "options": options,
            "datasets": [{"name": "leads", "columns": LEAD_COLUMNS, "rows": LEAD_ROWS}]}


def read_csv(path):
    return read_back("read_csv.py", path, "--datasets", "leads")


def case_labels():
    path, raw = export(csv_plugin, leads("fr"), "fr.csv")
    first = read_csv(path)["datasets"]["leads"][0]
    expect(list(first), ["ID", "Intitulé", "ID contact", "Contact", "ID société", "Société", "ID responsable",
                         "Responsable", "Signature prévue", "Étiquettes", "Créé le"], "French labels")
    expect((first["Contact"], first["Société"], first["Responsable"]),
           ("Zoé Châteauneuf-Müller", "Müller & Fils, SARL", "Léa Fondatrice"), "names")
    path, raw = export(csv_plugin, leads("en"), "en.csv")
    first = read_csv(path)["datasets"]["leads"][0]
    expect(list(first)[:6], ["ID", "Title", "Contact ID", "Contact", "Company ID", "Company"], "English labels")
    path, raw = export(csv_plugin, leads("fr", headers="fields"), "fields.csv")
    first = read_csv(path)["datasets"]["leads"][0]
    expect(list(first), [c["name"] for c in LEAD_COLUMNS], "headers=fields keeps the field names")
    # xlsx: the same labels, read by openpyxl.
    path, raw = export(xlsx_plugin, leads("fr"), "fr.xlsx")
    book = read_back("read_xlsx.py", path)
    expect(book["sheets"]["leads"]["header"][:6], ["ID", "Intitulé", "ID contact", "Contact", "ID société", "Société"],
           "xlsx French labels")
    expect(book["datasets"]["leads"][0]["Société"], "Müller & Fils, SARL", "xlsx name")
    path, raw = export(xlsx_plugin, leads("en", headers="fields"), "fields.xlsx")
    expect(read_back("read_xlsx.py", path)["sheets"]["leads"]["header"], [c["name"] for c in LEAD_COLUMNS],
           "xlsx headers=fields")


def case_french_excel():
    path, raw = export(csv_plugin, leads("fr"), "fr.csv")
    zoe, other = read_csv(path)["datasets"]["leads"]
    expect(zoe["Créé le"], "29/03/2026 09:00", "an instant in the user's zone, as French Excel reads it")
    expect(other["Créé le"], "01/01/2027 00:30", "the next day in the user's zone")
    expect(zoe["Signature prévue"], "30/06/2026", "a date as French Excel reads it")
    expect(zoe["Étiquettes"], "ces, deep tech, lyon 🚀", "tags on one line")
    assert b"\n" not in raw.split(b"\r\n")[1], "one line a record"
    # Another zone, another wall clock.
    path, raw = export(csv_plugin, leads("fr", "America/Los_Angeles"), "la.csv")
    expect(read_csv(path)["datasets"]["leads"][0]["Créé le"], "29/03/2026 00:00", "Los Angeles")
    # English keeps RFC 3339 UTC, or spreadsheet dates when asked; dates=iso in French too.
    path, raw = export(csv_plugin, leads("en"), "en.csv")
    expect(read_csv(path)["datasets"]["leads"][0]["Created"], "2026-03-29T07:00:00.000Z", "en: UTC")
    path, raw = export(csv_plugin, leads("en", dates="excel"), "en-excel.csv")
    expect(read_csv(path)["datasets"]["leads"][0]["Created"], "2026-03-29 09:00", "en: excel dates")
    path, raw = export(csv_plugin, leads("fr", dates="iso"), "fr-iso.csv")
    expect(read_csv(path)["datasets"]["leads"][0]["Créé le"], "2026-03-29T07:00:00.000Z", "fr: iso dates")
    # An unknown zone: UTC, rather than a failed export.
    path, raw = export(csv_plugin, leads("fr", "Nowhere/City"), "nowhere.csv")
    expect(read_csv(path)["datasets"]["leads"][0]["Créé le"], "29/03/2026 07:00", "unknown zone: UTC")


def contacts(locale="fr"):
    columns = [{"name": "id", "kind": "integer"}, {"name": "first_name", "kind": "text"},
               {"name": "last_name", "kind": "text"}, {"name": "phones", "kind": "list"},
               {"name": "company_id", "kind": "integer"}, {"name": "company_name", "kind": "text"},
               {"name": "title", "kind": "text"}, {"name": "notes", "kind": "text"}]
    rows = [
        [1, "Zoé", "Châteauneuf-Müller", ["+16505550123;ext=12", "+33612345678"], 3, "Müller & Fils, SARL",
         "+33 6 12 34 56 78", "=cmd|' /C calc'!A0"],
        [2, "Max", "Minus", ["+33 6 12 34 56 78"], None, None, "-1+1", "+cmd"],
        [3, "Ana", "At", [], None, None, "@SUM(A1)", "+1-650-555-0123"],
        [4, "Tom", "Tab", [], None, None, "\tstart", "+33.6.12.34.56.78;ext=abc"],
    ]
    return {"locale": locale, "time_zone": "Europe/Paris", "options": {},
            "datasets": [{"name": "contacts", "columns": columns, "rows": rows}]}


def case_phones():
    path, raw = export(csv_plugin, contacts(), "contacts.csv")
    zoe, maxi, ana, tom = read_back("read_csv.py", path, "--datasets", "contacts")["datasets"]["contacts"]
    expect(zoe["Téléphones"], "+16505550123;ext=12, +33612345678", "phones as typed, with the extension")
    expect(zoe["Fonction"], "+33 6 12 34 56 78", "a phone number is not prefixed")
    expect(maxi["Téléphones"], "+33 6 12 34 56 78", "nor in a list")
    expect(ana["Notes"], "+1-650-555-0123", "dashes")
    expect(zoe["Notes"], "'=cmd|' /C calc'!A0", "= neutralised")
    expect(maxi["Fonction"], "'-1+1", "- neutralised")
    expect(maxi["Notes"], "'+cmd", "+ and letters neutralised")
    expect(ana["Fonction"], "'@SUM(A1)", "@ neutralised")
    expect(tom["Fonction"], "'\tstart", "tab neutralised")
    expect(tom["Notes"], "'+33.6.12.34.56.78;ext=abc", "an extension that is not digits is no phone")


def case_vcard():
    document = contacts()
    for version in ("4.0", "3.0"):
        document["options"] = {"version": version}
        path, raw = export(vcard_plugin, document, "contacts-%s.vcf" % version)
        cards = read_back("read_vcard.py", path)["datasets"]["contacts"]
        zoe = cards[0]
        expect(zoe["org"], "Müller & Fils, SARL", "ORG " + version)
        expect(zoe["title"], "+33 6 12 34 56 78", "TITLE " + version)
        expect(zoe["note"], "=cmd|' /C calc'!A0", "NOTE " + version)
        expect("org" in cards[1], False, "no ORG without a company " + version)
        phones = [p["value"] for p in zoe["phones"]]
        if version == "4.0":
            expect(phones, ["tel:+16505550123;ext=12", "tel:+33612345678"], "tel: URIs with the extension")
            assert b"TEL;VALUE=uri;TYPE=work,voice;PREF=1:tel:+16505550123;ext=12\r\n" in raw, raw
        else:
            expect(phones, ["+16505550123;ext=12", "+33612345678"], "3.0 text numbers")


run_case(globals(), case, work)
