#!/usr/bin/env python3
"""Driver-based tests of the csv exporter (plugins/csv): export_driver writes the file,
read_csv.py reads it back with Python's csv module, and each case asserts what it sees.

    test_csv.py EXPORT_DRIVER PLUGIN.so DATA_DIR CASE
"""
import copy
import functools
import os
import sys
import tempfile

from export_test_support import Driver, expect, load as load_data, read_back, run_case, with_options

driver, plugin, data_dir, case = sys.argv[1:5]
work = tempfile.mkdtemp(prefix="relance-csv-test-")
load = functools.partial(load_data, data_dir)
exporter = Driver(driver, plugin)


def export(document, name="out.csv"):
    """Runs the plugin over `document` (an export_driver input); returns the file's path and bytes.
    The cases here read columns by field name and instants as the daemon gives them: headers=fields
    and dates=iso unless the document says otherwise (labels and spreadsheet dates:
    test_readable.py)."""
    d = copy.deepcopy(document)
    options = d.setdefault("options", {})
    options.setdefault("headers", "fields")
    options.setdefault("dates", "iso")
    return exporter.export(d, os.path.join(work, name))


def read(path, *args):
    return read_back("read_csv.py", path, *args)


def column(document, dataset, name):
    d = next(d for d in document["datasets"] if d["name"] == dataset)
    i = [c["name"] for c in d["columns"]].index(name)
    return [r[i] for r in d["rows"]]


def records(raw):
    """Splits raw bytes at the CRLF that end records (outside quotes); checks no bare line end."""
    out, field, quoted, i = [], bytearray(), False, 0
    while i < len(raw):
        c = raw[i:i + 1]
        if c == b'"':
            quoted = not quoted
        if not quoted and c in (b"\r", b"\n"):
            assert raw[i:i + 2] == b"\r\n", "a record ends with a bare CR or LF at byte %d" % i
            out.append(bytes(field))
            field = bytearray()
            i += 2
            continue
        field += c
        i += 1
    assert not field, "the last record does not end with CRLF"
    return out


def case_basics():
    source = load("csv_contacts.json")
    path, raw = export(with_options(source, formulas="keep"))
    seen = read(path, "--datasets", "contacts")
    expect(seen["bom"], False, "bom in English")
    expect(seen["delimiter"], ",", "delimiter in English")
    rows = seen["datasets"]["contacts"]
    expect(len(rows), 3, "rows")
    zoe, aegir, long_row = rows
    expect(list(zoe), [c["name"] for c in source["datasets"][0]["columns"]], "header")
    expect((zoe["id"], zoe["first_name"], zoe["last_name"]), ("1", "Zoé", "Châteauneuf-Müller"), "names")
    expect((aegir["first_name"], aegir["last_name"]), ("Ægir", "Œdipe"), "names")
    expect(zoe["notes"], 'Met at "VivaTech", said:\nCall back; maybe\r\nnext week', "note with comma, quote, newlines")
    expect(zoe["title"], "CEO, co-founder", "comma in a text")
    expect(zoe["emails"], "zoe@example.fr, zoe.muller@example.com", "emails on one line")
    expect(zoe["phones"], "+33612345678, +14155550100", "phones on one line")
    expect(zoe["tags"], "fintech, R&D, Europe, a|b; c", "tags with , ; and | on one line")
    expect(aegir["tags"], "日本語, emoji 🎉", "tags beyond Latin-1")
    expect((aegir["emails"], aegir["phones"], long_row["tags"]), ("", "", ""), "empty list and nulls")
    expect((zoe["met_at"], zoe["created_at"]), ("2026-03-09T17:30:00.000Z", "2026-03-09T17:31:02.123Z"), "instants in UTC")
    expect((zoe["company_id"], aegir["company_id"]), ("7", ""), "integer and null")
    expect(long_row["notes"], column(source, "contacts", "notes")[2], "a very long text")
    expect((zoe["consent_note"], long_row["first_name"], long_row["last_name"]), ("", "", ""), "empty strings and null")
    # Raw bytes: CRLF after every record, "" for an empty string and nothing for a null,
    # quotes only where needed.
    lines = records(raw)
    expect(len(lines), 4, "records")
    expect(lines[0], b"id,first_name,last_name,emails,phones,company_id,title,city,country,linkedin_url,"
                     b"tags,notes,met_at,met_where,source_event_id,lawful_basis,consent_at,consent_note,"
                     b"created_at,updated_at", "header bytes")
    assert b',"",2026-03-09T17:31:02.123Z' in lines[1], "an empty string is written \"\""
    assert lines[2].startswith("2,Ægir,Œdipe,,,,".encode()), "nulls are written as nothing: %r" % lines[2][:40]
    assert '"Met at ""VivaTech"", said:'.encode() in lines[1], "quotes are doubled inside quoted fields"


