#!/usr/bin/env python3
"""Follow-up reminders end to end: the real daemon, the email-reminder plugin, a real SMTP server.

    test_end_to_end.py RELANCE PLUGIN_DIRECTORY CASE

Starts `relance serve` on 127.0.0.1 port 0 with a temporary data directory (its port read
from the "serving ... on http://127.0.0.1:PORT" line of its log) and the bundled plugins of
PLUGIN_DIRECTORY, aiosmtpd on a free loopback port (smtp_support.py), and an email-reminder
instance subscribed to followup.due and digest.due; then creates users and follow-ups
through the API and reads what arrives. Every server is stopped at the end of the case, the
daemon with SIGTERM, and its log must hold no sanitizer report. Exits 0 when the case holds,
1 with the reason otherwise.
"""
import contextlib
import datetime
import html
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.parse
import zoneinfo

from smtp_support import Server, bodies, check, fail, free_port, ics_of, parse, run_case

RELANCE, PLUGINS, CASE = sys.argv[1:4]
UTC = datetime.timezone.utc
ADMIN_EMAIL, ADMIN_PASSWORD = "admin@relance.test", "admin-password-e2e"
PLUGIN = "org.relance.email-reminder"
FAST = {
    "RELANCE_FOLLOWUPS_TICK_MS": "200",
    "RELANCE_PLUGINS_RETRY_INITIAL_MS": "100",
    "RELANCE_PLUGINS_RETRY_MAX_MS": "500",
    "RELANCE_FOLLOWUPS_DIGEST_TIME": "off",  # no digest unless a case asks for one
    "RELANCE_FOLLOWUPS_REGION_DIGEST": "off",
}
SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "runtime error:")


def instant(t):
    """The daemon's form of an instant: 2026-03-29T07:00:00.000Z."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def parse_instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def now():
    return datetime.datetime.now(UTC)


def wait_for(condition, timeout, what, step=0.05):
    """Polls condition() until it is true; fails naming `what` after `timeout` seconds, or 60 s
    at least: a bound on waiting, never a claim about speed (a loaded CI machine with two
    cores takes many times longer than a quiet one, and a true condition returns at once)."""
    timeout = max(timeout, 60)
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            fail(f"after {timeout} s: {what}")
        time.sleep(step)


# ---- The daemon.

class Daemon:
    """`relance serve` on 127.0.0.1:0 with its own data directory (kept across restarts)."""

    def __init__(self, env=None):
        self.tmp = tempfile.TemporaryDirectory(prefix="relance-e2e-")
        self.dir = self.tmp.name
        base = {k: v for k, v in os.environ.items() if not k.startswith("RELANCE_")}
        self.env = {**base, "RELANCE_ADMIN_EMAIL": ADMIN_EMAIL, "RELANCE_ADMIN_PASSWORD": ADMIN_PASSWORD,
                    "RELANCE_PLUGINS_DIRECTORIES": PLUGINS, **FAST, **(env or {})}
        self.proc = None
        self.starts = 0
        self.port = None

    def out(self, n):
        return os.path.join(self.dir, f"daemon-{n}.out")

    def start(self):
        check(self.proc is None, "the daemon is already running")
        self.starts += 1
        out = self.out(self.starts)
        with open(out, "ab") as f:
            self.proc = subprocess.Popen([RELANCE, "serve", "--data-dir", self.dir, "--listen", "127.0.0.1:0"],
                                         stdin=subprocess.DEVNULL, stdout=f, stderr=f, env=self.env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.proc = None
                fail(f"the daemon exited at start:\n{self.read(out)}")
            m = re.search(r"serving .* on http://127\.0\.0\.1:(\d+)", self.read(out))
            if m:
                self.port = int(m.group(1))
                return self
            time.sleep(0.02)
        fail(f"the daemon did not start within 30 s:\n{self.read(out)}")

    @staticmethod
    def read(path):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def log(self):
        return "".join(self.read(self.out(n)) for n in range(1, self.starts + 1))

    def check_log(self):
        log = self.log()
        found = [at for at in (log.find(m) for m in SANITIZER_MARKERS) if at >= 0]
        if found:
            begins = log.rfind("\n", 0, min(found)) + 1  # the report's first line ("==1234==ERROR: ...")
            fail(f"the daemon's log has a sanitizer report:\n{log[begins:begins + 6000]}")

    def stop(self):
        """SIGTERM, and a clean exit within 30 s."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            fail(f"the daemon did not stop within 30 s of SIGTERM:\n{self.log()[-3000:]}")
        self.check_log()
        check(code == 0, f"the daemon exited with {code} on SIGTERM:\n{self.log()[-3000:]}")

    def kill9(self):
        if self.proc is None:
            return
        self.proc.kill()
        self.proc.wait()
        self.proc = None

    def restart(self):
        self.stop()
        return self.start()

    def close(self):
        try:
            self.stop()
        finally:
            if self.proc is not None:
                self.proc.kill()
                self.proc.wait()
            self.tmp.cleanup()


# ---- The API.

class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.text = status, headers, body.decode("utf-8", errors="replace")

    def json(self):
        try:
            return json.loads(self.text)
        except ValueError:
            fail(f"not JSON ({self.status}): {self.text[:500]}")

    def __repr__(self):
        return f"{self.status} {self.text[:800]}"


class Api:
    """A keep-alive HTTP/1.1 client of a daemon (which keeps its sessions across restarts), as one user."""

    def __init__(self, daemon, token=None):
        self.daemon, self.token = daemon, token
        self.conn, self.port = None, None

    def request(self, method, path, body=None, headers=None):
        h = {"Accept": "application/json", **(headers or {})}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            h["Content-Type"] = "application/json"
        if self.port != self.daemon.port:  # restarted on another port
            self.close()
        for attempt in (1, 2):  # a kept-alive connection the daemon closed meanwhile: once again
            if self.conn is None:
                self.port = self.daemon.port
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse()
                reply = Reply(r.status, dict(r.getheaders()), r.read())
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return reply
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body if body is not None else {}, **kw)

    def patch(self, path, body, **kw):
        return self.request("PATCH", path, body, **kw)

    def create(self, collection, body):
        r = self.post(f"/api/v1/{collection}", body)
        check(r.status == 201, f"POST /api/v1/{collection} {body}: {r}")
        return r.json()


