"""A chat's incoming webhook for tests/integration/chat_test.cpp, bound to 127.0.0.1.

Every POST is appended to --results as one JSON line {"path", "content_type", "body"}; the
answer depends on the first segment of the path, as a Slack or Mattermost server would give:
  /ok/...     200 "ok"
  /flaky/...  500 to the first two requests of that path, then 200
  /gone/...   410 (the webhook was deleted)
It writes its port to --ready once listening and stops itself after --lifetime-s seconds.
"""
import argparse
import json
import os
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--results", required=True)
parser.add_argument("--ready", required=True)
parser.add_argument("--lifetime-s", type=int, default=300)
args = parser.parse_args()

lock = threading.Lock()
seen = Counter()


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            seen[self.path] += 1
            n = seen[self.path]
            with open(args.results, "a", encoding="utf-8") as out:
                out.write(json.dumps({"path": self.path, "content_type": self.headers.get("Content-Type", ""),
                                      "body": json.loads(body)}) + "\n")
        kind = self.path.split("/")[1]
        code = 200
        if kind == "flaky" and n <= 2:
            code = 500
        elif kind == "gone":
            code = 410
        answer = b"ok" if code == 200 else b"no"
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
threading.Timer(args.lifetime_s, server.shutdown).start()
with open(args.ready + ".tmp", "w") as r:
    r.write(str(server.server_address[1]))
os.rename(args.ready + ".tmp", args.ready)
server.serve_forever()
