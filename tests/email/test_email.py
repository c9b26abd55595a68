#!/usr/bin/env python3
"""The email-reminder plugin against a real SMTP server on loopback.

    test_email.py SINK_DRIVER PLUGIN.so CASE

Starts aiosmtpd on a free 127.0.0.1 port with a handler that keeps every message, feeds
events to the plugin through sink_driver (no daemon), then reads each message back with
Python's email package (policy.default) and the .ics attachment with icalendar
(smtp_support.py has the server and the reading). Exits 0 when the case holds, 1 with the
reason otherwise.
"""
import datetime
import html
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

from aiosmtpd.smtp import AuthResult

from smtp_support import Server, bodies, check, free_port, ics_of, parse, run_case

DRIVER, PLUGIN, CASE = sys.argv[1:4]
UTC = datetime.timezone.utc
DONE = "http://127.0.0.1:8080/api/v1/followups/41/action?do=done&exp=1774800000&sig=abc123"
SNOOZE = "http://127.0.0.1:8080/api/v1/followups/41/action?do=snooze&exp=1774800000&sig=def456"


# ---- Events and the driver.

def followup_due(event_id=101, locale="fr", email_address="founder@alpha.test", name="Léa Martin",
                 zone="Europe/Paris", at="2026-03-29T07:00:00.000Z", contact=True, lead=True):
    contact_doc = {"id": 3, "first_name": "Pat", "last_name": "Lee", "emails": ["pat@fund.vc"],
                   "time_zone": "America/Los_Angeles"} if contact else None
    return {"id": event_id, "document": {
        "schema": "relance.event/1", "type": "followup.due", "org_id": 2, "entity": "followups", "entity_id": 41,
        "actor_id": 0, "occurred_at": at,
        "data": {"id": 41, "title": "Appeler Pat — term sheet", "due_at": at, "time_zone": zone, "status": "open",
                 "notes": "Relancer sur la valorisation; vérifier le pro-rata.\nDeuxième ligne = suite.",
                 "lead_id": 5 if lead else None, "contact_id": 3 if contact else None, "assignee_id": 7},
        "due": {"at": at, "time_zone": zone, "local": None,
                "contact_time_zone": "America/Los_Angeles" if contact else None, "contact_local": None},
        "assignee": {"id": 7, "email": email_address, "display_name": name, "locale": locale, "time_zone": zone},
        "contact": contact_doc,
        "lead": {"id": 5, "title": "Seed round", "stage": "meeting"} if lead else None,
        "links": {"done": DONE, "snooze": SNOOZE}}}


def digest_due(event_id=201, locale="en", empty=False, labels=None):
    item = lambda i, title, local, lead: {  # noqa: E731
        "id": i, "title": title, "due_at": "2026-03-30T16:00:00.000Z", "local": local, "lead_title": lead,
        "links": {"done": f"http://127.0.0.1:8080/api/v1/followups/{i}/action?do=done&sig=d{i}",
                  "snooze": f"http://127.0.0.1:8080/api/v1/followups/{i}/action?do=snooze&sig=s{i}"}}
    data = {"user": {"id": 7, "email": "founder@alpha.test", "display_name": "Léa Martin", "locale": locale,
                     "time_zone": "America/Los_Angeles"},
            "date": "2026-03-30",
            "today": [] if empty else [item(41, "Call Pat", "09:00", "Seed round"), item(42, "Send the deck", "14:30", None)],
            "overdue": [] if empty else [item(40, "Intro to Sam", "2026-03-28 09:00", "Series A")],
            "stale_leads": [] if empty else [
                {"id": 5, "title": "Seed round", "stage": "meeting", "last_activity_at": "2026-03-18T10:00:00.000Z", "days": 12},
                {"id": 6, "title": "Pilot at Acme", "stage": "new", "last_activity_at": None, "days": 30}]}
    for lead in data["stale_leads"]:  # the daemon's stage_label, since issue 14
        if labels and lead["stage"] in labels:
            lead["stage_label"] = labels[lead["stage"]]
    return {"id": event_id, "document": {
        "schema": "relance.event/1", "type": "digest.due", "org_id": 2, "entity": "users", "entity_id": 7,
        "occurred_at": "2026-03-30T15:30:00.000Z", "data": data}}


