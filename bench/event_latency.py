#!/usr/bin/env python3
"""Event delivery latency: the time from a create (POST /api/v1/contacts) to a plugin's event
sink holding its event, one event at a time, at random moments.

The daemon runs with the journal fixture plugin (tests/plugins/journal.cpp), which appends a
line per event to a file and flushes it before it answers; the script watches that file.
Two figures per event: from the request's start, and from its 201 (the commit is durable by
then: what remains is the event's way to the plugin). Standard library only.

  bench/event_latency.py --relance build/dev/core/relance \
      --plugin build/dev/fixture-plugins/fixture_journal.so [--events 200]
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import time

ADMIN_EMAIL = "admin@latency.relance.local"
ADMIN_PASSWORD = "latency-admin-password-" + os.urandom(6).hex()


class Api:
    def __init__(self, port, token=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.token = token

    def call(self, method, path, body=None):
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        return r.status, json.loads(data) if data else None


def start_daemon(binary, work, plugins):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELANCE_")}
    env.update({"RELANCE_ADMIN_EMAIL": ADMIN_EMAIL, "RELANCE_ADMIN_PASSWORD": ADMIN_PASSWORD,
                "RELANCE_PLUGINS_DIRECTORIES": plugins, "RELANCE_FOLLOWUPS_DIGEST_TIME": "off"})
    out = open(os.path.join(work, "daemon.out"), "wb")
    proc = subprocess.Popen([binary, "serve", "--data-dir", os.path.join(work, "data"), "--listen", "127.0.0.1:0"],
                            env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with open(out.name, "rb") as f:
            m = re.search(rb"serving .* on http://127\.0\.0\.1:(\d+)", f.read())
        if m:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            raise SystemExit("the daemon exited at start; see " + out.name)
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("the daemon did not start within 60 s")


def lines(path):
    try:
        with open(path, "rb") as f:
            return f.read().count(b"\n")
    except FileNotFoundError:
        return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--relance", required=True)
    ap.add_argument("--plugin", required=True, help="fixture_journal.so")
    ap.add_argument("--events", type=int, default=200)
    ap.add_argument("--gap-ms", type=float, default=120, help="largest random pause between events")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="relance-event-latency.")
    plugins = os.path.join(work, "plugins")
    os.makedirs(plugins)
    shutil.copy(a.plugin, os.path.join(plugins, "journal.so"))
    journal = os.path.join(work, "journal.txt")
    proc, port = start_daemon(a.relance, work, plugins)
    try:
        root = Api(port)
        status, body = root.call("POST", "/api/v1/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        assert status == 200, body
        root.token = body["token"]
        status, body = root.call("POST", "/api/v1/plugin-instances",
                                 {"plugin": "org.relance.fixture.journal", "name": "latency",
                                  "settings": {"journal": journal}, "events": ["contact.created"]})
        assert status == 201, body
        time.sleep(1)  # the instance's runner starts
        from_start, from_commit = [], []
        for i in range(a.events):
            time.sleep(random.uniform(0, a.gap_ms) / 1000)
            seen = lines(journal)
            t0 = time.perf_counter()
            status, body = root.call("POST", "/api/v1/contacts", {"first_name": "Lat", "last_name": f"N{i}"})
            t1 = time.perf_counter()
            assert status == 201, body
            deadline = t1 + 10
            while lines(journal) == seen:
                if time.perf_counter() > deadline:
                    raise SystemExit(f"event {i} not delivered within 10 s")
                time.sleep(0.0002)
            t2 = time.perf_counter()
            from_start.append((t2 - t0) * 1000)
            from_commit.append((t2 - t1) * 1000)

        def summary(xs):
            xs = sorted(xs)
            return (f"median {statistics.median(xs):.2f} ms, p90 {xs[int(0.9 * (len(xs) - 1))]:.2f} ms, "
                    f"max {xs[-1]:.2f} ms")
        print(f"{a.events} events, {a.relance}")
        print(f"  create request start -> event in the sink: {summary(from_start)}")
        print(f"  201 (committed)      -> event in the sink: {summary(from_commit)}")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