def case_french():
    source = load("csv_deals.json")
    path, raw = export(with_options(source, locale="fr"))
    assert raw.startswith(b"\xef\xbb\xbfid;title;"), "fr: BOM then ';' header: %r" % raw[:20]
    seen = read(path, "--datasets", "leads,outcomes,measures")
    expect((seen["bom"], seen["delimiter"]), (True, ";"), "fr defaults")
    leads = seen["datasets"]["leads"]
    expect([r["value"] for r in leads], ["1234567,89", "1000", "-12,50", "0,05", ""], "amounts with a decimal comma")
    expect([r["currency"] for r in leads], ["EUR", "JPY", "EUR", "USD", ""], "currency column")
    expect([r["shared_with_region"] for r in leads], ["true", "false", "", "false", ""], "booleans")
    expect([r["expected_close"] for r in leads[:2]], ["2026-06-30", "2026-04-01"], "dates")
    expect(leads[0]["title"], "Série A, Zoé's fund", "text")
    outcomes = seen["datasets"]["outcomes"]
    expect([r["amount"] for r in outcomes], ["-9876543210,12", "0,003"], "negative and 3-decimal amounts")
    expect([r["jobs"] for r in outcomes], ["12", "0"], "integers")
    expect([r["ratio"] for r in seen["datasets"]["measures"]], ["0,1", "-2,5", "1e+21", "", "3"], "reals with a decimal comma")
    assert b"\r\n1000;JPY" not in raw and b";1000;JPY;" in raw, "JPY at scale 0 has no decimals"
    assert b";-12,50;EUR;" in raw, "a negative amount is a number, not neutralised, not quoted"


def case_overrides():
    source = load("csv_deals.json")
    # fr with explicit options: they win over the locale's defaults.
    path, raw = export(with_options(source, locale="fr", delimiter=",", bom="no", decimal="."))
    seen = read(path, "--datasets", "leads,outcomes,measures")
    expect((seen["bom"], seen["delimiter"]), (False, ","), "options over fr defaults")
    expect(seen["datasets"]["leads"][0]["value"], "1234567.89", "decimal point")
    # en with a decimal comma and the comma delimiter: the amounts are quoted and read back.
    path, raw = export(with_options(source, decimal=",", bom="yes"), "comma.csv")
    seen = read(path, "--datasets", "leads,outcomes,measures")
    expect((seen["bom"], seen["delimiter"]), (True, ","), "bom=yes in English")
    expect([r["value"] for r in seen["datasets"]["leads"]], ["1234567,89", "1000", "-12,50", "0,05", ""],
           "decimal comma under a comma delimiter")
    assert b',"1234567,89",EUR,' in raw, "such an amount is quoted"
    # locale variants count as French.
    path, raw = export(with_options(source, locale="fr-CA"), "fr-ca.csv")
    assert raw.startswith(b"\xef\xbb\xbfid;"), "fr-CA gets the French defaults"


def case_formulas():
    source = load("csv_contacts.json")
    path, raw = export(source)
    rows = read(path, "--datasets", "contacts")["datasets"]["contacts"]
    zoe, aegir, third = rows
    expect(aegir["notes"], "'=HYPERLINK(\"http://evil.example\",\"click\")", "= neutralised")
    expect(aegir["title"], "'-2+3", "- neutralised")
    expect(third["title"], "+33 1 23 45 67 89", "a phone number is not a formula")
    expect(aegir["city"], "'@SUM(A1:A9)", "@ neutralised")
    expect(aegir["met_where"], "'\tTabbed start", "tab neutralised")
    expect(aegir["consent_note"], "'\rCR start", "CR neutralised")
    expect(zoe["phones"], "+33612345678, +14155550100", "a list of phone numbers is not a formula")
    expect((zoe["notes"][:6], zoe["city"]), ("Met at", "Saint-Étienne"), "other texts untouched")
    # Numbers are numbers: a negative amount is never prefixed, a negative-looking text is.
    path, raw = export(load("csv_deals.json"), "deals.csv")
    seen = read(path, "--datasets", "leads,outcomes,measures")
    leads = seen["datasets"]["leads"]
    expect((leads[2]["value"], leads[2]["notes"]), ("-12.50", "'-12,50 EUR"), "money vs text")
    expect(seen["datasets"]["outcomes"][0]["amount"], "-9876543210.12", "negative amount")
    expect(seen["datasets"]["measures"][1]["ratio"], "-2.5", "negative real")