def login(daemon, email_address, password):
    api = Api(daemon)
    r = api.post("/api/v1/auth/login", {"email": email_address, "password": password})
    check(r.status == 200, f"login of {email_address}: {r}")
    api.token = r.json()["token"]
    return api


class Org:
    """An organisation with its admin, its users (each logged in) and an email-reminder instance."""

    def __init__(self, daemon, name="Alpha Robotics", domain="alpha.test"):
        self.daemon, self.domain = daemon, domain
        self.root = login(daemon, ADMIN_EMAIL, ADMIN_PASSWORD)
        self.id = self.root.create("organisations", {"name": name})["id"]
        self.users = {}  # email -> (id, Api)
        self.admin = self.user("admin", "org-admin", "fr", "Europe/Paris")
        self.instance = None

    def user(self, local_part, role="member", locale="fr", zone="Europe/Paris", display_name=None):
        address = f"{local_part}@{self.domain}"
        password = f"password-of-{address}"
        body = {"org_id": self.id, "email": address, "role": role, "password": password,
                "display_name": display_name or address, "locale": locale, "time_zone": zone}
        user_id = self.root.create("users", body)["id"]
        api = login(self.daemon, address, password)
        self.users[address] = (user_id, api)
        return api

    def add_instance(self, smtp_url, start=None, name="Email reminders", **settings):
        body = {"plugin": PLUGIN, "name": name,
                "settings": {"smtp_url": smtp_url, "from": f"Relance <relance@{self.domain}>",
                             "timeout_ms": 5000, **settings},
                "events": ["followup.due", "digest.due"]}
        if start:
            body["start"] = start
        self.instance = self.admin.create("plugin-instances", body)
        return self.instance

    def dead_letters(self, instance=None):
        r = self.admin.get(f"/api/v1/plugin-instances/{(instance or self.instance)['id']}/dead-letters")
        check(r.status == 200, f"dead letters: {r}")
        return r.json()["items"]


def followup(api, title, due, **fields):
    return api.create("followups", {"title": title, "due_at": instant(due), **fields})


def get_followup(api, followup_id):
    r = api.get(f"/api/v1/followups/{followup_id}")
    check(r.status == 200, f"GET follow-up {followup_id}: {r}")
    return r.json()


def follow(daemon, link, browser=False, method="GET"):
    """GETs a link from an email (no token: the signature is the authority), as a person or
    a mail scanner does: it shows a page with a button and changes nothing."""
    u = urllib.parse.urlsplit(link)
    check(u.scheme == "http" and u.hostname == "127.0.0.1" and u.port == daemon.port,
          f"the link {link} does not lead to the daemon on 127.0.0.1:{daemon.port}")
    api = Api(daemon)
    try:
        headers = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"} if browser else None
        return api.request(method, u.path + "?" + u.query, headers=headers)
    finally:
        api.close()


def confirm(daemon, link, browser=False):
    """Presses the button of a link's page: a POST to the same address, which acts."""
    return follow(daemon, link, browser, "POST")


# ---- Messages.

class Mail:
    """A received message, parsed: its follow-up (from the .ics name) or None for a digest."""

    def __init__(self, mail_from, rcpt, raw):
        self.mail_from, self.rcpt, self.raw = mail_from, rcpt, raw
        self.msg = parse(raw)
        self.message_id = self.msg["Message-ID"]
        names = [a.get_filename() or "" for a in self.msg.iter_attachments()]
        m = [re.fullmatch(r"followup-(\d+)\.ics", n) for n in names]
        ids = [int(x.group(1)) for x in m if x]
        self.followup = ids[0] if ids else None


_parsed = {}  # (sender, recipients, raw message) -> Mail: a burst's messages are read again at every poll


def mails(server):
    out = []
    for mail_from, rcpt, raw in server.keeper.received():
        key = (mail_from, tuple(rcpt), raw)
        if key not in _parsed:
            _parsed[key] = Mail(mail_from, rcpt, raw)
        out.append(_parsed[key])
    return out


def reminders_by_followup(server):
    out = {}
    for m in mails(server):
        if m.followup is not None:
            out.setdefault(m.followup, []).append(m)
    return out


def reminders_of(server, followup_id):
    return reminders_by_followup(server).get(followup_id, [])


def links_of(mail):
    """The done and snooze links of a reminder, the same in its text and HTML parts."""
    text, page, hrefs = bodies(mail.msg)
    check(len(hrefs) == 2 and "do=done" in hrefs[0] and "do=snooze" in hrefs[1], f"the HTML links are {hrefs}")
    for link in hrefs:
        check(link in text, f"the text part lacks the link {link}")
    return hrefs[0], hrefs[1]


def ticks(n=5):
    time.sleep(n * 0.2)


@contextlib.contextmanager
def daemon_running(env=None, allow=()):
    """A daemon whose outbound policy allows the SMTP servers in `allow`, each on its port only."""
    env = dict(env or {})
    if allow:
        env["RELANCE_OUTBOUND_ALLOW"] = ",".join(f"127.0.0.1:{server.port}" for server in allow)
    d = Daemon(env)
    try:
        yield d.start()
    finally:
        d.close()


@contextlib.contextmanager
def smtp_server(**kwargs):
    s = Server(**kwargs)
    s.start()
    try:
        yield s
    finally:
        s.stop()