def run(events, settings):
    """Runs the driver; returns (exit code, [(id, status, reason)])."""
    with tempfile.TemporaryDirectory() as tmp:
        settings_path, events_path = os.path.join(tmp, "settings.json"), os.path.join(tmp, "events.json")
        with open(settings_path, "w", encoding="utf-8") as f:
            json.dump(settings, f)
        with open(events_path, "w", encoding="utf-8") as f:
            json.dump(events, f, ensure_ascii=False)
        p = subprocess.run([DRIVER, PLUGIN, settings_path, events_path], capture_output=True, text=True, timeout=60)
    sys.stderr.write(p.stderr)
    lines = []
    for line in p.stdout.splitlines():
        first, status, *rest = line.split(" ", 2) + [""]
        lines.append((first, status, rest[0] if rest else ""))
    return p.returncode, lines


def settings_for(server, **extra):
    s = {"smtp_url": server.url if server else f"smtp://127.0.0.1:{free_port()}",
         "from": "Relance <relance@example.org>", "timeout_ms": 5000}
    s.update(extra)
    return s


def statuses(lines):
    return [status for _, status, _ in lines]


# ---- Cases.

def case_followup():
    with Server() as server:
        code, lines = run([followup_due()], settings_for(server))
        check(code == 0 and statuses(lines) == ["OK"], f"driver: {code} {lines}")
        check(len(server.keeper.messages) == 1, f"{len(server.keeper.messages)} messages")
        mail_from, rcpt, raw = server.keeper.messages[0]
    check(mail_from == "relance@example.org", f"envelope sender {mail_from}")
    check(rcpt == ["founder@alpha.test"], f"recipients {rcpt}")
    msg = parse(raw)
    check(msg.get_content_type() == "multipart/mixed", msg.get_content_type())
    check(msg["Subject"] == "Relance : à faire aujourd'hui — Appeler Pat — term sheet", f"subject {msg['Subject']!r}")
    check(b"Subject: =?UTF-8?" in raw, "the subject is not RFC 2047 encoded")
    to = msg["To"].addresses
    check(len(to) == 1 and to[0].display_name == "Léa Martin" and to[0].addr_spec == "founder@alpha.test", f"To {to}")
    check(b"=?UTF-8?" in raw.split(b"\r\nTo:")[1].split(b"\r\nSubject")[0], "the To name is not an encoded-word")
    sender = msg["From"].addresses[0]
    check(sender.display_name == "Relance" and sender.addr_spec == "relance@example.org", f"From {sender}")
    check(msg["Message-ID"] == "<relance.event.101@example.org>", f"Message-ID {msg['Message-ID']}")
    check(msg["Date"].datetime is not None and msg["Date"].datetime.tzinfo is not None, "no Date")
    check(msg["Auto-Submitted"] == "auto-generated", "no Auto-Submitted")

    text, page, hrefs = bodies(msg)
    when = "09:00 (Europe/Paris) — 00:00 pour Pat Lee (America/Los_Angeles)"
    for what, body in (("text", text), ("HTML", html.unescape(page))):
        check("dimanche 29 mars 2026, " + when in body, f"the {what} part lacks the times: {body}")
        check("Appeler Pat — term sheet" in body, f"the {what} part lacks the title")
        check("Seed round (meeting)" in body, f"the {what} part lacks the lead")
        check("Pat Lee <pat@fund.vc>" in body, f"the {what} part lacks the contact")
        check("vérifier le pro-rata" in body and "Deuxième ligne = suite." in body, f"the {what} part lacks the notes")
        check("Marquer comme fait" in body and "Reporter d'un jour" in body, f"the {what} part lacks the link labels")
    check(DONE in text and SNOOZE in text, "the text part lacks the links")
    check(hrefs == [DONE, SNOOZE], f"the HTML links are {hrefs}")

    data, cal = ics_of(msg)
    check("BEGIN:VTIMEZONE" in data and "TZID:Europe/Paris" in data, "no VTIMEZONE for Europe/Paris")
    check("DUE;TZID=Europe/Paris:20260329T090000" in data, "DUE is not 09:00 in Europe/Paris")
    todos = [c for c in cal.walk() if c.name == "VTODO"]
    check(len(todos) == 1, f"{len(todos)} VTODOs")
    todo = todos[0]
    check(str(todo["UID"]) == "followup-41@relance", f"UID {todo['UID']}")
    check(str(todo["SUMMARY"]) == "Appeler Pat — term sheet", f"SUMMARY {todo['SUMMARY']}")
    due = todo["DUE"].dt
    check(due.tzinfo is not None, "DUE is floating")
    check(due.astimezone(UTC) == datetime.datetime(2026, 3, 29, 7, 0, tzinfo=UTC), f"DUE is {due.astimezone(UTC)}")
    check(str(todo["STATUS"]) == "NEEDS-ACTION", f"STATUS {todo['STATUS']}")
    check("vérifier le pro-rata" in str(todo["DESCRIPTION"]), "DESCRIPTION lacks the notes")


