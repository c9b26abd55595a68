// The web app in a real browser: Debian's headless Chromium driven by playwright-core, against
// a daemon that tests/integration/web_browser_test.cpp started and seeded through the API.
//   node app_test.mjs   (settings in the environment, see below)
// A French browser opens the app: French login screen; a wrong password is refused in words;
// the founder logs in (session cookie HttpOnly, SameSite=Lax, Path=/, not readable by
// scripts); the page's Content-Security-Policy and headers hold and nothing violates them;
// typing an accented name searches at every keystroke and drops a late stale answer; the
// contact opens at an address holding only its id, with French labels and "1 234,56 €";
// English reads "€1,234.56"; logout clears the cookie. Region staff log in to a shell that
// names their role and does not find the start-up's contact (its lead is not shared); when
// their session ends elsewhere, the next call brings the login screen back. axe-core finds no serious or critical
// violation on the login, contacts and contact screens. Screenshots go to ARTIFACTS.
// Prints "browser test passed" last; any failed check exits 1 with what differed.
import { createRequire } from "node:module";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const base = env("RELANCE_URL");                    // http://127.0.0.1:PORT
const email = env("RELANCE_FOUNDER_EMAIL");
const password = env("RELANCE_FOUNDER_PASSWORD");
const staffEmail = env("RELANCE_STAFF_EMAIL");
const staffPassword = env("RELANCE_STAFF_PASSWORD");
const contactId = env("RELANCE_CONTACT_ID");       // Zoé Lefèvre-Château's
const artifacts = env("RELANCE_ARTIFACTS");         // screenshots
const chromiumPath = env("RELANCE_CHROMIUM");       // /usr/bin/chromium
const nodeModules = env("RELANCE_WEB_NODE_MODULES");