class Canary:
    """A TCP listener on loopback that only counts the connections it accepts."""

    def __init__(self, host="127.0.0.1"):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.count, daemon=True)
        self.thread.start()

    def count(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.stopped.set()
        self.thread.join(5)
        self.sock.close()


def loopback_v6_canary():
    """A canary on [::1], or None where this machine has no IPv6 loopback."""
    try:
        return Canary("::1")
    except OSError:
        return None


# ---- Cases.

def case_founder():
    """A follow-up created in the past: one reminder at once, its .ics and links; done and snooze work."""
    with smtp_server() as server, daemon_running(allow=[server]) as daemon:
        org = Org(daemon)
        lea = org.user("lea", locale="fr", zone="Europe/Paris", display_name="Léa Martin")
        org.add_instance(server.url)
        created = now()
        past = (created - datetime.timedelta(hours=2)).replace(microsecond=0)
        a = followup(lea, "Appeler Pat — term sheet", past)
        # Due a day ago less a few seconds: its snooze moves it a few seconds ahead of now.
        soon = (created - datetime.timedelta(days=1) + datetime.timedelta(seconds=8)).replace(microsecond=0)
        b = followup(lea, "Envoyer le deck", soon)

        first = wait_for(lambda: reminders_of(server, a["id"]), 5, f"no reminder for follow-up {a['id']}")
        latency = (now() - created).total_seconds()
        check(latency < 3, f"the reminder of a past follow-up took {latency:.1f} s")
        wait_for(lambda: reminders_of(server, b["id"]), 5, f"no reminder for follow-up {b['id']}")
        ticks(5)
        check(len(reminders_of(server, a["id"])) == 1, f"{len(reminders_of(server, a['id']))} reminders for one due instant")
        check(len(reminders_of(server, b["id"])) == 1, f"{len(reminders_of(server, b['id']))} reminders for one due instant")

        mail = first[0]
        check(mail.rcpt == ["lea@alpha.test"], f"recipients {mail.rcpt}")
        check(mail.mail_from == "relance@alpha.test", f"envelope sender {mail.mail_from}")
        check(mail.msg["Subject"] == "Relance : à faire aujourd'hui — Appeler Pat — term sheet",
              f"subject {mail.msg['Subject']!r}")
        check(re.fullmatch(r"<relance\.event\.\d+@alpha\.test>", mail.message_id or ""), f"Message-ID {mail.message_id}")
        data, cal = ics_of(mail.msg, a["id"])
        todo = [c for c in cal.walk() if c.name == "VTODO"]
        check(len(todo) == 1, f"{len(todo)} VTODOs")
        due = todo[0]["DUE"].dt
        check(isinstance(due, datetime.datetime) and due.tzinfo is not None, f"DUE {due!r} is not an instant")
        check(due.astimezone(UTC) == past, f"DUE is {due.astimezone(UTC)}, the follow-up is due {past}")
        check("TZID=Europe/Paris" in data, "the DUE is not in Europe/Paris")
        check(str(todo[0]["UID"]) == f"followup-{a['id']}@relance", f"UID {todo[0]['UID']}")
        done, snooze = links_of(mail)
        for link, action in ((done, "done"), (snooze, "snooze")):
            check(f"/api/v1/followups/{a['id']}/action?do={action}&" in link, f"the {action} link is {link}")

        # Following the link (Léa, or a scanner of her mail) shows a page naming the follow-up
        # and Léa, with a button; it changes nothing.
        before = get_followup(lea, a["id"])
        for _ in range(3):
            r = follow(daemon, done, browser=True)
            shown = html.unescape(r.text)
            check(r.status == 200 and r.headers.get("Content-Type", "").startswith("text/html")
                  and "Appeler Pat — term sheet" in shown and "Léa Martin <lea@alpha.test>" in shown
                  and '<form method="post"' in r.text and "<button" in r.text, f"the done link's page: {r}")
            r = follow(daemon, snooze)
            check(r.status == 200 and r.json().get("recipient") == "Léa Martin <lea@alpha.test>",
                  f"the snooze link's answer to a program: {r}")
        check(get_followup(lea, a["id"]) == before, "following the links changed the follow-up")

        r = confirm(daemon, done)
        # Léa is French: the answers speak French.
        check(r.status == 200 and "est faite" in r.json().get("detail", ""), f"the done link's button: {r}")
        after = get_followup(lea, a["id"])
        check(after["status"] == "done" and after.get("done_at"), f"after the done link: {after}")
        check(after["updated_by"] == org.users["lea@alpha.test"][0], f"not done in Léa's name: {after}")
        r = confirm(daemon, done)
        check(r.status == 200 and "déjà faite" in r.json().get("detail", ""), f"the done link again: {r}")
        r = confirm(daemon, done, browser=True)
        check(r.status == 200 and r.headers.get("Content-Type", "").startswith("text/html")
              and "déjà faite" in html.unescape(r.text), f"the done link again, from a browser: {r}")
        check(get_followup(lea, a["id"])["version"] == after["version"], "following the done link again changed it")

        # The snooze link of the other one: a day later, then a new reminder when that comes.
        first_b = reminders_of(server, b["id"])[0]
        _, snooze_b = links_of(first_b)
        r = follow(daemon, snooze_b, browser=True)
        check(r.status == 200 and "Envoyer le deck" in html.unescape(r.text), f"following the snooze link: {r}")
        check(get_followup(lea, b["id"])["status"] == "open", "following the snooze link snoozed it")
        r = confirm(daemon, snooze_b, browser=True)
        check(r.status == 200 and "reportée au" in html.unescape(r.text), f"the snooze link's button: {r}")
        snoozed = get_followup(lea, b["id"])
        moved = soon + datetime.timedelta(days=1)
        check(snoozed["status"] == "snoozed" and parse_instant(snoozed["due_at"]) == moved,
              f"after the snooze link: {snoozed}, expected due {instant(moved)}")
        check(now() < moved, f"the test was too slow: the snoozed follow-up fell due at {moved}")
        ticks(2)
        check(len(reminders_of(server, b["id"])) == 1, "a reminder before the snoozed due instant")
        second = wait_for(lambda: len(reminders_of(server, b["id"])) >= 2 and reminders_of(server, b["id"]),
                          15, "no reminder when the snoozed follow-up fell due again")
        came = now()
        check(came >= moved, f"the second reminder came at {came}, before {moved}")
        ticks(5)
        again = reminders_of(server, b["id"])
        check(len(again) == 2, f"{len(again)} reminders for follow-up {b['id']} (two due instants)")
        check(again[0].message_id != again[1].message_id, "the second due instant's reminder has the first's Message-ID")
        _, cal = ics_of(second[1].msg, b["id"])
        due = [c for c in cal.walk() if c.name == "VTODO"][0]["DUE"].dt
        check(due.astimezone(UTC) == moved, f"the second reminder's DUE is {due}, not {moved}")
        check(len([m for m in mails(server) if m.followup is None]) == 0, "a digest was sent")


def case_clock_change():
    """09:00 in Paris on 2026-03-29: 00:00 in Los Angeles, DUE 07:00Z."""
    due = datetime.datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    check(now() > due, f"this machine's clock ({now()}) is before {due}: the follow-up would not fall due")
    with smtp_server() as server, daemon_running(allow=[server]) as daemon:
        org = Org(daemon)
        lea = org.user("lea", locale="fr", zone="Europe/Paris", display_name="Léa Martin")
        org.add_instance(server.url)
        pat = lea.create("contacts", {"first_name": "Pat", "last_name": "Lee", "emails": ["pat@fund.vc"],
                                      "time_zone": "America/Los_Angeles"})
        f = followup(lea, "Appeler Pat", due, contact_id=pat["id"], time_zone="Europe/Paris")
        got = wait_for(lambda: reminders_of(server, f["id"]), 5, "no reminder")
        ticks(3)
        check(len(reminders_of(server, f["id"])) == 1, f"{len(reminders_of(server, f['id']))} reminders")
        mail = got[0]
        text, page, _ = bodies(mail.msg)
        when = "dimanche 29 mars 2026, 09:00 (Europe/Paris) — 00:00 pour Pat Lee (America/Los_Angeles)"
        for what, body in (("text", text), ("HTML", html.unescape(page))):
            check(when in body, f"the {what} part lacks {when!r}: {body}")
        data, cal = ics_of(mail.msg, f["id"])
        check("DUE;TZID=Europe/Paris:20260329T090000" in data, f"DUE is not 09:00 Europe/Paris:\n{data}")
        todo = [c for c in cal.walk() if c.name == "VTODO"][0]
        check(todo["DUE"].dt.astimezone(UTC) == due, f"DUE is {todo['DUE'].dt.astimezone(UTC)}")
        check(instant(todo["DUE"].dt) == "2026-03-29T07:00:00.000Z", "DUE is not 2026-03-29T07:00:00Z")


def minutes_of_day(zone, at):
    t = at.astimezone(zoneinfo.ZoneInfo(zone))
    return t.hour * 60 + t.minute


def case_digest():
    """The digest time just passed in Los Angeles, not yet in the other zone: one digest, in English."""
    LA = "America/Los_Angeles"
    start = now()
    la = minutes_of_day(LA, start)
    digest = max(0, la - 1)
    # The other user: Paris, else the first zone where the digest time is still ahead (by half
    # an hour at least, so that a slow run does not reach it).
    zones = ["Europe/Paris", "Pacific/Honolulu", "Pacific/Pago_Pago", "America/Anchorage", "Asia/Tokyo",
             "Asia/Kolkata", "America/New_York", "Pacific/Kiritimati"]
    later = [z for z in zones if minutes_of_day(z, start) + 30 < digest]
    # Shortly after midnight in Los Angeles every zone has passed any time that LA has: then
    # the other user is in Paris and gets a digest too (said, not hidden).
    other_zone = later[0] if later else "Europe/Paris"
    env = {"RELANCE_FOLLOWUPS_DIGEST_TIME": f"{digest // 60:02d}:{digest % 60:02d}"}
    print(f"digest time {env['RELANCE_FOLLOWUPS_DIGEST_TIME']}, the other user in {other_zone}"
          + ("" if later else f" (NOTE: {start.astimezone(zoneinfo.ZoneInfo(LA)):%H:%M} in Los Angeles: no zone "
                              "has the digest time still ahead, so the other user's digest is expected too)"))
    with smtp_server() as server, daemon_running(env, allow=[server]) as daemon:
        org = Org(daemon)
        sam = org.user("sam", locale="en", zone=LA, display_name="Sam Rivers")
        lea = org.user("lea", locale="fr", zone=other_zone, display_name="Léa Martin")
        org.add_instance(server.url)
        overdue = (now() - datetime.timedelta(hours=3)).replace(microsecond=0)
        fs = followup(sam, "Call Pat", overdue)
        fl = followup(lea, "Appeler Pat", overdue)
        wait_for(lambda: reminders_of(server, fs["id"]) and reminders_of(server, fl["id"]), 5, "no reminders")

        def digests():
            return [m for m in mails(server) if m.followup is None]

        # Digests are looked for when the daemon starts, then once a minute: a restart now.
        daemon.restart()
        wait_for(digests, 10, "no digest after the restart")
        ticks(5)
        got = digests()
        expected = [["sam@alpha.test"]] + ([] if later else [["lea@alpha.test"]])
        check(sorted(m.rcpt for m in got) == sorted(expected),
              f"digests to {[m.rcpt for m in got]}, expected to {expected}: {[m.msg['Subject'] for m in got]}")
        mail = [m for m in got if m.rcpt == ["sam@alpha.test"]][0]
        la_day = now().astimezone(zoneinfo.ZoneInfo(LA))
        subject = f"Your follow-ups for {la_day:%A} {la_day.day} {la_day:%B}"
        check(mail.msg["Subject"] == subject, f"subject {mail.msg['Subject']!r}, expected {subject!r}")
        text, page, hrefs = bodies(mail.msg)
        check("Call Pat" in text and ("Overdue (1)" in text or "Today (1)" in text), f"the digest lacks the follow-up: {text}")
        check("Mark done" in text and "Snooze one day" in text, f"the digest is not in English: {text}")
        check(any(f"/api/v1/followups/{fs['id']}/action?do=done" in h for h in hrefs), f"digest links {hrefs}")

        daemon.restart()
        ticks(10)
        check(len(digests()) == len(expected), f"{len(digests())} digests after a second restart")
        check(not org.dead_letters(), f"dead letters: {org.dead_letters()}")


def case_digest_fr():
    """A French user in Paris: the reminder and the digest name the lead's stage in French
    (the daemon's stage_label), and the digest's times are on her clock, with the zone said."""
    PARIS = "Europe/Paris"
    start = now()
    digest = max(0, minutes_of_day(PARIS, start) - 1)
    env = {"RELANCE_FOLLOWUPS_DIGEST_TIME": f"{digest // 60:02d}:{digest % 60:02d}"}
    with smtp_server() as server, daemon_running(env, allow=[server]) as daemon:
        org = Org(daemon)
        lea = org.user("lea", locale="fr", zone=PARIS, display_name="Léa Martin")
        org.add_instance(server.url)
        lead = lea.create("leads", {"title": "Pilote chez Acmé 🚀", "stage": "meeting"})
        # A lead without news for a month: stale (its creation is its last news).
        month_ago = instant(now() - datetime.timedelta(days=30))
        with sqlite3.connect(os.path.join(daemon.dir, "relance.db"), timeout=10) as db:
            db.execute("UPDATE leads SET created_at = ? WHERE id = ?", (month_ago, lead["id"]))
        overdue = (now() - datetime.timedelta(hours=3)).replace(microsecond=0)
        f = followup(lea, "Appeler Zoé", overdue, lead_id=lead["id"])
        wait_for(lambda: reminders_of(server, f["id"]), 5, "no reminder")
        text, page, _ = bodies(reminders_of(server, f["id"])[0].msg)
        for body in (text, html.unescape(page)):
            check("Pilote chez Acmé 🚀 (Rendez-vous)" in body, f"the reminder does not name the stage in French: {body}")

        daemon.restart()  # digests are looked for at start
        wait_for(lambda: [m for m in mails(server) if m.followup is None], 10, "no digest")
        mail = [m for m in mails(server) if m.followup is None][0]
        local = overdue.astimezone(zoneinfo.ZoneInfo(PARIS))
        zone = f"{PARIS} ({now().astimezone(zoneinfo.ZoneInfo(PARIS)):%Z})"
        text, page, _ = bodies(mail.msg)
        for body in (text, html.unescape(page)):
            check(mail.msg["Subject"].startswith("Vos relances du "), f"subject {mail.msg['Subject']!r}")
            check(f"{local:%H:%M} Appeler Zoé" in body, f"the digest lacks the local time {local:%H:%M}: {body}")
            check("Heures" in body and zone in body, f"the digest does not say its zone {zone}: {body}")
            check("Pilote chez Acmé 🚀 (Rendez-vous)" in body and "(meeting)" not in body,
                  f"the digest's stale lead is not in French: {body}")
        check(not org.dead_letters(), f"dead letters: {org.dead_letters()}")


def region_digest(locale, zone):
    """The weekly region digest to a staff member whose digest time just passed this weekday
    in her zone: Alpha's new outcomes (in euros, in dollars at the region's rate, in francs
    that have no rate yet), its stale lead (a count) and its silence, Gamma's two stale leads,
    Beta (active) nowhere, and not one word of Alpha's unshared contact, lead notes or
    outcome notes."""
    start = now().astimezone(zoneinfo.ZoneInfo(zone))
    minutes = max(0, start.hour * 60 + start.minute - 1)
    weekday = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][start.weekday()]
    env = {"RELANCE_FOLLOWUPS_REGION_DIGEST": f"{weekday} {minutes // 60:02d}:{minutes % 60:02d}"}
    with smtp_server() as server, daemon_running(env, allow=[server]) as daemon:
        root = login(daemon, ADMIN_EMAIL, ADMIN_PASSWORD)
        region = root.get("/api/v1/me").json()["org_id"]
        root.create("plugin-instances", {"plugin": PLUGIN, "name": "Region digests", "org_id": region,
                                         "settings": {"smtp_url": server.url, "from": "Relance <relance@region.test>",
                                                      "timeout_ms": 5000},
                                         "events": ["region_digest.due"]})
        alpha = Org(daemon, "Alpha Robotics", "alpha.test")
        lea = alpha.user("lea")
        contact = lea.create("contacts", {"first_name": "Quetzalcoatl", "last_name": "Zyxwvutsky",
                                          "emails": ["quetzal@secret.example"], "notes": "personne privée\r\nne pas diffuser"})
        lead = lea.create("leads", {"title": "Série A", "contact_id": contact["id"], "notes": "budget-secret-word"})
        lea.create("outcomes", {"kind": "investment", "amount": 250000, "currency": "EUR", "jobs": 3,
                                "lead_id": lead["id"], "occurred_on": f"{now():%Y-%m-%d}",
                                "notes": "outcome-secret-note 🤫"})
        root.create("exchange-rates", {"currency": "USD", "rate": "0.9",
                                       "valid_from": f"{now() - datetime.timedelta(days=400):%Y-%m-%d}"})
        lea.create("outcomes", {"kind": "partnership", "amount": "120000", "currency": "USD", "jobs": 1,
                                "lead_id": lead["id"], "occurred_on": f"{now():%Y-%m-%d}"})
        lea.create("outcomes", {"kind": "pilot", "amount": "5000.50", "currency": "CHF",
                                "lead_id": lead["id"], "occurred_on": f"{now():%Y-%m-%d}"})
        gamma = Org(daemon, "Gamma Santé", "gamma.test")
        ines = gamma.user("ines")
        gamma_leads = [ines.create("leads", {"title": f"Hôpital {n}"})["id"] for n in (1, 2)]
        month_ago = instant(now() - datetime.timedelta(days=30))
        weeks_ago = instant(now() - datetime.timedelta(days=20))
        with sqlite3.connect(os.path.join(daemon.dir, "relance.db"), timeout=10) as db:
            db.execute("UPDATE leads SET created_at = ? WHERE id IN (?, ?)", (month_ago, lead["id"], gamma_leads[0]))
            db.execute("UPDATE leads SET created_at = ? WHERE id = ?", (weeks_ago, gamma_leads[1]))
        beta = Org(daemon, "Beta Foods", "beta.test")
        beta.user("noe").create("activities", {"kind": "note", "subject": "Appel fournisseur"})
        # The staff member last: the scheduler may find her due at once, and everything above is there.
        root.create("users", {"org_id": region, "email": "camille@region.test", "role": "staff",
                              "password": "password-of-camille", "display_name": "Camille Durand",
                              "locale": locale, "time_zone": zone})

        daemon.restart()  # digests are looked for at start
        wait_for(lambda: mails(server), 10, "no region digest")
        ticks(5)
        got = mails(server)
        check([m.rcpt for m in got] == [["camille@region.test"]], f"digests to {[m.rcpt for m in got]}")
        text, page, _ = bodies(got[0].msg)
        for secret in ("Quetzalcoatl", "Zyxwvutsky", "quetzal@secret.example", "budget-secret-word",
                       "outcome-secret-note", "personne privée", "Beta Foods"):
            check(secret not in text and secret not in html.unescape(page), f"the digest shows {secret!r}: {text}")
        daemon.restart()
        ticks(10)
        check(len(mails(server)) == 1, f"{len(mails(server))} region digests after a second restart")
        return got[0].msg, text, html.unescape(page)


