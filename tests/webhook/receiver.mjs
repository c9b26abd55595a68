// A partner's webhook endpoint for the tests and the bench, built on the npm package
// standardwebhooks (an implementation of the scheme no one here wrote): every request is
// checked with new Webhook(secret).verify(body, headers), and a line per request is appended
// to the results file:
//   {"path": "/ok", "id": "evt_12", "timestamp": "1764961234", "verified": true, "error": ""}
// What it answers depends on the request's path:
//   /ok                    204
//   /gone                  410
//   /fail                  500
//   /flaky                 500 to the first two requests of each webhook-id, then 204
//   /slow                  204 after --slow-ms (past the instance's timeout)
//   /garbage               bytes that are not HTTP, then the connection closed
//   /redirect-loopback     302 to the canary (127.0.0.1, a port the daemon's policy refuses)
//   /redirect-metadata     302 to http://169.254.169.254/latest/meta-data/
//   /bench                 204, verified but only counted: "<verified> <failed>" in
//                          <results>.bench, rewritten every 100 ms (bench/webhook.sh)
//   /fixed                 204 without verifying or recording (the bench's ceiling)
// A second listener, the canary, counts the connections it receives into the file
// <results>.canary: a request that reached it went where the policy forbids.
//
//   node receiver.mjs --secret whsec_... --results FILE --ready FILE [--slow-ms 3000] [--lifetime-s 600]
// The ready file receives "<port> <canary port>" once both listen (127.0.0.1, ports chosen by
// the system). The receiver stops itself after --lifetime-s, or on SIGTERM.
import { appendFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { Webhook } from "standardwebhooks";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const results = args.results;
const slowMs = Number(args["slow-ms"] ?? 3000);
const webhook = new Webhook(args.secret);
const attempts = new Map();
let canaryHits = 0;
const bench = { verified: 0, failed: 0, written: "" };
setInterval(() => {
  const line = `${bench.verified} ${bench.failed}\n`;
  if (line !== bench.written) writeFileSync(results + ".bench", (bench.written = line));
}, 100).unref();

function record(path, headers, verified, error) {
  const line = { path, id: headers["webhook-id"] ?? "", timestamp: headers["webhook-timestamp"] ?? "", verified, error };
  appendFileSync(results, JSON.stringify(line) + "\n");
}

const canary = net.createServer((socket) => {
  canaryHits += 1;
  writeFileSync(results + ".canary", String(canaryHits));
  socket.destroy();
});

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const path = req.url.split("?")[0];
    if (path === "/fixed") {
      res.writeHead(204).end();
      return;
    }
    const body = Buffer.concat(chunks).toString("utf8");
    let verified = false;
    let error = "";
    try {
      webhook.verify(body, req.headers);
      verified = true;
    } catch (e) {
      error = String(e.message ?? e);
    }
    if (path === "/bench") {
      bench[verified ? "verified" : "failed"] += 1;
      res.writeHead(204).end();
      return;
    }
    record(path, req.headers, verified, error);
    const id = req.headers["webhook-id"] ?? "";
    switch (path) {
      case "/ok":
        res.writeHead(204).end();
        break;
      case "/gone":
        res.writeHead(410).end("gone");
        break;
      case "/fail":
        res.writeHead(500).end("failed");
        break;
      case "/flaky": {
        const n = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, n);
        res.writeHead(n <= 2 ? 500 : 204).end();
        break;
      }
      case "/slow":
        setTimeout(() => res.writeHead(204).end(), slowMs);
        break;
      case "/garbage":
        req.socket.end("this is not HTTP\r\n\r\n\u0000\u0001");
        break;
      case "/redirect-loopback":
        res.writeHead(302, { Location: `http://127.0.0.1:${canary.address().port}/stolen` }).end();
        break;
      case "/redirect-metadata":
        res.writeHead(302, { Location: "http://169.254.169.254/latest/meta-data/" }).end();
        break;
      default:
        res.writeHead(404).end();
    }
  });
});
server.keepAliveTimeout = 60000;

canary.listen(0, "127.0.0.1", () => {
  server.listen(0, "127.0.0.1", () => {
    writeFileSync(args.ready, `${server.address().port} ${canary.address().port}\n`);
  });
});

const stop = () => {
  server.close();
  server.closeAllConnections?.();
  canary.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
setTimeout(stop, Number(args["lifetime-s"] ?? 600) * 1000).unref();
