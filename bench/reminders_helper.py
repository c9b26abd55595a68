#!/usr/bin/env python3
"""Helpers of bench/reminders.sh. Standard library only.

  load --port P --token T --out FILE [--rate R --conns C --contacts N --max-seconds S]
      API reads at a fixed rate while the reminders go out: C threads, each with one
      keep-alive connection, requests scheduled at R per second in all (open loop: a late
      answer does not push the schedule back), in turn
        GET /api/v1/followups/overdue    the user's overdue follow-ups (a page of them)
        GET /api/v1/followups/today      the user's follow-ups of the day
        GET /api/v1/contacts/{id}        one contact, ids uniform over 1..N
      Runs until SIGTERM; writes "scheduled start end kind status" per request (epoch s).
  threads PID      "tid comm utime+stime(ticks)" of every thread of PID
  report ...       the figures and verdicts (see bench/README.md)
"""
import argparse
import datetime
import http.client
import json
import os
import signal
import sqlite3
import statistics
import sys
import threading
import time


# --------------------------------------------------------------------------------------
# API load

def cmd_load(a):
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    kinds = ["overdue", "today", "contact"]
    results = [[] for _ in range(a.conns)]
    t0 = time.time() + 0.2
    deadline = time.monotonic() + a.max_seconds

    def worker(k):
        conn = None
        j = 0
        out = results[k]
        while not stop.is_set() and time.monotonic() < deadline:
            n = k + j * a.conns
            sched = t0 + n / a.rate
            j += 1
            wait = sched - time.time()
            if wait > 0 and stop.wait(wait):
                break
            kind = kinds[n % 3]
            if kind == "contact":
                path = "/api/v1/contacts/%d" % (1 + (n * 7919) % a.contacts)
            else:
                path = "/api/v1/followups/" + kind
            start = time.time()
            status = 0
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
                conn.request("GET", path, headers={"Authorization": "Bearer " + a.token})
                r = conn.getresponse()
                r.read()
                status = r.status
            except (OSError, http.client.HTTPException):
                if conn is not None:
                    conn.close()
                conn = None
            out.append((sched, start, time.time(), kind, status))

    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(a.conns)]
    for t in threads:
        t.start()
    while not stop.is_set() and time.monotonic() < deadline:
        stop.wait(0.5)
    stop.set()
    for t in threads:
        t.join(timeout=35)
    rows = sorted(r for rs in results for r in rs)
    with open(a.out + ".tmp", "w") as f:
        for s, b, e, kind, st in rows:
            f.write("%.6f %.6f %.6f %s %d\n" % (s, b, e, kind, st))
    os.replace(a.out + ".tmp", a.out)


# --------------------------------------------------------------------------------------
# Threads

def cmd_threads(a):
    base = "/proc/%d/task" % a.pid
    for tid in sorted(os.listdir(base), key=int):
        try:
            comm = open("%s/%s/comm" % (base, tid)).read().strip().replace(" ", "_")
            stat = open("%s/%s/stat" % (base, tid)).read()
        except OSError:
            continue
        f = stat[stat.rindex(")") + 2:].split()
        print(tid, comm, int(f[11]) + int(f[12]))


# --------------------------------------------------------------------------------------
# Report

def epoch(text):
    return datetime.datetime.strptime(text.rstrip("Z")[:23], "%Y-%m-%dT%H:%M:%S.%f").replace(
        tzinfo=datetime.timezone.utc).timestamp() if "." in text else datetime.datetime.strptime(
        text.rstrip("Z"), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(p / 100.0 * len(v) + 0.5)) - 1))]


def read_threads(path):
    out = {}
    try:
        for line in open(path):
            tid, comm, ticks = line.split()
            out[tid] = (comm, int(ticks))
    except OSError:
        pass
    return out