def case_english():
    event = followup_due(event_id=102, locale="en-GB", email_address="zoe@beta.test", name="Zoë O'Neil",
                         zone="America/New_York", at="2026-03-29T13:00:00.000Z", contact=False, lead=False)
    event["document"]["data"]["title"] = "Send the deck"
    with Server() as server:
        code, lines = run([event], settings_for(server, message_id_domain="mail.relance.test"))
        check(code == 0 and statuses(lines) == ["OK"], f"driver: {code} {lines}")
        _, rcpt, raw = server.keeper.messages[0]
    check(rcpt == ["zoe@beta.test"], f"recipients {rcpt}")
    msg = parse(raw)
    check(msg["Subject"] == "Follow-up due: Send the deck", f"subject {msg['Subject']!r}")
    check(msg["To"].addresses[0].display_name == "Zoë O'Neil", f"To {msg['To']}")
    check(msg["Message-ID"] == "<relance.event.102@mail.relance.test>", f"Message-ID {msg['Message-ID']}")
    text, page, hrefs = bodies(msg)
    for body in (text, html.unescape(page)):
        check("Sunday 29 March 2026, 09:00 (America/New_York)" in body, f"times: {body}")
        check(" for " not in body.split("When:")[1].split("\n")[0], "a contact time without a contact")
        check("Mark done" in body and "Snooze one day" in body, "link labels")
        check("Lead:" not in body and "Contact:" not in body, "a lead or contact without one")
    check(hrefs == [DONE, SNOOZE], f"the HTML links are {hrefs}")
    _, cal = ics_of(msg)
    due = [c for c in cal.walk() if c.name == "VTODO"][0]["DUE"].dt
    check(due.astimezone(UTC) == datetime.datetime(2026, 3, 29, 13, 0, tzinfo=UTC), f"DUE is {due}")