def case_region_digest():
    msg, text, page = region_digest("en", "America/New_York")
    check(msg["Subject"].startswith("Region digest, week to "), f"subject {msg['Subject']!r}")
    for body in (text, page):
        for item in ("New outcomes this week (3)", "Alpha Robotics — Investment: 250000 EUR, 3 jobs (",
                     "Alpha Robotics — Partnership: 120000 USD (108000 EUR), 1 job (",
                     f"Alpha Robotics — Pilot: 5000.50 CHF ({now():%Y-%m-%d})",
                     "Leads gone stale, by start-up (2)",
                     "Alpha Robotics: 1 lead with no activity for 30 days",
                     "Gamma Santé: 2 leads with no activity for 14 days or more, the oldest for 30 days",
                     "Start-ups with no activity (2)", "Alpha Robotics: no activity ever recorded"):
            check(item in body, f"the English region digest lacks {item!r}: {body}")
        check("EUR (" not in body and "1 jobs" not in body and "1 leads" not in body
              and "1 lead with no activity for 14" not in body,
              f"the English region digest: {body}")


def case_region_digest_fr():
    msg, text, page = region_digest("fr", "Europe/Paris")
    check(msg["Subject"].startswith("Synthèse régionale, semaine au "), f"subject {msg['Subject']!r}")
    for body in (text, page):
        for item in ("Nouveaux résultats de la semaine (3)", "Alpha Robotics — Investissement\u00a0: 250000 EUR, 3 emplois (",
                     "Alpha Robotics — Partenariat\u00a0: 120000 USD (108000 EUR), 1 emploi (",
                     f"Alpha Robotics — Pilote\u00a0: 5000.50 CHF ({now():%Y-%m-%d})",
                     "Pistes sans nouvelles, par start-up (2)",
                     "Alpha Robotics\u00a0: 1 piste sans activité depuis 30 jours",
                     "Gamma Santé\u00a0: 2 pistes sans activité depuis 14 jours ou plus, la plus ancienne depuis 30 jours",
                     "Start-ups sans activité (2)", "Alpha Robotics\u00a0: aucune activité jamais enregistrée"):
            check(item in body, f"the French region digest lacks {item!r}: {body}")
        check("1 emplois" not in body and "1 pistes" not in body, f"the French region digest: {body}")


