// The web app in a real browser, for bench/web.sh: Debian's headless Chromium driven by
// playwright-core (from the build's web/node_modules, as web/tests/browser/support.mjs
// finds it), against a daemon serving a demo mission. Prints log lines on stderr and the
// figures as JSON on stdout.
//   node bench/web_browser.mjs   (settings in the environment, see below)
//
// Every time is the page's own (performance.now(): milliseconds since the navigation
// started, or since the keystroke's event), taken by a script injected before the app's:
// a MutationObserver sees the awaited content appear, then a requestAnimationFrame and a
// task after it mark the frame that painted it. Each first render runs in a fresh browser
// context (no HTTP cache, the bundle downloaded and compiled again, the session cookie
// given), so it is what a user who opens the app sees.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants as zlibConstants, gzipSync } from "node:zlib";

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const base = env("RELANCE_URL");                       // http://127.0.0.1:PORT
const chromiumPath = env("RELANCE_CHROMIUM", "/usr/bin/chromium");
const nodeModules = env("RELANCE_WEB_NODE_MODULES");   // build/release/web/node_modules
const founder = { email: env("FOUNDER_EMAIL"), password: env("FOUNDER_PASSWORD") };
const staff = { email: env("STAFF_EMAIL"), password: env("STAFF_PASSWORD") };
const runs = Number(env("RUNS", "7"));                  // first renders per screen
const keystrokes = Number(env("KEYSTROKES", "300"));    // search-as-you-type, at least
const delayMs = Number(env("KEY_DELAY_MS", "120"));     // between two keystrokes
const ceilingRounds = Number(env("CEILING_ROUNDS", "3"));
const seed = Number(env("SEED", "2026"));

const { chromium } = createRequire(join(nodeModules, "noop.js"))("playwright-core");
const log = (s) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------
// The API without a browser: the session cookie of each user (the app's own way in), each
// call timed on this side.

async function login(user) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...user, cookie: true }),
  });
  if (!r.ok) throw new Error(`login ${user.email}: HTTP ${r.status}`);
  const cookie = r.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.startsWith("relance_session="));
  if (!cookie) throw new Error(`login ${user.email}: no session cookie`);
  return { cookie };
}

async function timedGet(session, path) {
  const t0 = performance.now();
  const r = await fetch(base + path, { headers: { Cookie: session.cookie } });
  const body = await r.text();
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(`GET ${path}: HTTP ${r.status} ${body.slice(0, 200)}`);
  return { ms, body: body ? JSON.parse(body) : null, bytes: body.length };
}

const quantile = (values, q) => {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return null;
  const i = Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1));
  return v[i];
};
const summary = (values) => ({
  n: values.length,
  p50: quantile(values, 0.5),
  p95: quantile(values, 0.95),
  p99: quantile(values, 0.99),
  max: values.length ? Math.max(...values) : null,
});

// ---------------------------------------------------------------------------------------
// The page's instrument, injected before the app's scripts in every document.

function instrument(marks) {
  performance.setResourceTimingBufferSize(100000);
  // marks: [{name, content}], each mark's time the first frame painting its content.
  const bench = (window.__bench = { marks: {}, committed: {}, inputs: [], shows: [] });
  // The awaited content: every [selector, text] pair has an element matching the selector
  // whose text includes the text.
  const present = (content) =>
    content.every(([selector, text]) =>
      [...document.querySelectorAll(selector)].some((e) => (e.textContent ?? "").includes(text)));
  const afterPaint = (done) => requestAnimationFrame(() => setTimeout(() => done(performance.now()), 0));
  let lastQuery = null;
  const observe = () => {
    for (const { name, content } of marks) {
      if (name in bench.marks || !present(content)) continue;
      bench.marks[name] = -1;
      bench.committed[name] = performance.now();
      afterPaint((t) => (bench.marks[name] = t));
    }
    // The contacts' results: which query they answer (data-query), the input's value then.
    const list = document.getElementById("contacts-results");
    const query = list?.getAttribute("data-query");
    if (list && query !== null && query !== undefined && query !== lastQuery) {
      lastQuery = query;
      const input = document.getElementById("contacts-search");
      const show = {
        query,
        inputValue: input ? input.value : null,
        committed: performance.now(),
        painted: null,
        first: list.querySelector(".name")?.textContent ?? null,
        count: list.children.length,
      };
      bench.shows.push(show);
      afterPaint((t) => (show.painted = t));
    }
  };
  new MutationObserver(observe).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-query"],
  });
  document.addEventListener("input", (e) => {
    if (e.target && e.target.id === "contacts-search") bench.inputs.push({ value: e.target.value, at: e.timeStamp });
  }, true);
}

// ---------------------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
const contextOptions = { locale: "en-US", timezoneId: "America/Los_Angeles", viewport: { width: 1280, height: 800 } };