def case_digest():
    with Server() as server:
        code, lines = run([digest_due(201, "en"), digest_due(202, "fr")], settings_for(server))
        check(code == 0 and statuses(lines) == ["OK", "OK"], f"driver: {code} {lines}")
        check(len(server.keeper.messages) == 2, f"{len(server.keeper.messages)} messages")
        english, french = (parse(raw) for _, _, raw in server.keeper.messages)
    expected = {
        "en": (english, "Your follow-ups for Monday 30 March", ["Today (2)", "Overdue (1)", "Stale leads (2)"],
               ["09:00 Call Pat — Seed round", "14:30 Send the deck", "Saturday 28 March, 09:00 Intro to Sam — Series A",
                "Seed round (meeting): no activity for 12 days", "Pilot at Acme (new): no activity recorded"],
               ["Mark done", "Snooze one day"]),
        "fr": (french, "Vos relances du lundi 30 mars", ["Aujourd'hui (2)", "En retard (1)", "Leads sans nouvelles (2)"],
               ["09:00 Call Pat — Seed round", "samedi 28 mars, 09:00 Intro to Sam — Series A",
                "Seed round (meeting): sans nouvelles depuis 12 jours", "Pilot at Acme (new): aucune activité enregistrée"],
               ["Marquer comme fait", "Reporter d'un jour"]),
    }
    for locale, (msg, subject, sections, items, labels) in expected.items():
        check(msg["Subject"] == subject, f"{locale} subject {msg['Subject']!r}")
        check(msg.get_content_type() == "multipart/alternative", f"{locale}: {msg.get_content_type()}")
        check(not list(msg.iter_attachments()), f"{locale}: a digest with an attachment")
        check(msg["Message-ID"] == f"<relance.event.{201 if locale == 'en' else 202}@example.org>", msg["Message-ID"])
        text, page, hrefs = bodies(msg)
        for what, body in (("text", text), ("HTML", html.unescape(page))):
            positions = [body.find(s) for s in sections]
            check(all(p >= 0 for p in positions) and positions == sorted(positions), f"{locale} {what} sections: {body}")
            for item in items + labels:
                check(item in body, f"{locale} {what} lacks {item!r}: {body}")
        links = [f"http://127.0.0.1:8080/api/v1/followups/{i}/action?do={d}&sig={d[0]}{i}"
                 for i in (41, 42, 40) for d in ("done", "snooze")]
        check(hrefs == links, f"{locale} HTML links {hrefs}")
        check(all(link in text for link in links), f"{locale} text links")


def case_digest_labels():
    """A French digest as the daemon now sends it: stage names in French (stage_label), the
    times on the user's clock with the zone said once, abbreviation included."""
    with Server() as server:
        event = digest_due(203, "fr", labels={"meeting": "Rendez-vous", "new": "Nouveau"})
        code, lines = run([event], settings_for(server))
        check(code == 0 and statuses(lines) == ["OK"], f"driver: {code} {lines}")
        msg = parse(server.keeper.messages[0][2])
    text, page, _ = bodies(msg)
    for what, body in (("text", text), ("HTML", html.unescape(page))):
        for item in ["Seed round (Rendez-vous): sans nouvelles depuis 12 jours",
                     "Pilot at Acme (Nouveau): aucune activité enregistrée",
                     "America/Los_Angeles (PDT)", "09:00 Call Pat — Seed round",
                     "samedi 28 mars, 09:00 Intro to Sam — Series A"]:
            check(item in body, f"{what} lacks {item!r}: {body}")
        check("(meeting)" not in body and "(new)" not in body, f"{what} shows a stage's key: {body}")
        check("Heures" in body, f"{what} does not say which clock: {body}")


def case_empty():
    other = {"id": 302, "document": {"schema": "relance.event/1", "type": "contact.created", "org_id": 2,
                                     "entity": "contacts", "entity_id": 3, "data": {}}}
    with Server() as server:
        code, lines = run([digest_due(301, "fr", empty=True), other], settings_for(server))
        check(code == 0 and statuses(lines) == ["OK", "UNSUPPORTED"], f"driver: {code} {lines}")
        check(not server.keeper.messages, f"{len(server.keeper.messages)} messages sent")