const require = createRequire(join(nodeModules, "noop.js"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let failures = 0;
function check(condition, what) {
  if (condition) {
    console.log(`ok - ${what}`);
  } else {
    failures += 1;
    console.log(`FAILED - ${what}`);
  }
}
// French number formatting puts narrow and ordinary no-break spaces where a reader sees spaces.
const spaces = (s) => s.replace(/[\u00a0\u202f]/g, " ");

async function accessible(page, screen) {
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

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

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
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  // What the Content-Security-Policy refused, and scripts' errors (a 401 the app expects,
  // such as /api/v1/me before logging in, is no problem).
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.setDefaultTimeout(10000);

  // The page and its headers.
  const first = await page.goto(base + "/");
  const headers = first.headers();
  const csp = headers["content-security-policy"] ?? "";
  check(csp.includes("default-src 'self'") && csp.includes("frame-ancestors 'none'") && csp.includes("base-uri 'none'") &&
        csp.includes("object-src 'none'") && !csp.includes("unsafe-inline"),
        `the page's Content-Security-Policy is strict: ${csp}`);
  check(headers["x-content-type-options"] === "nosniff", "X-Content-Type-Options: nosniff");
  check(headers["referrer-policy"] === "no-referrer", "Referrer-Policy: no-referrer");
  check(headers["cache-control"] === "no-cache", "index.html: Cache-Control: no-cache");

  // Login, in French (the browser's language).
  await page.getByRole("heading", { name: "Connexion" }).waitFor();
  check(await page.getByLabel("Adresse e-mail").isVisible(), "the login screen labels its fields in French");
  check((await page.evaluate(() => document.documentElement.lang)) === "fr", "the page says it is in French");
  await accessible(page, "login");
  await shot(page, "login");

  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill("not-the-password");
  await page.getByRole("button", { name: "Se connecter" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  check((await alert.textContent()).includes("Adresse e-mail ou mot de passe incorrect"), "a wrong password is refused in words");
  await shot(page, "login-refused");

  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Contacts" }).waitFor();
  const cookie = (await context.cookies(base)).find((c) => c.name === "relance_session");
  check(cookie !== undefined, "logging in set the session cookie");
  check(cookie?.httpOnly === true && cookie?.sameSite === "Lax" && cookie?.path === "/" && cookie?.secure === false,
        `the cookie is HttpOnly, SameSite=Lax, Path=/ (not Secure over plain http): ${JSON.stringify(cookie)}`);
  check(!(await page.evaluate(() => document.cookie)).includes("relance_session"), "no script reads the session cookie");
  check(new URL(page.url()).pathname === "/contacts", `the founder lands on the contacts: ${page.url()}`);

  // Instant search: a request per keystroke; a late answer to an old keystroke is dropped.
  const searches = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname === "/api/v1/contacts" && u.searchParams.has("q")) searches.push(u.searchParams.get("q"));
  });
  let delayed = false;
  await page.route((u) => u.pathname === "/api/v1/contacts" && u.searchParams.get("q") === "L", async (route) => {
    delayed = true;
    await new Promise((r) => setTimeout(r, 1500));
    await route.fulfill({
      status: 200, contentType: "application/json",
      body: JSON.stringify({ items: [{ id: 999999, first_name: "Réponse", last_name: "Périmée" }], next_cursor: null }),
    }).catch(() => undefined);  // the app aborted it: nobody listens any more
  });
  const box = page.getByLabel("Rechercher un contact");
  await box.click();
  const typed = "Lefèvre";
  await page.keyboard.type(typed, { delay: 80 });
  await page.getByRole("link", { name: /Zoé Lefèvre-Château/ }).waitFor();
  await page.waitForTimeout(1800);  // past the stale answer's arrival
  check(delayed, "the first keystroke's answer was held back");
  check(await page.getByText("Périmée").count() === 0, "the late answer to the first keystroke is not shown");
  check(searches.length >= typed.length, `every keystroke asked the API: ${JSON.stringify(searches)}`);
  check(searches.at(-1) === typed, `the last search is the whole word, accents kept: ${searches.at(-1)}`);
  check(await page.getByRole("link", { name: /Marc Dupont/ }).count() === 0, "a contact that does not match is not listed");
  check(!page.url().includes("Lef"), "the search text stays out of the page's address");
  await accessible(page, "contacts");
  await shot(page, "contacts");

  // The contact's page.
  await page.getByRole("link", { name: /Zoé Lefèvre-Château/ }).click();
  await page.getByRole("heading", { level: 1, name: "Zoé Lefèvre-Château" }).waitFor();
  check(new URL(page.url()).pathname === `/contacts/${contactId}`, `the contact's address holds its id only: ${page.url()}`);
  for (const label of ["Coordonnées", "Entreprise", "Pistes", "Valeur attendue", "Étape"])
    check(await page.getByText(label, { exact: true }).count() > 0, `French label "${label}"`);
  const body = spaces(await page.locator("main").innerText());
  check(body.includes("1 234,56 €"), "the lead's value reads 1 234,56 € in French");
  check(body.includes("Société Générale d'Électronique"), "the contact's company is named");
  await accessible(page, "contact");
  await shot(page, "contact");

  // English.
  await page.getByLabel("Langue").selectOption("en");
  await page.getByRole("heading", { name: "Details" }).waitFor();
  const english = spaces(await page.locator("main").innerText());
  check(english.includes("€1,234.56"), "in English the value reads €1,234.56");
  check(await page.getByRole("link", { name: "Back to contacts" }).isVisible(), "English labels after the switch");
  await shot(page, "contact-en");

  // A phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole("link", { name: "Back to contacts" }).click();
  await page.getByLabel("Search contacts").waitFor();
  await shot(page, "contacts-phone");
  await page.setViewportSize({ width: 1280, height: 800 });

  // Keyboard: on a fresh page the skip link is the first stop, and takes the focus to the content.
  await page.reload();
  await page.getByLabel("Search contacts").waitFor();
  await page.keyboard.press("Tab");
  check((await page.evaluate(() => document.activeElement?.textContent)) === "Skip to content", "the first Tab stop is the skip link");
  await page.keyboard.press("Enter");
  check((await page.evaluate(() => document.activeElement?.id)) === "main", "the skip link takes the focus to the content");

  // Logout.
  await page.getByRole("button", { name: "Log out" }).click();
  await page.getByRole("heading", { name: "Log in" }).waitFor();
  const after = (await context.cookies(base)).find((c) => c.name === "relance_session");
  check(after === undefined, "logging out cleared the cookie");

  // Region staff: their role in the shell, and no contact of a lead not shared with the region.
  await page.getByLabel("Email").fill(staffEmail);
  await page.getByLabel("Password").fill(staffPassword);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByText("Region staff").waitFor();
  check(await page.getByText("Organisation admin").count() === 0, "the shell names the staff member's role, not the founder's");
  await page.getByLabel("Search contacts").fill("Lefèvre");
  await page.getByText("No contact matches.").waitFor();
  check(await page.getByText("Zoé").count() === 0, "region staff do not find the contact of a lead not shared with them");
  await shot(page, "contacts-staff");

  // A session ended elsewhere (another tab logs out: the context shares the cookie) brings the
  // login screen back at the next call.
  const elsewhere = await context.request.post(base + "/api/v1/auth/logout", { headers: { Origin: base } });
  check(elsewhere.status() === 204, `another tab logged out: ${elsewhere.status()}`);
  await page.getByLabel("Search contacts").fill("Dupont");
  await page.getByRole("heading", { name: "Log in" }).waitFor();
  check(true, "a session ended elsewhere brings the login screen back");

  check(problems.length === 0, `no script error and no Content-Security-Policy violation: ${JSON.stringify(problems)}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures > 0) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
console.log("browser test passed");