def case_keep():
    source = load("csv_contacts.json")
    path, raw = export(with_options(source, formulas="keep"))
    rows = read(path, "--datasets", "contacts")["datasets"]["contacts"]
    for name in ("notes", "title", "city", "met_where", "consent_note"):
        expect(rows[1][name], column(source, "contacts", name)[1], "kept " + name)
    expect(rows[0]["phones"], "+33612345678, +14155550100", "kept list")


def case_tab():
    source = load("csv_contacts.json")
    path, raw = export(with_options(source, delimiter="tab", header="no", formulas="keep"))
    assert raw.startswith("1\tZoé\t".encode()), "tab-separated, no header: %r" % raw[:20]
    seen = read(path, "--delimiter", "tab", "--no-header", "--datasets", "contacts")
    rows = seen["datasets"]["contacts"]
    expect(len(rows), 3, "rows without a header")
    expect((rows[0]["1"], rows[0]["2"], rows[0]["7"]), ("1", "Zoé", "CEO, co-founder"), "by position")
    expect(rows[1]["14"], "\tTabbed start", "a tab inside a field is quoted")
    assert b'"\tTabbed start"' in raw, "quoted because it holds the delimiter"
    assert b'\t"CEO, co-founder"\t' not in raw and b"\tCEO, co-founder\t" in raw, "a comma needs no quotes here"


def case_datasets():
    source = load("csv_deals.json")
    path, raw = export(source)
    lines = records(raw)
    expect(lines.count(b""), 2, "one empty line between datasets")
    expect(lines[6], b"", "the empty line after leads")
    assert lines[7].startswith(b"id,lead_id,company_id,kind,amount"), "then the outcomes header"
    seen = read(path, "--datasets", "leads,outcomes,measures")
    expect({k: len(v) for k, v in seen["datasets"].items()}, {"leads": 5, "outcomes": 2, "measures": 5}, "datasets")
    expect(seen["datasets"]["outcomes"][0]["evidence"], "https://press.example/a?b=1,2", "text with a comma")
    expect(seen["datasets"]["outcomes"][0]["notes"], "", "empty string")
    # Without headers, the empty lines still separate the datasets.
    path, raw = export(with_options(source, header="no"), "no-header.csv")
    seen = read(path, "--no-header", "--datasets", "leads,outcomes,measures")
    expect({k: len(v) for k, v in seen["datasets"].items()}, {"leads": 5, "outcomes": 2, "measures": 5}, "no header")


def case_large():
    # Enough rows to cross the 64 KiB buffer many times, and a 1 MiB text with every
    # character that needs quoting, so that no flush splits or loses a byte.
    big = ('x' * 1000 + ',"\n\r;é') * 1024
    columns = [{"name": "id", "kind": "integer"}, {"name": "name", "kind": "text"},
               {"name": "emails", "kind": "list"}, {"name": "value", "kind": "money"}]
    rows = [[i, "Zoé %d, \"n\"" % i, ["a%d@x.fr" % i, "b%d@y.com" % i], {"minor": i * 101 - 5000, "scale": 2, "currency": "EUR"}]
            for i in range(30000)]
    rows.insert(12345, [-1, big, [], None])
    path, raw = export({"locale": "en", "datasets": [{"name": "contacts", "columns": columns, "rows": rows}]})
    seen = read(path, "--datasets", "contacts")["datasets"]["contacts"]
    expect(len(seen), 30001, "rows")
    expect(seen[12345]["name"], big, "the 1 MiB text")
    for i in (0, 1, 12344, 12346, 29999, 30000):
        r = rows[i]
        expect(seen[i]["name"], r[1], "name of row %d" % i)
        expect(seen[i]["emails"].split(", "), r[2], "emails of row %d" % i)
        m = r[3]["minor"]
        want = ("-" if m < 0 else "") + "%d.%02d" % (abs(m) // 100, abs(m) % 100)
        expect(seen[i]["value"], want, "amount of row %d" % i)


run_case(globals(), case, work)
