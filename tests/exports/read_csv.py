#!/usr/bin/env python3
"""Reads a CSV export with Python's csv module and prints what a program reading it sees.

    read_csv.py FILE [--datasets NAME,NAME...] [--delimiter ,|;|tab] [--no-header]

Output, one JSON document on stdout (a stable format, reused by the API-level tests):

    {"datasets": {"contacts": [{"id": "1", "first_name": "Zoé", ...}, ...], ...},
     "bom": true, "delimiter": ";"}

- The file is decoded as UTF-8; a leading byte order mark is dropped and reported in "bom".
- Values are the strings csv.reader returns (csv has no types): "1234567,89", "true", ""
  for both a null and an empty string, a list's items joined by "\\n", a neutralised formula
  with its leading "'".
- Datasets: a CSV file does not name them. An export of several datasets separates them by
  an empty line, each starting with its header row; they are named, in order, by
  --datasets (default "dataset1", "dataset2"...).
- Keys are the header's column names; with --no-header (a file written with header=no)
  they are "1", "2"... by position.
- The delimiter is --delimiter, else the most frequent of ',' ';' and tab in the first line.
- Fields of any size are accepted (csv's default limit is 128 KiB).
- Exit status 1 (message on stderr) when the file is not valid CSV: bad quoting (strict
  mode), a row with another number of fields than its header, or invalid UTF-8.
"""
import argparse
import csv
import io
import json
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--datasets", default="")
    parser.add_argument("--delimiter", choices=[",", ";", "tab"])
    parser.add_argument("--no-header", action="store_true")
    args = parser.parse_args()

    with open(args.file, "rb") as f:
        raw = f.read()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig" if bom else "utf-8")

    if args.delimiter:
        delimiter = "\t" if args.delimiter == "tab" else args.delimiter
    else:
        first = text.split("\n", 1)[0]
        delimiter = max([",", ";", "\t"], key=first.count)

    names = [n for n in args.datasets.split(",") if n]
    csv.field_size_limit(sys.maxsize)  # the module's default stops at 128 KiB a field
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    groups = [[]]
    for record in reader:
        if record == []:  # an empty line: the next dataset
            groups.append([])
        else:
            groups[-1].append(record)
    if groups == [[]]:
        groups = []

    datasets = {}
    for i, records in enumerate(groups):
        name = names[i] if i < len(names) else "dataset%d" % (i + 1)
        if args.no_header:
            header = [str(k + 1) for k in range(max((len(r) for r in records), default=0))]
        else:
            if not records:
                raise SystemExit("read_csv: dataset %s has no header row" % name)
            header, records = records[0], records[1:]
        rows = []
        for n, record in enumerate(records):
            if len(record) != len(header):
                raise SystemExit("read_csv: dataset %s row %d has %d fields, its header %d"
                                 % (name, n + 1, len(record), len(header)))
            rows.append(dict(zip(header, record)))
        datasets[name] = rows

    json.dump({"datasets": datasets, "bom": bom,
               "delimiter": "tab" if delimiter == "\t" else delimiter}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    try:
        main()
    except (csv.Error, UnicodeDecodeError) as e:
        sys.exit("read_csv: %s" % e)
