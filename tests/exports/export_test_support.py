"""What the driver-level export tests (test_*.py) share: running export_driver over a JSON
document, reading the file back with a read_*.py script, and the checks of the line-based
formats.

The tests import it by name: Python puts a script's own folder first on sys.path, so the
import works whatever directory ctest runs them from (the build tree) and with whichever
interpreter tests/exports/CMakeLists.txt chose, since this module needs the standard
library only.
"""
import copy
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load(data_dir, name):
    """The JSON document `name` of the tests' data folder."""
    with open(os.path.join(data_dir, name), encoding="utf-8") as f:
        return json.load(f)


def with_options(document, locale=None, **options):
    """A copy of `document` with these format options (and locale, when given)."""
    d = copy.deepcopy(document)
    if locale:
        d["locale"] = locale
    d["options"] = options
    return d


def rows_as_dicts(document):
    """The rows of the document's first dataset, as {column name: value}."""
    d = document["datasets"][0]
    names = [c["name"] for c in d["columns"]]
    return [dict(zip(names, r)) for r in d["rows"]]


def expect(actual, wanted, what):
    assert actual == wanted, "%s: got %r, wanted %r" % (what, actual, wanted)


def read_back(script, path, *args):
    """The JSON that `script` (a read_*.py of this folder) prints for the file at `path`. It
    runs with this interpreter, the one that has the reader's modules."""
    run = subprocess.run([sys.executable, os.path.join(HERE, script), path, *args],
                         capture_output=True, text=True)
    assert run.returncode == 0, "%s failed: %s" % (script, run.stderr)
    return json.loads(run.stdout)


class Driver:
    """export_driver bound to one plugin: the first two arguments of every test_*.py."""

    def __init__(self, driver, plugin, env=None):
        self.driver, self.plugin, self.env = driver, plugin, env

    def run(self, document, out):
        """Writes `document` next to `out` (as `out`.json) and exports it to `out`."""
        source = out + ".json"
        with open(source, "w", encoding="utf-8") as f:
            json.dump(document, f, ensure_ascii=False)
        return subprocess.run([self.driver, self.plugin, source, out], capture_output=True, text=True,
                              env=self.env)

    def export(self, document, out):
        """Exports `document` to `out`, which must succeed; returns `out` and the file's bytes."""
        run = self.run(document, out)
        assert run.returncode == 0, "export_driver failed: " + run.stderr
        with open(out, "rb") as f:
            return out, f.read()

    def attempt(self, document, out, checks):
        """Exports `document` to `out`, which may fail; returns the exit code, stderr and `out`. A
        sanitizer report is a failure even when the export was meant to fail, since under the
        asan preset nothing else would see it (UBSan reports do not change the exit code)."""
        run = self.run(document, out)
        checks.check("Sanitizer" not in run.stderr and "runtime error:" not in run.stderr,
                     "sanitizer report for %s: %s" % (os.path.basename(out), run.stderr))
        return run.returncode, run.stderr, out


class Checks:
    """Failures collected rather than raised, so that a case reports everything it finds."""

    def __init__(self):
        self.failures = []

    def check(self, ok, what):
        if not ok:
            self.failures.append(what)

    def exit(self):
        """Prints the failures and exits: 0 when there are none."""
        for f in self.failures:
            print("FAIL", f)
        sys.exit(1 if self.failures else 0)


def check_content_lines(data, checks, where=""):
    """iCalendar and vCard physical lines (RFC 5545 3.1, RFC 6350 3.2): `data` ends with
    CRLF, holds no bare CR or LF, and no line is over 75 octets or splits a UTF-8 sequence.
    Returns how many lines are continuations (folded)."""
    checks.check(data.endswith(b"\r\n"), where + "the file ends with CRLF")
    physical = data.split(b"\r\n")[:-1]
    checks.check(b"\n" not in b"".join(physical) and b"\r" not in b"".join(physical),
                 where + "a bare CR or LF inside a line")
    folded = 0
    for n, line in enumerate(physical, 1):
        checks.check(len(line) <= 75, "%sline %d has %d octets" % (where, n, len(line)))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            checks.failures.append("%sline %d splits a UTF-8 sequence: %r" % (where, n, line))
        folded += line.startswith(b" ")
    return folded


def run_case(namespace, case, work):
    """Runs case_`case` of a test script (`namespace` is its globals()), then removes the
    work folder `work` whatever happens."""
    cases = {name[5:]: f for name, f in namespace.items() if name.startswith("case_")}
    try:
        cases[case]()
    finally:
        subprocess.run(["rm", "-rf", work])
    print("ok", case)
