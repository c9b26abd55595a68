#!/usr/bin/env python3
"""SMTP sink for bench/reminders.sh: accepts every message as fast as it can, parses
nothing but the Message-ID header, and records the arrival time of each.

    smtp_sink.py --port PORT --out FILE [--status FILE] [--server asyncio|aiosmtpd]

--server asyncio (default): a minimal SMTP server of its own on asyncio streams (EHLO/HELO,
MAIL, RCPT, DATA, RSET, NOOP, QUIT; the message is read up to CRLF.CRLF and not decoded);
--server aiosmtpd: aiosmtpd's Controller with a handler that does the same counting
(Debian python3-aiosmtpd, so /usr/bin/python3).

Every 0.2 s it rewrites --status with "messages unique connections" (the driver polls it).
On SIGTERM or SIGINT it writes --out: one line per message, "arrival_epoch_s event_id
connection" (event_id from Message-ID <relance.event.ID@...>, -1 when absent), then exits.
Listens on 127.0.0.1 only. Standard library only in asyncio mode.
"""
import argparse
import asyncio
import os
import re
import signal
import sys
import time

MSGID = re.compile(rb"\r\nMessage-ID: *<relance\.event\.(\d+)@", re.IGNORECASE)


class Record:
    def __init__(self):
        self.arrivals = []  # (time, event_id, connection)
        self.seen = set()
        self.connections = 0

    def message(self, data, conn):
        t = time.time()
        m = MSGID.search(data, 0, 8192) or MSGID.search(data)
        eid = int(m.group(1)) if m else -1
        self.arrivals.append((t, eid, conn))
        self.seen.add(eid)

    def status(self):
        return "%d %d %d\n" % (len(self.arrivals), len(self.seen), self.connections)

    def dump(self, path):
        with open(path + ".tmp", "w") as f:
            for t, eid, conn in self.arrivals:
                f.write("%.6f %d %d\n" % (t, eid, conn))
        os.replace(path + ".tmp", path)


EHLO_REPLY = (b"250-relance-bench-sink\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n"
              b"250-SMTPUTF8\r\n250 HELP\r\n")


async def serve_client(rec, reader, writer):
    rec.connections += 1
    conn = rec.connections
    writer.write(b"220 relance-bench-sink ESMTP\r\n")
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            verb = line[:4].upper()
            if verb == b"EHLO":
                writer.write(EHLO_REPLY)
            elif verb == b"HELO":
                writer.write(b"250 relance-bench-sink\r\n")
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                writer.write(b"250 OK\r\n")
            elif verb == b"DATA":
                writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                await writer.drain()
                data = await reader.readuntil(b"\r\n.\r\n")
                rec.message(b"\r\n" + data, conn)
                writer.write(b"250 OK queued\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 Bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"502 Command not implemented\r\n")
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main_asyncio(args, rec):
    server = await asyncio.start_server(lambda r, w: serve_client(rec, r, w), "127.0.0.1",
                                        args.port, limit=64 * 1024 * 1024, backlog=128)
    await run_until_signal(args, rec)
    server.close()


async def main_aiosmtpd(args, rec):
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            if not getattr(session, "bench_conn", None):
                rec.connections += 1
                session.bench_conn = rec.connections
            session.host_name = hostname
            return responses

        async def handle_DATA(self, server, session, envelope):
            rec.message(b"\r\n" + envelope.original_content, getattr(session, "bench_conn", 0))
            return "250 OK queued"

    controller = Controller(Handler(), hostname="127.0.0.1", port=args.port,
                            data_size_limit=64 * 1024 * 1024, decode_data=False)
    controller.start()
    try:
        await run_until_signal(args, rec)
    finally:
        controller.stop()


async def run_until_signal(args, rec):
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):  # signal.signal: aiosmtpd's thread loop resets
        signal.signal(s, lambda *_: loop.call_soon_threadsafe(stop.set))  # add_signal_handler's
    deadline = time.monotonic() + args.max_seconds
    while not stop.is_set() and time.monotonic() < deadline:
        if args.status:
            with open(args.status + ".tmp", "w") as f:
                f.write(rec.status())
            os.replace(args.status + ".tmp", args.status)
        try:
            await asyncio.wait_for(stop.wait(), 0.2)
        except asyncio.TimeoutError:
            pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--status")
    p.add_argument("--server", choices=("asyncio", "aiosmtpd"), default="asyncio")
    p.add_argument("--max-seconds", type=float, default=3600)
    args = p.parse_args()
    rec = Record()
    try:
        asyncio.run(main_asyncio(args, rec) if args.server == "asyncio" else main_aiosmtpd(args, rec))
    finally:
        rec.dump(args.out)
        if args.status:
            with open(args.status, "w") as f:
                f.write(rec.status())


if __name__ == "__main__":
    sys.exit(main())