def cmd_report(a):
    tick = os.sysconf("SC_CLK_TCK")
    db = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    fu = {fid: epoch(d) for fid, d in db.execute("SELECT id, due_at FROM followups")}
    events = {}  # event id -> (followup id, outbox at)
    for eid, fid, at in db.execute(
            "SELECT id, entity_id, at FROM outbox WHERE type = 'followup.due' ORDER BY id"):
        events[eid] = (fid, epoch(at))
    dead = db.execute("SELECT count(*) FROM plugin_dead_letters").fetchone()[0] if db.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'plugin_dead_letters'").fetchone() else -1
    first_due, last_due = min(fu.values()), max(fu.values())

    arrivals = []
    for line in open(a.sink):
        t, eid, conn = line.split()
        arrivals.append((float(t), int(eid), int(conn)))
    arrivals.sort()
    count = {}
    for t, eid, _ in arrivals:
        count[eid] = count.get(eid, 0) + 1
    unique = len(count)
    dup_ids = sum(1 for c in count.values() if c > 1)
    dup_msgs = sum(c - 1 for c in count.values() if c > 1)
    unknown = sum(c for eid, c in count.items() if eid not in events)
    got_fu = {events[eid][0] for eid in count if eid in events}
    missing = len(fu) - len(got_fu & set(fu))
    dup_events_per_fu = len(events) - len({f for f, _ in events.values()})
    conns = len({c for _, _, c in arrivals})

    n = len(fu)
    first_arrival = arrivals[0][0] if arrivals else float("nan")
    last_arrival = arrivals[-1][0] if arrivals else float("nan")
    # The last of the N distinct follow-ups to arrive (duplicates after it do not count).
    seen, last_needed = set(), float("nan")
    for t, eid, _ in arrivals:
        if eid in events and events[eid][0] not in seen:
            seen.add(events[eid][0])
            last_needed = t
    from_first = last_needed - first_due
    from_last = last_needed - last_due
    rate = len(seen) / (last_needed - first_arrival) if len(seen) > 1 else float("nan")

    # Per message: due -> written to the outbox (the scheduler) -> arrival (delivery + SMTP).
    lag_sched, lag_total = [], []
    first_arrival_of = {}
    for t, eid, _ in arrivals:
        if eid in events and eid not in first_arrival_of:
            first_arrival_of[eid] = t
    for eid, (fid, at) in events.items():
        if fid in fu:
            lag_sched.append(at - fu[fid])
            if eid in first_arrival_of:
                lag_total.append(first_arrival_of[eid] - fu[fid])
    outbox_first = min(at for _, at in events.values()) if events else float("nan")
    outbox_last = max(at for _, at in events.values()) if events else float("nan")

    # Throughput over time: messages per 10 s window from the first due instant.
    windows = {}
    for t, _, _ in arrivals:
        w = int((t - first_due) // 10)
        windows[w] = windows.get(w, 0) + 1

    # API load: the burst is [first due, last needed arrival]; before it, the idle baseline.
    lat = {"burst": [], "before": []}
    kinds, errors, late = {}, 0, []
    for line in open(a.load):
        s, b, e, kind, st = line.split()
        s, b, e, st = float(s), float(b), float(e), int(st)
        phase = "burst" if first_due <= b <= last_needed else "before" if b < first_due else None
        if phase is None:
            continue
        if st != 200:
            errors += phase == "burst"
            continue
        lat[phase].append((e - b) * 1000)
        if phase == "burst":
            kinds.setdefault(kind, []).append((e - b) * 1000)
            late.append((e - s) * 1000)

    t0 = read_threads(a.threads_before)
    t1 = read_threads(a.threads_after)
    per_comm = {}  # by thread: "tid/comm" (the daemon's threads are not named)
    for tid, (comm, ticks) in t1.items():
        d = ticks - t0.get(tid, (comm, 0))[1]
        per_comm["%s/%s" % (tid, comm)] = d
    daemon_cpu = sum(per_comm.values()) / tick
    sink_cpu = a.sink_cpu_ticks / tick

    ratio_deliver = from_first / a.target_s
    burst = lat["burst"]
    p99 = pct(burst, 99)
    res = {
        "followups": n, "due_window_s": last_due - first_due,
        "messages_received": len(arrivals), "distinct_message_ids": unique,
        "duplicates_ids": dup_ids, "duplicate_messages": dup_msgs, "unknown_ids": unknown,
        "missing": missing, "events_written": len(events), "dead_letters": dead,
        "smtp_connections": conns,
        "first_due_to_last_received_s": from_first, "last_due_to_last_received_s": from_last,
        "messages_per_s": rate,
        "scheduler_lag_s": {"p50": pct(lag_sched, 50), "p99": pct(lag_sched, 99), "max": max(lag_sched or [0])},
        "due_to_received_s": {"p50": pct(lag_total, 50), "p99": pct(lag_total, 99), "max": max(lag_total or [0])},
        "outbox_written_first_last": [outbox_first - first_due, outbox_last - first_due],
        "api_burst_ms": {"n": len(burst), "p50": pct(burst, 50), "p99": pct(burst, 99), "max": max(burst or [0])},
        "api_before_ms": {"n": len(lat["before"]), "p50": pct(lat["before"], 50), "p99": pct(lat["before"], 99)},
        "api_burst_by_kind_ms": {k: {"n": len(v), "p50": pct(v, 50), "p99": pct(v, 99)} for k, v in kinds.items()},
        "api_burst_from_schedule_ms": {"p50": pct(late, 50), "p99": pct(late, 99)},
        "api_errors_burst": errors,
        "daemon_cpu_s_by_thread": {k: v / tick for k, v in sorted(per_comm.items(), key=lambda x: -x[1]) if v},
        "daemon_cpu_s": daemon_cpu, "sink_cpu_s": sink_cpu,
        "per_10s_window": [windows.get(w, 0) for w in range(0, max(windows) + 1)] if windows else [],
    }
    with open(a.json, "w") as f:
        json.dump(res, f, indent=1)

    def v(ok):
        return "met" if ok else "MISSED"
    print()
    print("=== Reminders: %d follow-ups due over %.1f s, email-reminder -> SMTP sink (%s) ===" % (
        n, last_due - first_due, a.sink_kind))
    print("machine: %s; load average at the end %s" % (a.machine, a.loadavg))
    print()
    print("Delivery")
    print("  first due instant -> last reminder received  %8.1f s   target < %d s   ratio %.2f   %s" % (
        from_first, a.target_s, ratio_deliver, v(from_first < a.target_s and missing == 0)))
    print("  last due instant  -> last reminder received  %8.1f s" % from_last)
    print("  rate (first arrival to last)                 %8.0f messages/s  (%d needed over 60 s: %.0f/s)" % (
        rate, n, n / max(1.0, last_due - first_due)))
    print("  received %d messages, %d distinct Message-IDs; duplicates: %d ids (%d extra messages); "
          "missing follow-ups: %d; unknown ids: %d" % (len(arrivals), unique, dup_ids, dup_msgs, missing, unknown))
    print("  followup.due events written %d (duplicates per follow-up %d); dead letters %d; "
          "SMTP connections %d" % (len(events), dup_events_per_fu, dead, conns))
    print("  due -> outbox (scheduler) s   p50 %.2f  p99 %.2f  max %.2f; outbox writes from +%.1f s to +%.1f s" % (
        pct(lag_sched, 50), pct(lag_sched, 99), max(lag_sched or [0]), outbox_first - first_due,
        outbox_last - first_due))
    print("  due -> received s             p50 %.1f  p99 %.1f  max %.1f" % (
        pct(lag_total, 50), pct(lag_total, 99), max(lag_total or [0])))
    print("  messages per 10 s from the first due instant: %s" % res["per_10s_window"])
    print()
    print("API reads meanwhile (%s req/s scheduled, %s keep-alive connections)" % (a.rate, a.conns))
    print("  during the burst: %d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms   target p99 < %d ms   "
          "ratio %.2f   %s" % (len(burst), pct(burst, 50), p99, max(burst or [0]), a.target_ms,
                                p99 / a.target_ms, v(p99 < a.target_ms and errors == 0)))
    for k, vals in sorted(kinds.items()):
        print("    %-8s n=%-6d p50 %6.1f ms  p99 %6.1f ms" % (k, len(vals), pct(vals, 50), pct(vals, 99)))
    print("  from the scheduled instant (queueing in the client included): p50 %.1f ms, p99 %.1f ms" % (
        pct(late, 50), pct(late, 99)))
    print("  before the first due instant (idle): %d requests, p50 %.1f ms, p99 %.1f ms; errors in the burst %d" % (
        len(lat["before"]), pct(lat["before"], 50), pct(lat["before"], 99), errors))
    print()
    print("CPU from just before the first due instant to the end: daemon %.1f s, SMTP sink %.1f s" % (
        daemon_cpu, sink_cpu))
    print("  daemon by thread (tid/name, busiest first): " + ", ".join(
        "%s %.1f s" % (k, s) for k, s in list(res["daemon_cpu_s_by_thread"].items())[:8]))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(required=True)
    s = sub.add_parser("load")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--token", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--rate", type=float, default=50)
    s.add_argument("--conns", type=int, default=4)
    s.add_argument("--contacts", type=int, default=200)
    s.add_argument("--max-seconds", type=float, default=900)
    s.set_defaults(f=cmd_load)
    s = sub.add_parser("threads")
    s.add_argument("pid", type=int)
    s.set_defaults(f=cmd_threads)
    s = sub.add_parser("report")
    for k in ("db", "sink", "load", "threads-before", "threads-after", "json", "machine", "loadavg",
              "sink-kind", "rate", "conns"):
        s.add_argument("--" + k, required=True)
    s.add_argument("--sink-cpu-ticks", type=int, default=0)
    s.add_argument("--target-s", type=int, default=120)
    s.add_argument("--target-ms", type=int, default=50)
    s.set_defaults(f=cmd_report)
    a = p.parse_args()
    a.f(a)


if __name__ == "__main__":
    main()