def case_down():
    """The SMTP server down for a while: every reminder arrives once it is back, once."""
    port = free_port()
    env = {"RELANCE_PLUGINS_MAX_ATTEMPTS": "1000"}
    server = Server(port=port)
    with daemon_running(env, allow=[server]) as daemon:
        org = Org(daemon)
        lea = org.user("lea")
        org.add_instance(server.url)
        past = (now() - datetime.timedelta(minutes=30)).replace(microsecond=0)
        ids = [followup(lea, f"Relance {n}", past + datetime.timedelta(seconds=n))["id"] for n in range(10)]
        time.sleep(2.5)  # retried against the closed port meanwhile
        state = org.admin.get(f"/api/v1/plugin-instances/{org.instance['id']}").json()
        delivery = state.get("delivery", {})
        check(delivery.get("state") == "retrying"
              and f"could not reach the SMTP server at 127.0.0.1:{port}" in (delivery.get("last_error") or ""),
              f"the instance while the server is down: {delivery}")
        check(re.search(rf"could not reach the SMTP server at 127\.0\.0\.1:{port}: .*[Cc]onnect", daemon.log()),
              "the daemon's log lacks libcurl's reason for the operator")
        server.start()
        try:
            wait_for(lambda: all(reminders_of(server, i) for i in ids), 15,
                     f"reminders missing once the server is back: {sorted(set(ids) - set(reminders_by_followup(server)))}")
            ticks(5)
            counts = {i: len(reminders_of(server, i)) for i in ids}
            check(all(c == 1 for c in counts.values()), f"reminders per follow-up: {counts}")
            check(len(mails(server)) == len(ids), f"{len(mails(server))} messages for {len(ids)} follow-ups")
            check(not org.dead_letters(), f"dead letters: {org.dead_letters()}")
        finally:
            server.stop()


