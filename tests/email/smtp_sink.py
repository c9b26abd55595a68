#!/usr/bin/env python3
"""An SMTP server for tests written in another language: aiosmtpd on a free loopback port
(smtp_support.Server) that writes each message it receives to DIR/<n>.eml.

    smtp_sink.py DIR

Writes its port to DIR/port once it listens, and stops on SIGTERM.
"""
import os
import signal
import sys
import threading

from smtp_support import Keeper, Server


class Writer(Keeper):
    def __init__(self, folder):
        super().__init__()
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        n = len(self.received())
        path = os.path.join(self.folder, f"{n}.eml")
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.content)
        os.rename(path + ".tmp", path)  # a reader never sees half a message
        return reply


def main():
    folder = sys.argv[1]
    server = Server()
    server.controller.handler = server.keeper = Writer(folder)
    server.start()
    with open(os.path.join(folder, "port.tmp"), "w") as f:
        f.write(str(server.port))
    os.rename(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    done.wait()
    server.stop()


if __name__ == "__main__":
    main()
