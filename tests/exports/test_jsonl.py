#!/usr/bin/env python3
"""Driver-based tests of the jsonl exporter (plugins/jsonl): export_driver writes the file,
read_jsonl.py reads it back with Python's json module, and each case asserts what it sees.

    test_jsonl.py EXPORT_DRIVER PLUGIN.so DATA_DIR CASE
"""
import copy
import functools
import os
import sys
import tempfile

from export_test_support import Driver, expect, load as load_data, read_back, run_case, with_options

driver, plugin, data_dir, case = sys.argv[1:5]
work = tempfile.mkdtemp(prefix="relance-jsonl-test-")
spill_dir = os.path.join(work, "tmp")  # the plugin's TMPDIR: must be empty after each export
os.mkdir(spill_dir)
load = functools.partial(load_data, data_dir)
exporter = Driver(driver, plugin, env=dict(os.environ, TMPDIR=spill_dir))


def export(document, name="out.jsonl"):
    result = exporter.export(document, os.path.join(work, name))
    assert os.listdir(spill_dir) == [], "temporary files left: %r" % os.listdir(spill_dir)
    return result


def read(path, *args):
    return read_back("read_jsonl.py", path, *args)


def as_read(document, dataset):
    """The objects a reader should see for `dataset` of an export_driver input."""
    d = next(d for d in document["datasets"] if d["name"] == dataset)
    out = []
    for row in d["rows"]:
        obj = {}
        for c, v in zip(d["columns"], row):
            if c["kind"] == "money" and v is not None:
                m, s = v["minor"], v["scale"]
                digits = str(abs(m)).rjust(s + 1, "0")
                v = ("-" if m < 0 else "") + (digits[:-s] + "." + digits[-s:] if s else digits)
            obj[c["name"]] = v
        out.append(obj)
    return out


def case_kinds():
    contacts = load("csv_contacts.json")
    path, raw = export(contacts)
    seen = read(path, "--dataset", "contacts")
    expect(seen["tagged"], False, "one dataset: no _dataset key")
    expect(seen["datasets"]["contacts"], as_read(contacts, "contacts"), "contacts read back")
    expect(list(seen["datasets"]["contacts"][0]), [c["name"] for c in contacts["datasets"][0]["columns"]], "key order")
    assert "Zoé Châteauneuf".encode() not in raw and "Châteauneuf-Müller".encode() in raw, "UTF-8 kept as is"
    assert b'"emails":["zoe@example.fr","zoe.muller@example.com"]' in raw, "a list is an array"
    assert b'"company_id":7,' in raw and b'"source_event_id":null,' in raw, "integers and nulls"
    deals = load("csv_deals.json")
    path, raw = export(deals, "deals.jsonl")
    seen = read(path)["datasets"]
    for name in ("leads", "outcomes", "measures"):
        expect(seen[name], as_read(deals, name), name + " read back")
    expect([r["value"] for r in seen["leads"]], ["1234567.89", "1000", "-12.50", "0.05", None], "amounts as exact strings")
    expect([r["amount"] for r in seen["outcomes"]], ["-9876543210.12", "0.003"], "amounts")
    assert b'"shared_with_region":true,' in raw and b'"value":"1234567.89","currency":"EUR"' in raw, "raw amounts"
    assert b'"ratio":0.1,' in raw and b'"ratio":3,' in raw and b'"ratio":1e+21,' in raw, "reals, shortest form"