// A fresh context holding the user's session cookie (the app logs in through the same
// call, with cookie: true).
async function freshContext(session, marks) {
  const url = new URL(base);
  const [name, ...value] = session.cookie.split("=");
  const context = await browser.newContext(contextOptions);
  await context.addCookies([{ name, value: value.join("="), domain: url.hostname, path: "/", httpOnly: true, sameSite: "Lax" }]);
  await context.addInitScript(instrument, marks);
  return context;
}

// One first render: navigation to PATH until every mark's content is painted. Returns the
// times (ms since navigation start), the API calls before the first mark, and the scripts
// the page downloaded.
async function firstRender(session, path, marks, timeoutMs = 120000) {
  const context = await freshContext(session, marks);
  const page = await context.newPage();
  // The scripts downloaded: their encoding and the bytes that came over the wire.
  const downloads = [];
  const pending = [];
  page.on("requestfinished", (request) => {
    if (request.resourceType() !== "script") return;
    pending.push((async () => {
      const response = await request.response();
      const sizes = await request.sizes();
      downloads.push({
        url: request.url(),
        type: request.resourceType(),
        encoding: (await response?.headerValue("content-encoding")) ?? "identity",
        acceptEncoding: (await request.headerValue("accept-encoding")) ?? "",
        bodyBytes: sizes.responseBodySize,
      });
    })().catch(() => {}));
  });
  try {
    await page.goto(base + path, { waitUntil: "commit" });
    await page.waitForFunction((n) => Object.values(window.__bench.marks).filter((t) => t > 0).length === n,
      marks.length, { timeout: timeoutMs, polling: 50 });
    const measured = await page.evaluate((first) => {
      const entries = performance.getEntriesByType("resource").map((e) => ({
        url: e.name, start: e.startTime, end: e.responseEnd, type: e.initiatorType,
      }));
      const nav = performance.getEntriesByType("navigation")[0];
      return { marks: window.__bench.marks, committed: window.__bench.committed[first], entries, htmlEnd: nav?.responseEnd ?? 0 };
    }, marks[0].name);
    measured.painted = measured.marks[marks[0].name];
    await Promise.all(pending);
    const before = measured.entries.filter((e) => e.end <= measured.committed);
    const api = before.filter((e) => new URL(e.url).pathname.startsWith("/api/"));
    const scripts = before.filter((e) => e.url.endsWith(".js"));
    const apiEnd = Math.max(0, ...api.map((e) => e.end));
    return {
      painted: measured.painted,
      marks: measured.marks,
      htmlEnd: measured.htmlEnd,
      scriptEnd: Math.max(0, ...scripts.map((e) => e.end)),
      apiEnd,
      apiCalls: api.map((e) => ({ path: new URL(e.url).pathname + new URL(e.url).search, ms: e.end - e.start })),
      renderAfterApi: measured.painted - apiEnd,
      downloads,
    };
  } finally {
    await context.close();
  }
}

async function measureScreen(name, session, path, marks) {
  log(`${name}: ${runs} first renders of ${path} (fresh context each), waiting for ${JSON.stringify(marks)}`);
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await firstRender(session, path, marks);
    const others = marks.slice(1).map((m) => `, ${m.name} at ${r.marks[m.name].toFixed(0)} ms`).join("");
    log(`  ${name} run ${i + 1}: painted at ${r.painted.toFixed(0)} ms${others} (script ${r.scriptEnd.toFixed(0)}, ` +
        `last API answer ${r.apiEnd.toFixed(0)} ms over ${r.apiCalls.length} calls, render ${r.renderAfterApi.toFixed(0)} ms)`);
    results.push(r);
  }
  const scripts = results[0].downloads.filter((d) => d.type === "script");
  return {
    path,
    painted: summary(results.map((r) => r.painted)),
    marks: Object.fromEntries(marks.map((m) => [m.name, summary(results.map((r) => r.marks[m.name]))])),
    scriptEnd: summary(results.map((r) => r.scriptEnd)),
    apiEnd: summary(results.map((r) => r.apiEnd)),
    renderAfterApi: summary(results.map((r) => r.renderAfterApi)),
    apiCallsFirstRun: results[0].apiCalls,
    scripts: scripts.map((d) => ({ url: new URL(d.url).pathname, encoding: d.encoding, bytes: d.bodyBytes, acceptEncoding: d.acceptEncoding })),
    scriptBytes: scripts.reduce((s, d) => s + d.bodyBytes, 0),
    runs: results.map((r) => r.painted),
  };
}

