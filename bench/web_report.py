#!/usr/bin/env python3
"""The report of bench/web.sh: the figures bench/web_browser.mjs measured (JSON), each beside
its target and its ceiling, with a verdict.

  web_report.py RESULTS.json --render-ms 1000 --key-p95-ms 100 --js-kb 150

Times are milliseconds in the page (performance.now()); p50/p95 over the runs.
"""
import argparse
import json


def ms(v):
    if v is None:
        return "-"
    v = float(v)
    return "never" if v == float("inf") else f"{v:,.0f} ms"


def verdict(ok):
    return "PASS" if ok else "FAIL"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("results")
    p.add_argument("--render-ms", type=float, default=1000)
    p.add_argument("--key-p95-ms", type=float, default=100)
    p.add_argument("--js-kb", type=float, default=150)
    a = p.parse_args()
    r = json.load(open(a.results))
    rows = []

    def row(figure, value, target, ok, ceiling=""):
        rows.append((figure, value, target, ceiling, verdict(ok) if ok is not None else "info"))

    titles = {"board": "board (founder, /pipeline)", "contacts": "contacts (founder, /contacts)",
              "dashboard": "region dashboard (staff, /dashboard)"}
    for name, s in r["screens"].items():
        for i, (mark, m) in enumerate(s["marks"].items()):
            p95 = float(m["p95"])
            ceiling = f"API alone {ms(s['ceiling']['sum'])} in sequence, slowest call {ms(s['ceiling']['max'])}" if i == 0 else ""
            row(f"first render, {titles[name]}: {mark}, p50 {ms(m['p50'])}", f"p95 {ms(p95)}",
                f"< {a.render_ms:,.0f} ms", p95 < a.render_ms, ceiling)
        row(f"  where {name}'s first mark went (p50)",
            f"script {ms(s['scriptEnd']['p50'])}, last API answer {ms(s['apiEnd']['p50'])}, "
            f"render after it {ms(s['renderAfterApi']['p50'])}", "", None)

    k = r["search"]
    lat = k["latency"]
    row(f"search as you type: {r['keystrokes']} keystrokes, {r['delayMs']} ms apart, "
        f"p50 {ms(lat['p50'])}, p99 {ms(lat['p99'])}", f"p95 {ms(lat['p95'])}",
        f"< {a.key_p95_ms:,.0f} ms", float(lat["p95"]) < a.key_p95_ms,
        f"API alone p50 {ms(k['apiAlone']['p50'])}, p95 {ms(k['apiAlone']['p95'])}, p99 {ms(k['apiAlone']['p99'])}")
    row("  keystrokes whose results never showed before the next one", str(k["superseded"]), "", None)
    row("  where a keystroke's time went (p50 / p95)",
        f"API in the page {ms(k['apiInPage']['p50'])} / {ms(k['apiInPage']['p95'])}, "
        f"render after it {ms(k['renderAfterApi']['p50'])} / {ms(k['renderAfterApi']['p95'])}", "", None)
    row("  result lists shown for an older keystroke (stale)", str(len(k["stale"])), "0", len(k["stale"]) == 0)
    row("  result lists unlike the API's answer to the same query", str(len(k["wrong"])), "0", len(k["wrong"]) == 0)

    for name, s in r["screens"].items():
        encodings = ", ".join(sorted({x["encoding"] for x in s["scripts"]}))
        kb = s["scriptBytes"] / 1000
        row(f"JavaScript of a first load of {name} ({encodings}, as sent)", f"{kb:,.1f} KB",
            f"< {a.js_kb:,.0f} KB", kb < a.js_kb)
    for b in r["bundles"]:
        row(f"  {b['url']}: raw {b['raw'] / 1000:,.1f} KB, gzip -9 {b['gzip'] / 1000:,.1f} KB",
            f"brotli -q 11 {b['brotli'] / 1000:,.1f} KB",
            "", None, "served by the daemon" if b["brotliServed"] else "brotli not served (gzip is)")

    widths = [max(len(x[i]) for x in rows) for i in range(5)]
    header = ("figure", "measured", "target", "ceiling / note", "verdict")
    widths = [max(w, len(h)) for w, h in zip(widths, header)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    print(line(header))
    print(line(["-" * w for w in widths]))
    for x in rows:
        print(line(x))
    if k["stale"]:
        print("\nstale lists:", json.dumps(k["stale"][:10], ensure_ascii=False))
    if k["wrong"]:
        print("\nlists unlike the API's:", json.dumps(k["wrong"][:10], ensure_ascii=False))
    print("\nAPI calls before the first mark (first run), in the page and alone:")
    for name, s in r["screens"].items():
        alone = {c["path"]: c["ms"] for c in s["ceiling"]["calls"]}
        for c in s["apiCallsFirstRun"]:
            print(f"  {name}: {c['path'][:90]}: {ms(c['ms'])} in the page, {ms(alone.get(c['path']))} alone")


if __name__ == "__main__":
    main()
