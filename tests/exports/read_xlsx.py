#!/usr/bin/env python3
"""Reads an XLSX export with openpyxl (the reader the issue names) and prints one JSON
document on stdout:

  {"datasets": {"<sheet name>": [{"<header>": <value>, ...}, ...], ...},
   "sheets": {"<sheet name>": {"freeze_panes": "A2", "auto_filter": "A1:T3",
                               "header": ["id", ...]}, ...}}

One entry per worksheet, in workbook order; row 1 is the header, each further row becomes
an object keyed by the header's names (every column present, empty cells as null; rows
with no value at all are kept as all-null objects). Values as openpyxl sees them:
  - numbers as JSON numbers (an integral number written without a decimal point is an
    integer: ids, 1000 JPY; 1234567.89 EUR is 1234567.89);
  - booleans as true/false;
  - date cells (a date number format without a time part, e.g. yyyy-mm-dd) as "YYYY-MM-DD";
  - date-time cells as "YYYY-MM-DDTHH:MM:SS.mmm", followed by "Z" when the number format
    says "UTC" (the plugin's instants), so that they compare as text with the API's
    instants;
  - strings as strings, with the _xHHHH_ escapes of OOXML resolved as Excel resolves them
    (openpyxl 3.0 leaves them as typed: a control character the plugin wrote as _x0001_
    reads back as U+0001, a literal "_x0041_" written as "_x005F_x0041_" reads back as
    "_x0041_");
  - a formula cell (there should be none) as its formula text prefixed by "formula:".

Usage: read_xlsx.py FILE.xlsx
"""
import datetime
import json
import re
import sys

import openpyxl

ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def unescape(text):
    return ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def value_of(cell):
    v = cell.value
    if v is None:
        return None
    if cell.data_type == "f":
        return "formula:" + str(v)
    if isinstance(v, bool):
        return v
    if isinstance(v, datetime.datetime):
        fmt = QUOTED.sub("", cell.number_format or "").lower()
        if "h" not in fmt and "s" not in fmt:
            return v.date().isoformat()
        text = v.strftime("%Y-%m-%dT%H:%M:%S") + ".%03d" % (v.microsecond // 1000)
        return text + ("Z" if "utc" in (cell.number_format or "").lower() else "")
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, datetime.time):
        return v.isoformat()
    if isinstance(v, (int, float)):
        return v
    return unescape(str(v))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: read_xlsx.py FILE.xlsx")
    book = openpyxl.load_workbook(sys.argv[1])
    datasets = {}
    sheets = {}
    for ws in book.worksheets:
        rows = ws.iter_rows()
        header_row = next(rows, ())
        header = [value_of(c) for c in header_row]
        out = []
        for row in rows:
            record = {}
            for i, name in enumerate(header):
                record[name] = value_of(row[i]) if i < len(row) else None
            out.append(record)
        datasets[ws.title] = out
        sheets[ws.title] = {"freeze_panes": ws.freeze_panes, "auto_filter": ws.auto_filter.ref,
                            "header": header}
    json.dump({"datasets": datasets, "sheets": sheets}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
