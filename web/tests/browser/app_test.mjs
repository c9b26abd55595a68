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
import { accessible, base, check, env, inChromium, shot, spaces } from "./support.mjs";

const email = env("RELANCE_FOUNDER_EMAIL");
const password = env("RELANCE_FOUNDER_PASSWORD");
const staffEmail = env("RELANCE_STAFF_EMAIL");
const staffPassword = env("RELANCE_STAFF_PASSWORD");
const contactId = env("RELANCE_CONTACT_ID");       // Zoé Lefèvre-Château's

await inChromium(async (context, page, problems) => {
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
});