def case_rejected():
    """A 550 to RCPT for one address: a dead letter with the reply; replayed after the fix, delivered once."""
    with smtp_server(refuse={"gone@alpha.test": "550 5.1.1 mailbox unavailable"}) as server, \
            daemon_running(allow=[server]) as daemon:
        org = Org(daemon)
        lea = org.user("lea")
        gone = org.user("gone")
        org.add_instance(server.url)
        past = (now() - datetime.timedelta(minutes=10)).replace(microsecond=0)
        a = followup(lea, "Relance A", past)
        g = followup(gone, "Relance G", past + datetime.timedelta(seconds=1))
        b = followup(lea, "Relance B", past + datetime.timedelta(seconds=2))
        wait_for(lambda: reminders_of(server, a["id"]) and reminders_of(server, b["id"]), 10,
                 "the other reminders were not delivered")
        letters = wait_for(org.dead_letters, 10, "no dead letter")
        ticks(5)
        letters = org.dead_letters()
        check(len(letters) == 1, f"{len(letters)} dead letters: {letters}")
        letter = letters[0]
        check(letter.get("type") == "followup.due" and letter.get("entity_id") == g["id"]
              and letter.get("status") == "invalid" and letter.get("attempts") == 1, f"the dead letter: {letter}")
        check("550 5.1.1 mailbox unavailable" in letter.get("error", "") and "RCPT" in letter.get("error", ""),
              f"the dead letter lacks the server's reply: {letter}")
        check(not reminders_of(server, g["id"]), "the refused reminder went through")
        check(len(reminders_of(server, a["id"])) == 1 and len(reminders_of(server, b["id"])) == 1,
              "the others were not delivered once each")

        server.keeper.refuse.clear()  # the mailbox is back
        r = org.admin.post(f"/api/v1/plugin-instances/{org.instance['id']}/dead-letters/replay")
        check(r.status in (200, 202), f"replay: {r}")
        wait_for(lambda: reminders_of(server, g["id"]), 10, "the replayed reminder did not arrive")
        ticks(5)
        check(len(reminders_of(server, g["id"])) == 1, f"{len(reminders_of(server, g['id']))} replayed reminders")
        replayed = reminders_of(server, g["id"])[0]
        check(replayed.rcpt == ["gone@alpha.test"], f"the replayed reminder went to {replayed.rcpt}")
        check(replayed.message_id == f"<relance.event.{letter['event_id']}@alpha.test>",
              f"the replayed reminder's Message-ID {replayed.message_id} is not its event's")
        check(not org.dead_letters(), f"dead letters after the replay: {org.dead_letters()}")
        check(len(mails(server)) == 3, f"{len(mails(server))} messages in all")


