"""What test_email.py and test_end_to_end.py share: an aiosmtpd server on loopback that
keeps every message, and the reading of a reminder with Python's email package and
icalendar. Every check fails the running case with `fail` (exit 1 with the reason).
"""
import asyncio
import email
import email.policy
import html.parser
import socket
import sys
import threading

import icalendar
from aiosmtpd.controller import Controller


class Failure(Exception):
    """A case's check failed; its message is the reason."""


def fail(why):
    raise Failure(why)


def check(condition, why):
    if not condition:
        fail(why)


def run_case(cases, name):
    """Runs cases[name]; prints "ok NAME" and exits 0, or "FAIL: why" and exits 1."""
    if name not in cases:
        print(f"FAIL: unknown case {name} (known: {', '.join(cases)})")
        sys.exit(1)
    try:
        cases[name]()
    except Failure as e:
        # A failure while cleaning up after another one: both reasons, the first first.
        chain, at = [], e
        while at is not None:
            chain.insert(0, at)
            at = at.__context__
        for f in chain:
            print("FAIL:", f if isinstance(f, Failure) else repr(f))
        sys.exit(1)
    print("ok", name)


# ---- The server.

class Keeper:
    """Keeps every message.

    rcpt_reply   answers every RCPT with it when set ("550 ...");
    refuse       {address: reply}: answers RCPT for those addresses with the reply (changeable
                 while the server runs);
    data_reply   answers the message with it when set;
    delay        seconds to wait before accepting a message (a slow server).
    """

    def __init__(self, rcpt_reply=None, data_reply=None, refuse=None, delay=0):
        self.rcpt_reply = rcpt_reply
        self.data_reply = data_reply
        self.refuse = dict(refuse or {})
        self.delay = delay
        self.lock = threading.Lock()
        self.messages = []  # (mail_from, rcpt_tos, raw bytes)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def received(self):
        with self.lock:
            return list(self.messages)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """aiosmtpd on 127.0.0.1 (a free port unless `port` is given), as a context manager."""

    def __init__(self, rcpt_reply=None, data_reply=None, port=None, refuse=None, delay=0, **kwargs):
        self.keeper = Keeper(rcpt_reply, data_reply, refuse, delay)
        self.port = port or free_port()
        self.controller = Controller(self.keeper, hostname="127.0.0.1", port=self.port, **kwargs)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"


# ---- Reading a message.

class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href"]


def parse(raw):
    check(b"\n" not in raw.replace(b"\r\n", b""), "a bare LF in the message")
    for line in raw.split(b"\r\n"):
        check(len(line) <= 998, f"a line of {len(line)} octets")
    check(all(b < 0x80 for b in raw), "8-bit octets in the message (bodies must be encoded)")
    return email.message_from_bytes(raw, policy=email.policy.default)


def bodies(msg):
    """(text, HTML, the HTML's hrefs) of a message, each part checked for UTF-8 and QP/base64."""
    text = msg.get_body(("plain",))
    page = msg.get_body(("html",))
    check(text is not None and page is not None, "no text or no HTML part")
    for part in (text, page):
        check(part.get_content_charset() == "utf-8", "a body part not in UTF-8")
        check(part["Content-Transfer-Encoding"] in ("quoted-printable", "base64"), "a body part not QP or base64")
    links = Links()
    links.feed(page.get_content())
    return text.get_content(), page.get_content(), links.hrefs


def ics_of(msg, followup_id=41):
    """The .ics attachment of a followup.due message: (its text, the icalendar.Calendar)."""
    attachments = [a for a in msg.iter_attachments() if a.get_content_type() == "text/calendar"]
    check(len(attachments) == 1, f"{len(attachments)} calendar attachments")
    a = attachments[0]
    check(a.get_param("method") == "PUBLISH", "the calendar part has no method=PUBLISH")
    check(a.get_filename() == f"followup-{followup_id}.ics", f"attachment named {a.get_filename()}")
    data = a.get_content()
    data = data if isinstance(data, str) else data.decode("utf-8")
    return data, icalendar.Calendar.from_ical(data)