def case_redelivery():
    again = followup_due(401)
    again["attempt"] = 2
    with Server() as server:
        code, lines = run([followup_due(401), again, followup_due(402)], settings_for(server))
        check(code == 0 and statuses(lines) == ["OK"] * 3, f"driver: {code} {lines}")
        ids = [parse(raw)["Message-ID"] for _, _, raw in server.keeper.messages]
    check(ids == ["<relance.event.401@example.org>"] * 2 + ["<relance.event.402@example.org>"], f"Message-IDs {ids}")


def unreachable(port):
    """The one reason for a server that never greeted: closed, silent or not SMTP look alike."""
    return f"could not reach the SMTP server at 127.0.0.1:{port} (no SMTP greeting; the daemon's log says why)"


def case_down():
    settings = settings_for(None)
    port = int(settings["smtp_url"].rsplit(":", 1)[1])
    code, lines = run([followup_due(), digest_due()], settings)
    check(code == 0 and statuses(lines) == ["RETRY", "RETRY"], f"driver: {code} {lines}")
    check(lines[0][2] == unreachable(port), f"reason {lines[0][2]!r}")


def case_rejected():
    with Server(rcpt_reply="550 5.1.1 mailbox unavailable") as server:
        code, lines = run([followup_due()], settings_for(server))
        check(code == 0 and statuses(lines) == ["INVALID"], f"driver: {code} {lines}")
        check("550 5.1.1 mailbox unavailable" in lines[0][2] and "RCPT" in lines[0][2], f"reason {lines[0][2]!r}")
        check(not server.keeper.messages, "a message went through")
    with Server(rcpt_reply="451 4.3.0 try again later") as server:
        code, lines = run([followup_due()], settings_for(server))
        check(code == 0 and statuses(lines) == ["RETRY"], f"driver: {code} {lines}")
        check("451" in lines[0][2], f"reason {lines[0][2]!r}")
    with Server(data_reply="554 5.6.0 message refused") as server:
        code, lines = run([followup_due()], settings_for(server))
        check(code == 0 and statuses(lines) == ["INVALID"], f"554 to the message: {code} {lines}")
        check("554 5.6.0 message refused" in lines[0][2] and "the message" in lines[0][2], f"reason {lines[0][2]!r}")


def case_silent():
    with socket.socket() as listener:  # accepts connections (the backlog) and never says a word
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        port = listener.getsockname()[1]
        settings = {"smtp_url": f"smtp://127.0.0.1:{port}", "from": "relance@example.org", "timeout_ms": 1000}
        started = time.monotonic()
        code, lines = run([followup_due()], settings)
        elapsed = time.monotonic() - started
    check(code == 0 and statuses(lines) == ["RETRY"], f"driver: {code} {lines}")
    # What an org-admin reads is a closed port's reason; the log says more, for the operator.
    check(lines[0][2] == unreachable(port), f"reason {lines[0][2]!r}")
    check(elapsed < 4, f"took {elapsed:.1f} s with timeout_ms 1000")


