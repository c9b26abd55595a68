#!/usr/bin/env python3
"""Driver-based tests of the xlsx exporter (plugins/xlsx): runs export_driver over a JSON
input, reads the file back with read_xlsx.py (openpyxl) and, for what that output does not
carry (number formats, cell types, fonts), with openpyxl directly.

Usage: test_xlsx.py EXPORT_DRIVER PLUGIN.so DATA_DIR CASE
CASE: layout | typed | text | edges | limits | cleanup
Exit 0 when every check of the case holds.
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER, PLUGIN, DATA, CASE = sys.argv[1:5]


def with_field_headers(input_path, tmpdir):
    """The input with headers=fields unless it says otherwise: the cases here read columns by
    field name (labels: test_readable.py). Input that is not a JSON object is kept as it is."""
    try:
        with open(input_path, encoding="utf-8") as f:
            document = json.load(f)
    except ValueError:
        return input_path
    if not isinstance(document, dict):
        return input_path
    document.setdefault("options", {}).setdefault("headers", "fields")
    path = os.path.join(tmpdir, "input-fields.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False)
    return path


def export(input_path, tmpdir, expect_ok=True):
    """Runs the driver with TMPDIR=tmpdir; returns the output path."""
    out = os.path.join(tmpdir, "out.xlsx")
    work = os.path.join(tmpdir, "work")
    os.makedirs(work, exist_ok=True)
    input_path = with_field_headers(input_path, tmpdir)
    env = dict(os.environ, TMPDIR=work)
    r = subprocess.run([DRIVER, PLUGIN, input_path, out], env=env, capture_output=True, text=True)
    assert "Sanitizer" not in r.stderr, r.stderr
    if expect_ok:
        assert r.returncode == 0, f"export_driver failed ({r.returncode}): {r.stderr}"
    else:
        assert r.returncode != 0, "export_driver succeeded where it should fail"
    return out, r


def read(path):
    r = subprocess.run([sys.executable, os.path.join(HERE, "read_xlsx.py"), path],
                       capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def eq(got, want, what):
    assert got == want, f"{what}: got {got!r}, want {want!r}"


def case_layout(tmp):
    out, _ = export(os.path.join(DATA, "xlsx_crm.json"), tmp)
    doc = read(out)
    eq(list(doc["datasets"]), ["contacts", "leads"], "two datasets make two sheets, in order")
    eq(doc["sheets"]["contacts"]["freeze_panes"], "A2", "contacts frozen header")
    eq(doc["sheets"]["leads"]["freeze_panes"], "A2", "leads frozen header")
    eq(doc["sheets"]["contacts"]["auto_filter"], "A1:T4", "contacts autofilter over header and rows")
    eq(doc["sheets"]["leads"]["auto_filter"], "A1:O4", "leads autofilter")
    eq(doc["sheets"]["contacts"]["header"][:4], ["id", "first_name", "last_name", "emails"], "header")
    eq(doc["sheets"]["contacts"]["header"][-2:], ["created_at", "updated_at"], "header end")
    eq(len(doc["datasets"]["contacts"]), 3, "contact rows")
    book = openpyxl.load_workbook(out)
    ws = book["contacts"]
    assert all(c.font.b for c in ws[1]), "the header row is bold"
    assert not ws["B2"].font.b, "data rows are not bold"
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert widths.get("L", 0) >= 40, f"the notes column is wide: {widths}"
    assert 5 <= widths.get("A", 0) <= 12, f"the id column is narrow: {widths}"
    assert all(w <= 62 for w in widths.values()), f"widths are capped: {widths}"


def case_typed(tmp):
    out, _ = export(os.path.join(DATA, "xlsx_crm.json"), tmp)
    doc = read(out)
    c = doc["datasets"]["contacts"]
    l = doc["datasets"]["leads"]
    eq(c[0]["id"], 1, "integer id")
    eq(c[0]["company_id"], 10, "reference as integer")
    eq(c[0]["source_event_id"], None, "null reference")
    eq(c[0]["met_at"], "2026-03-09T14:30:15.123Z", "instant in UTC with milliseconds")
    eq(c[0]["created_at"], "2025-12-31T23:59:59.999Z", "instant at the end of a year, UTC")
    eq(c[1]["met_at"], None, "null instant")
    eq(l[0]["value"], 1234567.89, "123456789 EUR minor units, scale 2")
    eq(l[1]["value"], 1000, "1000 JPY, scale 0")
    eq(l[2]["value"], -42.5, "negative amount")
    eq(l[0]["expected_close"], "2026-06-30", "date")
    eq(l[2]["expected_close"], None, "null date")
    eq(l[0]["shared_with_region"], True, "boolean true")
    eq(l[1]["shared_with_region"], False, "boolean false")
    eq(l[2]["shared_with_region"], None, "null boolean")

    book = openpyxl.load_workbook(out)
    ws = book["leads"]
    head = [cell.value for cell in ws[1]]
    col = {name: i for i, name in enumerate(head)}
    value = ws.cell(row=2, column=col["value"] + 1)
    eq(value.data_type, "n", "money is a number cell")
    assert "EUR" in value.number_format and "0.00" in value.number_format, value.number_format
    jpy = ws.cell(row=3, column=col["value"] + 1)
    assert "JPY" in jpy.number_format and "." not in jpy.number_format, jpy.number_format
    usd = ws.cell(row=4, column=col["value"] + 1)
    assert "USD" in usd.number_format, usd.number_format
    date = ws.cell(row=2, column=col["expected_close"] + 1)
    assert date.is_date, "the date cell is a date"
    eq(date.value, datetime.datetime(2026, 6, 30), "date value")
    eq(date.number_format, "yyyy-mm-dd", "date format")
    boolean = ws.cell(row=2, column=col["shared_with_region"] + 1)
    eq(boolean.data_type, "b", "boolean cell")
    created = ws.cell(row=2, column=col["created_at"] + 1)
    assert created.is_date, "the instant is a date-time cell"
    eq(created.value, datetime.datetime(2026, 3, 9, 14, 30), "the instant equals the UTC instant")
    assert "UTC" in created.number_format and "hh:mm:ss" in created.number_format, created.number_format
    ident = ws.cell(row=2, column=1)
    eq((ident.data_type, ident.value), ("n", 1), "id is a number cell")


def case_text(tmp):
    out, _ = export(os.path.join(DATA, "xlsx_crm.json"), tmp)
    doc = read(out)
    c = doc["datasets"]["contacts"]
    eq(c[0]["first_name"], "Zoé", "accents")
    eq(c[0]["last_name"], "Châteauneuf-Müller", "accents and hyphen")
    eq((c[1]["first_name"], c[1]["last_name"]), ("Ægir", "Œdipe"), "ligatures")
    eq(c[0]["city"], "Saint-Étienne", "capital with accent")
    eq(c[0]["title"], "=1+1", "a text starting with = stays text")
    eq(c[1]["title"], "+33 CEO", "a text starting with + stays text")
    eq(c[2]["first_name"], "@handle", "a text starting with @ stays text")
    eq(c[2]["last_name"], "-minus", "a text starting with - stays text")
    eq(c[2]["title"], "\tTabbed", "a leading tab is kept")
    eq(c[0]["notes"], "Met at the fair, then \"coffee\";\nfollow up in March", "comma, quote and newline")
    eq(c[0]["emails"], "zoe@example.fr, zoe.cm@example.com", "email list joined")
    eq(c[0]["phones"], "+33612345678, +14155550100", "phone list joined")
    eq(c[2]["emails"], "a@x.fr, b@y.com, c@z.org", "three emails")
    eq(c[1]["emails"], None, "an empty list is an empty cell")
    eq(c[1]["met_where"], None, "an empty string is an empty cell")
    with open(os.path.join(DATA, "xlsx_crm.json"), encoding="utf-8") as f:
        long_note = json.load(f)["datasets"][0]["rows"][1][11]
    eq(len(long_note), 20000, "the input's long note")
    eq(c[1]["notes"], long_note, "a 20,000-character note is kept whole")
    book = openpyxl.load_workbook(out)
    ws = book["contacts"]
    title = ws.cell(row=2, column=7)
    eq((title.data_type, title.value), ("s", "=1+1"), "=1+1 is a string cell, not a formula")
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"no formula anywhere: {cell.coordinate}"


def case_edges(tmp):
    out, _ = export(os.path.join(DATA, "xlsx_edges.json"), tmp)
    doc = read(out)
    eq(list(doc["datasets"]), ["edge_cases__odd___", "EDGE_cases__odd___ (2)",
                               "a dataset name far longer than", "quoted"],
       "sheet names made valid and unique (31 characters, no []:*?/\\ or quotes)")
    e = doc["datasets"]["edge_cases__odd___"]
    eq(e[0]["label"], "bell\u0007 and cr\r\nend", "control characters and CR survive as _xHHHH_")
    eq(e[1]["label"], "literal _x0041_ stays", "a literal _xHHHH_ is protected")
    eq(e[2]["label"], "  padded  ", "leading and trailing spaces kept")
    eq(e[3]["label"], "😀 surrogate pair", "a character outside the BMP")
    eq(e[0]["items"], "x\u0001y, 😀 émoji", "list items with a control character and an emoji")
    eq(e[2]["items"], ", solo", "an empty list item")
    eq([r["score"] for r in e], [0.5, -1.25e-07, 1e300, 3], "reals")
    eq([r["born"] for r in e], ["1899-12-31", "1900-01-01", "1900-02-28", "9999-12-31"],
       "dates around Excel's 1900 bug, and before 1900 as text")
    eq([r["seen"] for r in e], ["1899-12-31T23:59:59.000Z", "1900-01-01T06:00:00.000Z",
                                "1900-03-01T00:00:00.000Z", "2038-01-19T03:14:07.999Z"], "instants")
    eq([r["big"] for r in e], ["9007199254740993", -42, 0, 9007199254740992],
       "integers beyond 2^53 as exact text")
    eq([r["amount"] for r in e], [0.005, 0, 90071992547.4, -1], "amounts")
    book = openpyxl.load_workbook(out)
    ws = book["edge_cases__odd___"]
    eq(ws["D2"].data_type, "s", "a date before 1900 is text")
    assert ws["D3"].is_date, "1900-01-01 is a date"
    assert "KWD" in ws["G2"].number_format and "0.000" in ws["G2"].number_format, ws["G2"].number_format
    eq(ws["G3"].number_format, "#,##0.00", "no currency: a plain amount format")
    eq(doc["sheets"]["a dataset name far longer than"]["auto_filter"], "A1", "no rows: a filter on the header")
    eq(doc["sheets"]["quoted"]["header"], [], "a dataset without columns")


def case_limits(tmp):
    long_text = "é" * 40000
    exact = "ü" * 32767
    doc = {"datasets": [{"name": "contacts",
                         "columns": [{"name": "notes", "kind": "text"}, {"name": "tags", "kind": "list"}],
                         "rows": [[long_text, [exact]], [exact, ["😀" * 20000]]]}]}
    path = os.path.join(tmp, "limits.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    out, _ = export(path, tmp)
    rows = read(out)["datasets"]["contacts"]
    eq(rows[0]["notes"], "é" * 32767, "a text past 32,767 characters is cut at Excel's limit")
    eq(rows[0]["tags"], exact, "32,767 two-byte characters are kept whole")
    eq(rows[1]["notes"], exact, "exactly 32,767 characters")
    eq(rows[1]["tags"], "😀" * 16383, "characters outside the BMP count twice, as in Excel")


def case_cleanup(tmp):
    out, _ = export(os.path.join(DATA, "xlsx_crm.json"), tmp)
    work = os.path.join(tmp, "work")
    eq(os.listdir(work), [], "no temporary file left after an export")
    assert zipfile_ok(out), "the output is a zip"
    # 16,385 columns: begin_dataset fails, the driver calls finish(0).
    wide = {"datasets": [{"name": "contacts",
                          "columns": [{"name": f"c{i}", "kind": "integer"} for i in range(16385)],
                          "rows": []}]}
    path = os.path.join(tmp, "wide.json")
    with open(path, "w") as f:
        json.dump(wide, f)
    _, r = export(path, tmp, expect_ok=False)
    assert "16,384 columns" in r.stderr, r.stderr
    eq(os.listdir(work), [], "no temporary file left after a failed export")
    # A failure after rows were written (the second dataset is too wide).
    with open(os.path.join(DATA, "xlsx_crm.json"), encoding="utf-8") as f:
        both = json.load(f)
    both["datasets"].append(wide["datasets"][0])
    with open(path, "w", encoding="utf-8") as f:
        json.dump(both, f, ensure_ascii=False)
    _, r = export(path, tmp, expect_ok=False)
    eq(os.listdir(work), [], "no temporary file left when a later dataset fails")


def zipfile_ok(path):
    import zipfile
    with zipfile.ZipFile(path) as z:
        return z.testzip() is None and "xl/workbook.xml" in z.namelist()


CASES = {"layout": case_layout, "typed": case_typed, "text": case_text, "edges": case_edges,
         "limits": case_limits, "cleanup": case_cleanup}

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        CASES[CASE](tmp)
    print(f"xlsx {CASE}: ok")