def case_outbound():
    """Reminders pointed at loopback, link-local or metadata addresses: nothing connects, the policy is named."""
    canary, canary6 = Canary(), loopback_v6_canary()
    env = {"RELANCE_PLUGINS_MAX_ATTEMPTS": "1"}
    try:
        with smtp_server() as server, daemon_running(env, allow=[server]) as daemon:
            targets = {  # name -> (smtp_url, the address the daemon's log names)
                "loopback": (f"smtp://127.0.0.1:{canary.port}", f"127.0.0.1:{canary.port}"),
                "localhost": (f"smtp://localhost:{canary.port}", f"127.0.0.1:{canary.port}"),
                "metadata": ("smtp://169.254.169.254:25", "169.254.169.254:25"),
                "private": ("smtp://192.168.0.1:25", "192.168.0.1:25"),
                "daemon": (f"smtp://127.0.0.1:{daemon.port}", f"127.0.0.1:{daemon.port}"),
            }
            if canary6:  # libcurl resolves IPv6 literals only where IPv6 works
                targets["ipv6"] = (f"smtp://[::1]:{canary6.port}", f"[::1]:{canary6.port}")
                targets["mapped"] = (f"smtp://[::ffff:127.0.0.1]:{canary.port}", f"[::ffff:127.0.0.1]:{canary.port}")
            else:
                print("no IPv6 loopback here: the [::1] and ::ffff:127.0.0.1 targets are left out")
            # One organisation, one instance per target and one for the allowed server (the
            # control: instances do deliver here); one follow-up, an event for each instance.
            org = Org(daemon)
            lea = org.user("lea")
            instances = {name: org.add_instance(url, name=f"Reminders {name}", connect_timeout_ms=3000)
                         for name, (url, _) in targets.items()}
            org.add_instance(server.url, name="Reminders allowed")
            past = (now() - datetime.timedelta(minutes=10)).replace(microsecond=0)
            due = followup(lea, "Relance", past)
            wait_for(lambda: reminders_of(server, due["id"]), 10, "the allowed server got nothing")

            for name, instance in instances.items():
                letters = wait_for(lambda: org.dead_letters(instance), 15, f"{name}: no dead letter")
                error = letters[0].get("error", "")
                check("refused by the daemon's outbound policy" in error, f"{name}: the dead letter says {error!r}")
                state = org.admin.get(f"/api/v1/plugin-instances/{instance['id']}").json()
                last_error = state.get("delivery", {}).get("last_error") or ""
                check("refused by the daemon's outbound policy" in last_error, f"{name}: last_error {last_error!r}")
                if name == "localhost":  # what the name resolves to is the operator's to read
                    check("127.0.0.1" not in error and "::1" not in error, f"the error names an address: {error!r}")
            log = daemon.log()
            for name, (_, target) in targets.items():
                check(f"connection to {target} refused by the outbound policy" in log,
                      f"{name}: the daemon's log does not say it refused {target}")
            check("169.254.169.254 is a cloud metadata address" in log, "the log does not name the metadata address")
        check(canary.connections == 0, f"the canary on 127.0.0.1 saw {canary.connections} connections")
        check(canary6 is None or canary6.connections == 0, f"the canary on [::1] saw {canary6 and canary6.connections}")
    finally:
        canary.close()
        if canary6:
            canary6.close()


def case_killed():
    """SIGKILL during a burst of 300 reminders: all arrive after the restart, copies share a Message-ID."""
    count = 300
    with smtp_server(delay=0.01) as server, daemon_running(allow=[server]) as daemon:
        org = Org(daemon)
        lea = org.user("lea")
        # Their followup.due events first, then an instance that starts from the beginning of
        # the outbox: the burst.
        past = (now() - datetime.timedelta(minutes=30)).replace(microsecond=0)
        ids = [followup(lea, f"Relance {n}", past + datetime.timedelta(seconds=n))["id"] for n in range(count)]
        started = time.monotonic()
        org.add_instance(server.url, start="beginning")
        wait_for(lambda: len(reminders_by_followup(server)) >= 40, 20, "the burst did not start")
        got = len(reminders_by_followup(server))
        check(got < count, f"all {got} reminders arrived before the kill: make the server slower")
        daemon.kill9()
        print(f"killed after {got} of {count} reminders ({time.monotonic() - started:.1f} s)")
        time.sleep(0.5)
        daemon.start()
        wait_for(lambda: len(reminders_by_followup(server)) == count, 60,
                 f"reminders missing after the restart: {count - len(reminders_by_followup(server))}")
        ticks(5)
        per = reminders_by_followup(server)
        check(set(per) == set(ids), f"reminders for {sorted(set(per) - set(ids))[:10]}, none for "
                                    f"{sorted(set(ids) - set(per))[:10]}")
        copies = {i: ms for i, ms in per.items() if len(ms) > 1}
        for i, ms in copies.items():
            check(len({m.message_id for m in ms}) == 1,
                  f"follow-up {i}: {len(ms)} copies with Message-IDs {[m.message_id for m in ms]}")
        ids_seen = [ms[0].message_id for ms in per.values()]
        check(len(set(ids_seen)) == count, "two follow-ups share a Message-ID")
        print(f"{sum(len(ms) for ms in per.values())} messages for {count} follow-ups, "
              f"{len(copies)} delivered twice (same Message-ID)")
        check(not org.dead_letters(), f"dead letters: {org.dead_letters()}")