def case_not_smtp():
    """A port where another protocol answers reads like a closed one."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        port = listener.getsockname()[1]

        def banner():  # an SSH-like banner, then the connection closes
            for _ in range(4):
                try:
                    conn, _ = listener.accept()
                except OSError:
                    return
                with conn:
                    conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
                    conn.recv(1024)

        listener.settimeout(10)
        threading.Thread(target=banner, daemon=True).start()
        settings = {"smtp_url": f"smtp://127.0.0.1:{port}", "from": "relance@example.org", "timeout_ms": 2000}
        code, lines = run([followup_due()], settings)
    check(code == 0 and statuses(lines) == ["RETRY"], f"driver: {code} {lines}")
    check(lines[0][2] == unreachable(port), f"reason {lines[0][2]!r}")


def case_proxy():
    """A proxy in the environment is not used: the outbound policy judges the server itself."""
    os.environ["all_proxy"] = os.environ["ALL_PROXY"] = f"socks5h://127.0.0.1:{free_port()}"
    with Server() as server:
        code, lines = run([followup_due()], settings_for(server))
        check(code == 0 and statuses(lines) == ["OK"], f"driver: {code} {lines}")
        check(len(server.keeper.received()) == 1, f"{len(server.keeper.received())} messages")


def case_tls():
    with Server() as server:
        smtps = settings_for(server, smtp_url=f"smtps://127.0.0.1:{server.port}", insecure_tls=True)
        code, lines = run([followup_due()], smtps)
        check(code == 0 and statuses(lines) == ["RETRY"], f"smtps to a plain server: {code} {lines}")
        code, lines = run([followup_due()], settings_for(server, starttls="required"))
        check(code == 0 and statuses(lines) == ["RETRY"], f"STARTTLS required: {code} {lines}")
        check("STARTTLS" in lines[0][2], f"reason {lines[0][2]!r}")
        check(not server.keeper.messages, "a message went through")
        code, lines = run([followup_due()], settings_for(server, starttls="try"))
        check(code == 0 and statuses(lines) == ["OK"], f"STARTTLS try: {code} {lines}")


def case_auth():
    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        # handled=False: aiosmtpd answers 535 itself (handled=True would leave the client waiting).
        return AuthResult(success=auth_data.login == b"relance" and auth_data.password == b"s3cret", handled=False)

    with Server(authenticator=authenticator, auth_required=True, auth_require_tls=False) as server:
        code, lines = run([followup_due()], settings_for(server, username="relance", password="s3cret"))
        check(code == 0 and statuses(lines) == ["OK"], f"good credentials: {code} {lines}")
        check(seen == [(b"relance", b"s3cret")], f"credentials seen {seen}")
        code, lines = run([followup_due()], settings_for(server, username="relance", password="wrong"))
        check(code == 0 and statuses(lines) == ["RETRY"], f"wrong password: {code} {lines}")
        check("password" in lines[0][2], f"reason {lines[0][2]!r}")
        code, lines = run([followup_due()], settings_for(server))
        check(code == 0 and statuses(lines) == ["RETRY"], f"no credentials: {code} {lines}")
        check("530" in lines[0][2] and "username" in lines[0][2], f"reason {lines[0][2]!r}")
        check(len(server.keeper.messages) == 1, f"{len(server.keeper.messages)} messages")


def case_recipient():
    bad = followup_due(501, email_address="not an address")
    none = followup_due(502, email_address="")
    missing = followup_due(503)
    missing["document"]["assignee"] = None
    with Server() as server:
        code, lines = run([bad, none, missing], settings_for(server))
        check(code == 0 and statuses(lines) == ["INVALID"] * 3, f"driver: {code} {lines}")
        check("not an address" in lines[0][2] and "user 7" in lines[0][2], f"reason {lines[0][2]!r}")
        check("no email address" in lines[1][2], f"reason {lines[1][2]!r}")
        check("assignee" in lines[2][2], f"reason {lines[2][2]!r}")
        check(not server.keeper.messages, "a message went through")


def case_settings():
    for settings, word in (({"smtp_url": "smtp://127.0.0.1:25"}, "from"),
                           ({"smtp_url": "http://x", "from": "a@b.test"}, "smtp_url"),
                           ({"smtp_url": "smtp://x", "from": "a@b.test", "starttls": "maybe"}, "starttls"),
                           ({"smtp_url": "smtp://x", "from": "a@b.test", "pasword": "x"}, "pasword"),
                           ({"smtp_url": "smtp://x", "from": "a@b.test", "timeout_ms": "5s"}, "timeout_ms"),
                           ({"smtp_url": "smtp://x", "from": "nobody"}, "from")):
        code, lines = run([followup_due()], settings)
        check(code == 1 and lines and lines[0][0] == "create_instance" and lines[0][1] == "INVALID",
              f"{settings}: {code} {lines}")
        check(word in lines[0][2], f"{settings}: reason {lines[0][2]!r}")


run_case({name[5:]: f for name, f in globals().items() if name.startswith("case_")}, CASE)