// The API calls a screen made before its first paint, again without the browser: each
// timed CEILING_ROUNDS times (the median kept); their sum is what they cost one after the
// other, the largest what the slowest costs alone (calls made together overlap).
async function apiCeiling(session, calls) {
  const out = [];
  for (const call of calls) {
    const times = [];
    for (let i = 0; i < ceilingRounds; i++) times.push((await timedGet(session, call.path)).ms);
    out.push({ path: call.path, ms: quantile(times, 0.5) });
  }
  return { calls: out, sum: out.reduce((s, c) => s + c.ms, 0), max: Math.max(0, ...out.map((c) => c.ms)) };
}

// ---------------------------------------------------------------------------------------
// Search as you type.

// A small seeded generator, so that two runs type the same words.
function rng(s) {
  let x = s >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

// The words a founder types: her contacts' last names, first names and "first last", as
// the API lists them (a few pages from the most recent), until KEYSTROKES keys.
async function searchWords(session) {
  const people = [];
  let cursor = null;
  for (let i = 0; i < 4; i++) {
    const r = await timedGet(session, `/api/v1/contacts?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    people.push(...r.body.items.filter((c) => c.first_name && c.last_name));
    cursor = r.body.next_cursor;
    if (!cursor) break;
  }
  const random = rng(seed);
  const words = [];
  let keys = 0;
  while (keys < keystrokes && people.length > 0) {
    const c = people[Math.floor(random() * people.length)];
    const kind = random();
    const word = kind < 0.5 ? c.last_name : kind < 0.8 ? c.first_name : `${c.first_name} ${c.last_name}`;
    words.push(word);
    keys += [...word].length;
  }
  return words;
}

const searchPath = (q) => `/api/v1/contacts?limit=50${q ? `&q=${encodeURIComponent(q)}` : ""}`;
const fullName = (c) => [c.first_name, c.last_name].filter(Boolean).join(" ");

async function measureSearch(session, words) {
  const context = await freshContext(session, [{ name: "box", content: [["#contacts-search", ""]] }]);
  const page = await context.newPage();
  await page.goto(base + "/contacts");
  const box = page.locator("#contacts-search");
  await box.waitFor();
  await page.waitForFunction(() => window.__bench.shows.some((s) => s.query === "" && s.painted));
  const typed = [];  // one per keystroke: the input's value after it
  const shown = async (value, timeout = 30000) =>
    page.waitForFunction((v) => window.__bench.shows.some((s) => s.query === v && s.painted), value, { timeout, polling: 20 });
  log(`search: typing ${words.length} words one key at a time, ${delayMs} ms apart`);
  for (const word of words) {
    await box.click();
    let value = "";
    for (const ch of word) {
      await page.keyboard.type(ch);
      value += ch;
      typed.push(value);
      await sleep(delayMs);
    }
    // The word's last results, then an empty box (its answer awaited, not counted).
    await shown(value).catch(() => log(`  no results shown for "${value}"`));
    await box.fill("");
    await shown("").catch(() => {});
    await page.evaluate(() => { window.__bench.mark = window.__bench.inputs.length; });
  }
  const { inputs, shows, entries } = await page.evaluate(() => ({
    inputs: window.__bench.inputs,
    shows: window.__bench.shows,
    entries: performance.getEntriesByType("resource")
      .filter((e) => e.name.includes("/api/v1/contacts?"))
      .map((e) => ({ url: e.name, start: e.startTime, end: e.responseEnd })),
  }));
  await context.close();

  // Each keystroke: from its input event to the first frame painting the results of the
  // box's value then; if another keystroke came first, it was not answered in time.
  const keys = inputs.filter((e) => e.value !== "");
  const latencies = [];
  const apiTimes = [];
  const renderTimes = [];
  let superseded = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const next = inputs.find((e) => e.at > k.at);
    const show = shows.find((s) => s.query === k.value && s.committed >= k.at);
    if (!show || (next && show.committed > next.at)) {
      superseded += 1;
      latencies.push(Infinity);
      continue;
    }
    latencies.push(show.painted - k.at);
    const q = k.value.trim();
    const request = entries.find((e) => e.start >= k.at && new URL(e.url).searchParams.get("q") === q);
    if (request) {
      apiTimes.push(request.end - request.start);
      renderTimes.push(show.painted - request.end);
    }
  }
  // Stale: results painted while the box already held another value (an older keystroke's
  // answer arriving after a newer keystroke).
  const stale = shows.filter((s) => s.inputValue !== null && s.query !== s.inputValue).map((s) => ({ query: s.query, box: s.inputValue }));
  return { keys: keys.length, typed, latencies, superseded, stale, shows, apiTimes, renderTimes };
}

// What the app showed for each query is what the API answers for it (the first name).
async function searchCeiling(session, queries, shows) {
  const times = [];
  const wrong = [];
  const firstOf = new Map();
  for (let round = 0; round < ceilingRounds; round++) {
    for (const q of queries) {
      const r = await timedGet(session, searchPath(q.trim()));
      times.push(r.ms);
      if (round === 0) firstOf.set(q, r.body.items[0] ? fullName(r.body.items[0]) || "(no name)" : null);
    }
  }
  for (const s of shows) {
    if (!firstOf.has(s.query)) continue;
    const expected = firstOf.get(s.query);
    if (expected !== null && s.first !== expected && s.first !== "(no name)") wrong.push({ query: s.query, shown: s.first, api: expected });
  }
  return { times, wrong };
}

// ---------------------------------------------------------------------------------------
// The JavaScript a first load downloads, as sent (the encoding the daemon chose for what
// Chromium accepts) and as gzip -9 and brotli -q 11 would make it.

async function bundleSizes(screens) {
  const urls = new Set(screens.flatMap((s) => s.scripts.map((x) => x.url)));
  const out = [];
  for (const url of urls) {
    const raw = Buffer.from(await (await fetch(base + url, { headers: { "Accept-Encoding": "identity" } })).arrayBuffer());
    const brResponse = await fetch(base + url, { headers: { "Accept-Encoding": "br" } });
    out.push({
      url,
      raw: raw.length,
      gzip: gzipSync(raw, { level: 9 }).length,
      brotli: brotliCompressSync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      brotliServed: brResponse.headers.get("content-encoding") === "br",
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------

try {
  const founderSession = await login(founder);
  const staffSession = await login(staff);
  const me = (await timedGet(founderSession, "/api/v1/me")).body;

  // The content each screen waits for, named: on the board, the most recently updated lead
  // in its column (its first cards), and the last of the 1,000 it shows (all its cards);
  // the first contact of the list; the dashboard's funnel total with its four reports.
  const boardLeads = [];
  for (let cursor = null; boardLeads.length < 1000;) {
    const page = (await timedGet(founderSession,
      `/api/v1/leads?limit=200&sort=-updated_at${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)).body;
    boardLeads.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  if (boardLeads.length === 0) throw new Error("the founder has no lead");
  const card = (lead) => [[`[data-stage="${lead.stage}"] [data-lead="${lead.id}"] a`, lead.title ?? ""]];
  const firstContact = (await timedGet(founderSession, "/api/v1/contacts?limit=50")).body.items[0];
  const funnel = await timedGet(staffSession, "/api/v1/reports/funnel");
  const total = new Intl.NumberFormat("en-US").format(funnel.body.overall.leads);
  log(`founder ${me.email} (${me.organisation?.name ?? me.org_id}); the board shows ${boardLeads.length} leads`);

  const screens = {};
  screens.board = await measureScreen("board", founderSession, "/pipeline", [
    { name: "first cards", content: card(boardLeads[0]) },
    { name: `all ${boardLeads.length} cards`, content: card(boardLeads[boardLeads.length - 1]) },
  ]);
  screens.contacts = await measureScreen("contacts", founderSession, "/contacts",
    [{ name: "first contacts", content: [["#contacts-results .name", fullName(firstContact)]] }]);
  screens.dashboard = await measureScreen("dashboard", staffSession, "/dashboard", [{
    name: "four reports",
    content: [["#funnel-title", "Funnel"], ["figcaption", `(${total} leads)`], ["section.report h2", "Outcomes"],
              ["section.report h2", "Follow-up discipline"], ["section.report h2", "Stale"], [".report svg", ""],
              ["#funnel-table tbody th", funnel.body.overall.stages[0]?.stage ?? ""]],
  }]);
  for (const [name, s] of Object.entries(screens)) {
    s.ceiling = await apiCeiling(name === "dashboard" ? staffSession : founderSession, s.apiCallsFirstRun);
    log(`${name}: API alone ${s.ceiling.sum.toFixed(0)} ms in all, slowest call ${s.ceiling.max.toFixed(0)} ms`);
  }

  const words = await searchWords(founderSession);
  const search = await measureSearch(founderSession, words);
  const queries = [...new Set(search.typed)];
  const ceiling = await searchCeiling(founderSession, queries, search.shows);
  log(`search: ${search.keys} keystrokes, ${search.superseded} not answered before the next one, ` +
      `${search.stale.length} stale result lists, ${ceiling.wrong.length} lists unlike the API's answer`);

  const bundles = await bundleSizes(Object.values(screens));
  console.log(JSON.stringify({
    founder: me.email,
    runs, keystrokes: search.keys, delayMs,
    screens,
    search: {
      latency: summary(search.latencies),
      superseded: search.superseded,
      stale: search.stale,
      wrong: ceiling.wrong,
      apiInPage: summary(search.apiTimes),
      renderAfterApi: summary(search.renderTimes),
      apiAlone: summary(ceiling.times),
      queries: queries.length,
      words: words.length,
    },
    bundles,
  }, (k, v) => (v === Infinity ? "Infinity" : v)));
} finally {
  await browser.close();
}