def case_links():
    """Forged, altered, expired and outdated links change nothing and say why."""
    with smtp_server() as server, daemon_running(allow=[server]) as daemon, \
            daemon_running({"RELANCE_FOLLOWUPS_LINK_HOURS": "0"}, allow=[server]) as brief:
        org = Org(daemon)
        lea = org.user("lea")
        org.add_instance(server.url)
        past = (now() - datetime.timedelta(hours=1)).replace(microsecond=0)
        f = followup(lea, "Relance", past)
        other = followup(lea, "Une autre", past + datetime.timedelta(hours=2))
        mail = wait_for(lambda: reminders_of(server, f["id"]), 5, "no reminder")[0]
        done, snooze = links_of(mail)
        before = get_followup(lea, f["id"])
        before_other = get_followup(lea, other["id"])

        def altered(link, **changes):
            u = urllib.parse.urlsplit(link)
            query = dict(urllib.parse.parse_qsl(u.query))
            query.update(changes)
            path = u.path
            if "id" in changes:
                path = re.sub(r"/followups/\d+/", f"/followups/{query.pop('id')}/", path)
            return urllib.parse.urlunsplit((u.scheme, u.netloc, path, urllib.parse.urlencode(query), ""))

        sig = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(done).query))["sig"]
        forged_sig = ("A" if sig[0] != "A" else "B") + sig[1:]
        tries = {
            "forged signature": altered(done, sig=forged_sig),
            "done changed to snooze": altered(done, do="snooze"),
            "snooze changed to done": altered(snooze, do="done"),
            "another follow-up's id": altered(done, id=str(other["id"])),
            "another due instant": altered(snooze, due=instant(past + datetime.timedelta(hours=5))),
            "a later expiry": altered(done, exp=str(int(dict(urllib.parse.parse_qsl(
                urllib.parse.urlsplit(done).query))["exp"]) + 86400)),
            "another version": altered(done, v=str(before["version"] + 1)),
            "another recipient": altered(done, to=str(org.users["admin@alpha.test"][0])),
        }
        for what, link in tries.items():
            for browser in (False, True):
                for method in ("GET", "POST"):
                    r = follow(daemon, link, browser, method)
                    check(r.status == 403, f"{method} {what}{' (browser)' if browser else ''}: {r}")
                    detail = html.unescape(r.text) if browser else r.json().get("detail", "")
                    check("signature does not match" in detail, f"{what}: the answer does not say why: {r}")
        check(get_followup(lea, f["id"]) == before, f"a refused link changed the follow-up: {get_followup(lea, f['id'])}")
        check(get_followup(lea, other["id"]) == before_other, "a refused link changed the other follow-up")

        # Expired: a daemon whose links expire at once.
        org2 = Org(brief, "Beta Foods", "beta.test")
        zoe = org2.user("zoe")
        org2.add_instance(server.url)
        g = followup(zoe, "Relance", past)
        mail = wait_for(lambda: [m for m in reminders_of(server, g["id"]) if m.rcpt == ["zoe@beta.test"]], 5,
                        "no reminder from the second daemon")[0]
        done2, snooze2 = links_of(mail)
        time.sleep(1.1)
        before2 = get_followup(zoe, g["id"])
        for link in (done2, snooze2):
            for browser in (False, True):
                r = confirm(brief, link, browser)
                check(r.status == 410, f"an expired link: {r}")
                detail = html.unescape(r.text) if browser else r.json().get("detail", "")
                # An expired link is still authentic: it answers in its recipient's language.
                check("le lien a expiré le" in detail, f"an expired link does not say why in Zoé's French: {r}")
        check(get_followup(zoe, g["id"]) == before2, "an expired link changed the follow-up")
        # The first daemon's link is not the second's: another key.
        r = confirm(daemon, done)
        check(r.status == 200, f"the genuine link after all that: {r}")
        check(get_followup(lea, f["id"])["status"] == "done", "the genuine link did not mark it done")
        # Reopened since: the same link no longer acts.
        r = lea.patch(f"/api/v1/followups/{f['id']}", {"status": "open"})
        check(r.status == 200, f"reopening: {r}")
        reopened = get_followup(lea, f["id"])
        for link in (done, snooze):
            r = confirm(daemon, link)
            check(r.status == 409 and "depuis l’envoi du message" in r.json().get("detail", ""),
                  f"a link of before the follow-up was reopened: {r}")
        check(get_followup(lea, f["id"]) == reopened, "a link of before the reopening changed the follow-up")



def case_test_email():
    """`relance plugin test-email`: one real message and the server's answer; a refused
    recipient and a closed port each fail with the reason and exit 1, and send nothing."""
    closed = types.SimpleNamespace(port=free_port())  # allowed by the policy, nothing listens
    with smtp_server(refuse={"gone@alpha.test": "550 5.1.1 mailbox unavailable"}) as server, \
            daemon_running(allow=[server, closed]) as daemon:
        org = Org(daemon)
        good = org.add_instance(server.url)
        wrong_port = org.add_instance(f"smtp://127.0.0.1:{closed.port}", name="Wrong port")
        env = {k: v for k, v in os.environ.items() if not k.startswith("RELANCE_")}
        env.update(RELANCE_URL=f"http://127.0.0.1:{daemon.port}", RELANCE_TOKEN=org.admin.token)

        def test_email(instance, to):
            p = subprocess.run([RELANCE, "plugin", "test-email", str(instance["id"]), "--to", to], env=env,
                               capture_output=True, text=True, timeout=60)
            return p.returncode, p.stdout + p.stderr

        code, out = test_email(good, "lea@alpha.test")
        check(code == 0, f"test-email exited {code}: {out}")
        check("250 Message accepted for delivery" in out and "lea@alpha.test" in out,
              f"the server's answer is not reported: {out}")
        received = server.keeper.received()
        check(len(received) == 1, f"{len(received)} messages for one test")
        mail_from, rcpt, raw = received[0]
        check(rcpt == ["lea@alpha.test"] and mail_from == "relance@alpha.test", f"envelope {mail_from} -> {rcpt}")
        msg = parse(raw)
        check("test" in (msg["Subject"] or ""), f"subject {msg['Subject']!r}")
        text = msg.get_body(("plain",))
        check(text is not None and "réglages" in text.get_content(), f"the test message's text: {raw[:800]!r}")

        code, out = test_email(good, "gone@alpha.test")
        check(code == 1, f"a refused recipient exited {code}: {out}")
        check("550 5.1.1 mailbox unavailable" in out and "RCPT" in out, f"the refusal is not reported: {out}")

        code, out = test_email(wrong_port, "lea@alpha.test")
        check(code == 1, f"a closed port exited {code}: {out}")
        check(f"could not reach the SMTP server at 127.0.0.1:{closed.port}" in out, f"the closed port: {out}")
        check(len(server.keeper.received()) == 1, "a failed test sent something")

        code, out = test_email(good, "not an address")
        check(code != 0 and "email address" in out, f"a bad --to: {code} {out}")


run_case({name[5:]: f for name, f in globals().items() if name.startswith("case_")}, CASE)
