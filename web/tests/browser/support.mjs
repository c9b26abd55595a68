// What every browser test of the web app shares: its settings from the environment, a
// check() that counts failures, axe-core, screenshots, Debian's headless Chromium with the
// flags this closed network needs, and the verdict line the C++ side waits for
// (tests/integration/browser_script.hpp runs a script and reads it).
import { createRequire } from "node:module";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
export const base = env("RELANCE_URL");              // http://127.0.0.1:PORT
const artifacts = env("RELANCE_ARTIFACTS");          // screenshots
const chromiumPath = env("RELANCE_CHROMIUM");        // /usr/bin/chromium
const nodeModules = env("RELANCE_WEB_NODE_MODULES");

// The npm packages the build installed (web/package-lock.json), resolved from its tree.
export const require = createRequire(join(nodeModules, "noop.js"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let failures = 0;
export function check(condition, what) {
  if (condition) {
    console.log(`ok - ${what}`);
  } else {
    failures += 1;
    console.log(`FAILED - ${what}`);
  }
}
// French number formatting puts narrow and ordinary no-break spaces where a reader sees spaces.
export const spaces = (s) => s.replace(/[\u00a0\u202f]/g, " ");

// axe-core on the page as it is: every violation printed, serious and critical ones failed.
export async function accessible(page, screen) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of violations) console.log(`  axe ${screen}: ${v.impact} ${v.id} (${v.nodes}): ${v.help}`);
  check(serious.length === 0, `axe-core: no serious or critical violation on the ${screen} screen`);
}

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

// A fresh headless Chromium profile (French, Paris time and a desktop viewport unless
// `options` say otherwise): its context, and close(), which ends it and removes the profile.
// inChromium opens the first; a scenario with two people at two browsers opens the other.
export async function openContext(options = {}) {
  mkdirSync(artifacts, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "relance-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--no-first-run"],
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    viewport: { width: 1280, height: 800 },
    ...options,
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

// The context's first page, with what the Content-Security-Policy refused and scripts'
// errors collected into `problems` (a 401 the app expects, such as /api/v1/me before logging
// in, is no problem).
export async function watchedPage(context, problems) {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.setDefaultTimeout(10000);
  return page;
}

// Runs `scenario(context, page, problems)` in a fresh profile (openContext), then prints the
// verdict and exits 1 on any failed check. A scenario checks `problems` (watchedPage) is
// empty where it wants.
export async function inChromium(scenario, options = {}) {
  const { context, close } = await openContext(options);
  try {
    const problems = [];
    const page = await watchedPage(context, problems);
    await scenario(context, page, problems);
  } finally {
    await close();
  }
  if (failures > 0) {
    console.log(`${failures} check(s) failed`);
    process.exit(1);
  }
  console.log("browser test passed");
}
