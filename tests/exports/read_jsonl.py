#!/usr/bin/env python3
"""Reads a JSON Lines export with Python's json module and prints what a program sees.

    read_jsonl.py FILE [--dataset NAME]

Output, one JSON document on stdout (a stable format, reused by the API-level tests):

    {"datasets": {"contacts": [{"id": 1, "first_name": "Zoé", "value": "1234567.89",
                                "emails": ["a@x.fr"], ...}, ...], ...},
     "tagged": false}

- Each line is parsed by json.loads, strictly: the file must be UTF-8, every line must end
  with "\\n" (no "\\r", no blank line), be one JSON object, and use no NaN or Infinity.
- Values are as json.loads returns them (numbers, strings, lists, true/false, null), keys in
  the file's order.
- Datasets: an object with a "_dataset" key belongs to that dataset (the key is removed from
  the printed object, and "tagged" is true); an object without it belongs to --dataset
  (default "dataset1").
- Exit status 1 (message on stderr) when a line breaks any of these rules.
"""
import argparse
import json
import sys


def no_constant(name):
    raise ValueError("%s is not JSON" % name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--dataset", default="dataset1")
    args = parser.parse_args()

    with open(args.file, "rb") as f:
        text = f.read().decode("utf-8")
    if text and not text.endswith("\n"):
        raise ValueError("the last line does not end with \\n")
    datasets = {}
    tagged = False
    for n, line in enumerate(text.split("\n")[:-1] if text else [], 1):
        if not line or "\r" in line:
            raise ValueError("line %d is blank or holds a raw CR" % n)
        record = json.loads(line, parse_constant=no_constant)
        if not isinstance(record, dict):
            raise ValueError("line %d is not an object" % n)
        name = args.dataset
        if "_dataset" in record:
            tagged = True
            name = record.pop("_dataset")
        datasets.setdefault(name, []).append(record)
    json.dump({"datasets": datasets, "tagged": tagged}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    try:
        main()
    except (ValueError, UnicodeDecodeError) as e:
        sys.exit("read_jsonl: %s" % e)