def case_tagging():
    deals = load("csv_deals.json")
    path, raw = export(deals)
    lines = raw.split(b"\n")
    expect(lines[-1], b"", "ends with a line feed")
    assert all(l.startswith(b'{"_dataset":"') for l in lines[:-1]), "several datasets: every object is tagged first"
    seen = read(path)
    expect((seen["tagged"], list(seen["datasets"])), (True, ["leads", "outcomes", "measures"]), "datasets in order")
    expect(len(seen["datasets"]["leads"]), 5, "leads")
    # A dataset without columns still makes valid, tagged objects.
    empty = {"datasets": [{"name": "a", "columns": [], "rows": [[], []]}, {"name": "b", "columns": [], "rows": [[]]}]}
    path, raw = export(empty, "empty.jsonl")
    expect(raw, b'{"_dataset":"a"}\n{"_dataset":"a"}\n{"_dataset":"b"}\n', "objects without columns")
    path, raw = export({"datasets": [empty["datasets"][0]]}, "empty1.jsonl")
    expect(raw, b"{}\n{}\n", "one dataset without columns")
    path, raw = export({"datasets": []}, "none.jsonl")
    expect(raw, b"", "no dataset: an empty file")


def case_option():
    contacts = load("csv_contacts.json")
    path, raw = export(with_options(contacts, dataset_key="always"))
    assert raw.startswith(b'{"_dataset":"contacts","id":1,'), "always: tagged with one dataset"
    seen = read(path)
    expect((seen["tagged"], list(seen["datasets"])), (True, ["contacts"]), "always")
    deals = load("csv_deals.json")
    path, raw = export(with_options(deals, dataset_key="never"), "never.jsonl")
    assert b"_dataset" not in raw, "never: no key even with several datasets"
    expect(len(read(path)["datasets"]["dataset1"]), 12, "never: all objects")
    path, raw = export(with_options(deals, dataset_key="auto"), "auto.jsonl")
    expect(read(path)["tagged"], True, "auto with several datasets")


def case_escapes():
    source = load("jsonl_escapes.json")
    path, raw = export(source)
    text = raw.decode("utf-8")
    for c in text:
        assert c == "\n" or ord(c) >= 0x20, "raw control character %r" % c
    assert "\u2028" not in text and "\u2029" not in text, "U+2028 and U+2029 are escaped"
    assert "\\u2028sep\\u2029par" in text, "as \\u2028 and \\u2029"
    assert '"title":"Back\\\\slash \\"quoted\\" /slash"' in text, "backslash and quotes escaped"
    assert "\\u0001\\u0007\\b\\f\\t\\n\\r\\u001f" in text, "control characters escaped"
    assert '"é ü 🎉"' in text, "non-ASCII kept as UTF-8"
    seen = read(path)["datasets"]
    expect(seen["followups"], as_read(source, "followups"), "followups read back")
    expect(seen["followups"][0]["contact_time_zone"], "America/New_York", "contact_time_zone passes through")
    expect(seen["tags"], as_read(source, "tags"), "list items with quotes, backslashes, line ends")


def case_large():
    # 40000 rows (several MiB) stream as they come: untagged when the request holds one
    # dataset, tagged from the first row when it holds two.
    columns = [{"name": "id", "kind": "integer"}, {"name": "name", "kind": "text"},
               {"name": "emails", "kind": "list"}, {"name": "value", "kind": "money"}]
    rows = [[i, "Zoé \"%d\"\n" % i + "y" * 50, ["a%d@x.fr" % i], {"minor": -i, "scale": 2, "currency": "EUR"}]
            for i in range(40000)]
    rows.append([40000, "€" * 300000, [], None])
    one = {"datasets": [{"name": "contacts", "columns": columns, "rows": rows}]}
    path, raw = export(one)
    assert len(raw) > 4 << 20, "large: %d bytes" % len(raw)
    seen = read(path, "--dataset", "contacts")
    expect(seen["tagged"], False, "one large dataset: untagged")
    expect(seen["datasets"]["contacts"], as_read(one, "contacts"), "every row")
    two = copy.deepcopy(one)
    two["datasets"].append({"name": "leads", "columns": columns[:2], "rows": [[1, "x"]]})
    path, raw = export(two, "two.jsonl")
    seen = read(path)
    expect(seen["tagged"], True, "tagged: the request holds two datasets")
    expect(seen["datasets"]["contacts"], as_read(two, "contacts"), "every row, tagged")
    expect(seen["datasets"]["leads"], [{"id": 1, "name": "x"}], "the second dataset")


run_case(globals(), case, work)
