// From a founder's browser to region staff's, end to end (issue 16's scenario): headless
// Chromium driven by playwright-core against a daemon that
// tests/integration/web_founder_staff_browser_test.cpp started and seeded through the API
// (the region's mission, a start-up, Étoile Robotique, with one lead of the mission already
// at "meeting").
//   node founder_to_staff_test.mjs   (settings in the environment, see below)
// Two people, two browsers (two profiles: two sessions). Region staff log in, open the
// dashboard filtered on the mission and read Étoile Robotique's funnel figure for
// "meeting". The founder, in her own browser, quick-adds a contact met at the mission (a
// name, an email and a phone of words found nowhere else), turns it into a lead from the
// board (the lead inherits the contact's mission), drags it to "Rendez-vous" and logs the
// meeting on its page. Staff apply the filters again: the start-up's "meeting" figure is one
// higher, as the reports API says; and no page of the dashboard (filtered or not), no answer
// it received and no file its export buttons download (CSV and Excel, unzipped) holds any of
// the contact's words. Screenshots go to ARTIFACTS. Prints "browser test passed" last.
import { readFile } from "node:fs/promises";
import { inflateRawSync } from "node:zlib";

import { accessible, base, check, env, inChromium, openContext, shot, spaces, watchedPage } from "./support.mjs";

const founderEmail = env("RELANCE_FOUNDER_EMAIL");
const founderPassword = env("RELANCE_FOUNDER_PASSWORD");
const staffEmail = env("RELANCE_STAFF_EMAIL");
const staffPassword = env("RELANCE_STAFF_PASSWORD");
const missionId = env("RELANCE_MISSION_ID");
const missionName = env("RELANCE_MISSION_NAME");
const startup = env("RELANCE_STARTUP_NAME");

// The contact the founder meets: every word of it is unique to this test.
const person = { first: "Quillonde", last: "Zabrowitz-Ferrandière", email: "quillonde.zabrowitz@brume-capital.example",
                 phone: "+1 408 555 0173" };
const secrets = ["Quillonde", "Zabrowitz", "Ferrandière", "quillonde.zabrowitz", "brume-capital", "4085550173", "408 555 0173"];
const leadTitle = "Pilote de robots d'entrepôt";

async function logIn(page, email, password) {
  await page.goto(base + "/");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("button", { name: "Se déconnecter" }).waitFor();
}

// The text of every file of a zip (an .xlsx): its central directory read, each entry inflated.
function unzippedText(zip) {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) return "";
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  let text = "";
  for (let i = 0; i < entries && zip.readUInt32LE(at) === 0x02014b50; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    text += (method === 8 ? inflateRawSync(data) : data).toString("utf8");
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return text;
}

await inChromium(async (staffContext, staff, problems) => {
  // Every answer of the API the staff's page receives, to look for the contact's words in them.
  const answers = [];
  staff.on("response", (r) => {
    if (new URL(r.url()).pathname.startsWith("/api/")) answers.push(r.text().then((t) => ({ url: r.url(), t }), () => ({ url: r.url(), t: "" })));
  });
  const noSecretsOnPage = async (what) => {
    const text = await staff.evaluate(() => document.body.innerText);
    const html = await staff.content();
    for (const word of secrets) check(!text.includes(word) && !html.includes(word), `${what} does not hold "${word}"`);
  };

  // Staff: the dashboard, then the mission's figures.
  await logIn(staff, staffEmail, staffPassword);
  await staff.getByRole("navigation").getByRole("link", { name: "Tableau de bord" }).click();
  await staff.getByRole("heading", { level: 1, name: "Tableau de bord de la région" }).waitFor();
  await staff.locator("#funnel-startups-table").getByRole("rowheader", { name: startup }).waitFor();
  await noSecretsOnPage("the dashboard of every mission");
  // The mission's figures: picked in the filters, applied (the page's address holds no filter).
  const openMission = async () => {
    await staff.getByLabel("Mission ou salon").selectOption({ label: missionName });
    const asked = staff.waitForResponse((r) => r.url().includes("/api/v1/reports/funnel") && r.url().includes(`event_id=${missionId}`));
    await staff.getByRole("button", { name: "Appliquer les filtres" }).click();
    await asked;
  };
  await openMission();
  // The start-up's figure for a stage, as its row and the table's header say.
  const figure = (stage) => staff.evaluate(([name, st]) => {
    const table = document.querySelector("#funnel-startups-table");
    const column = [...table.querySelectorAll("thead th")].findIndex((th) => th.textContent.trim() === st);
    const row = [...table.querySelectorAll("tbody tr")].find((tr) => tr.querySelector("th")?.textContent.trim() === name);
    return row && column >= 0 ? row.children[column].textContent.trim() : null;
  }, [startup, stage]);
  const funnelOfMission = async () =>
    (await staff.request.get(`${base}/api/v1/reports/funnel?event_id=${missionId}`)).json();
  const meetingsOf = (funnel) =>
    funnel.startups.find((s) => s.org_name === startup)?.stages.find((s) => s.stage === "meeting")?.leads ?? 0;
  const apiBefore = meetingsOf(await funnelOfMission());
  await staff.waitForFunction(([n]) => document.querySelector("#funnel-startups-table")?.textContent.includes(n), [startup]);
  const before = await figure("meeting");
  check(before === String(apiBefore) && apiBefore === 1,
        `before: ${startup} has ${before} lead(s) at "meeting" for the mission (the API: ${apiBefore})`);
  await shot(staff, "founder-staff-dashboard-before");

  // The founder, in her own browser.
  const founderBrowser = await openContext();
  try {
    const founder = await watchedPage(founderBrowser.context, problems);
    const apiGet = async (path) => (await founderBrowser.context.request.get(base + path)).json();
    await logIn(founder, founderEmail, founderPassword);

    // Quick add: the contact met at the mission.
    await founder.getByRole("navigation").getByRole("link", { name: "Ajout rapide" }).click();
    await founder.getByLabel("Prénom").fill(person.first);
    await founder.getByLabel("Nom", { exact: true }).fill(person.last);
    await founder.getByLabel("E-mail").fill(person.email);
    await founder.getByLabel("Téléphone").fill(person.phone);
    await founder.getByLabel("Mission (étiquette)").selectOption({ label: missionName });
    await founder.getByRole("button", { name: "Enregistrer" }).click();
    await founder.getByText(`Enregistré : ${person.first} ${person.last}.`).waitFor();
    const contacts = await apiGet(`/api/v1/contacts?q=${encodeURIComponent(person.first)}`);
    const contact = contacts.items[0];
    check(contacts.items.length === 1 && String(contact?.source_event_id) === missionId,
          `the contact is kept, met at the mission: ${JSON.stringify(contact?.source_event_id)}`);

    // The board: a lead of that contact, dragged to "Rendez-vous".
    await founder.getByRole("navigation").getByRole("link", { name: "Pipeline" }).click();
    await founder.getByRole("heading", { level: 1, name: "Pipeline" }).waitFor();
    await founder.getByRole("button", { name: "Nouvelle piste" }).click();
    await founder.getByLabel("Chercher un contact").fill("Zabrowitz");
    const fullName = `${person.first} ${person.last}`;
    await founder.getByLabel("Contact", { exact: true }).locator("option", { hasText: fullName }).waitFor({ state: "attached" });
    await founder.getByLabel("Contact", { exact: true }).selectOption({ label: fullName });
    await founder.getByLabel("Titre de la piste").fill(leadTitle);
    await founder.getByRole("button", { name: "Créer la piste" }).click();
    const column = (stage) => founder.locator(`[data-stage="${stage}"]`);
    const card = column("new").locator("li", { has: founder.getByRole("link", { name: leadTitle }) });
    await card.waitFor();
    const leads = await apiGet(`/api/v1/leads?contact_id=${contact?.id}`);
    const lead = leads.items[0];
    check(leads.items.length === 1 && String(lead?.source_event_id) === missionId && lead?.stage === "new",
          `the lead is the mission's, at the first stage: ${JSON.stringify({ event: lead?.source_event_id, stage: lead?.stage })}`);
    const moved = founder.waitForResponse((r) => r.url().endsWith(`/api/v1/leads/${lead?.id}`) && r.request().method() === "PATCH");
    await card.dragTo(column("meeting").locator("ul"));
    check((await moved).status() === 200, "the drop to Rendez-vous is the API's stage change");
    await column("meeting").getByRole("link", { name: leadTitle }).waitFor();
    await shot(founder, "founder-staff-board");

    // The meeting, logged on the lead's page.
    await founder.getByRole("link", { name: leadTitle }).click();
    await founder.getByRole("heading", { level: 1, name: leadTitle }).waitFor();
    await founder.getByLabel("Objet").fill("Démonstration au stand 🤖");
    await founder.getByRole("button", { name: "Enregistrer le rendez-vous" }).click();
    await founder.getByText("Démonstration au stand 🤖").waitFor();
    const meetings = await apiGet(`/api/v1/activities?lead_id=${lead?.id}&kind=meeting`);
    check(meetings.items.length === 1, `the meeting is logged on the lead: ${meetings.items.length}`);
  } finally {
    await founderBrowser.close();
  }

  // Staff again: the dashboard read anew, the mission's figures count the lead.
  await staff.reload();
  await staff.locator("#funnel-startups-table").getByRole("rowheader", { name: startup }).waitFor();
  await openMission();
  const expected = String(apiBefore + 1);
  await staff.waitForFunction(([name, want]) => {
    const table = document.querySelector("#funnel-startups-table");
    const column = [...table.querySelectorAll("thead th")].findIndex((th) => th.textContent.trim() === "meeting");
    const row = [...table.querySelectorAll("tbody tr")].find((tr) => tr.querySelector("th")?.textContent.trim() === name);
    return row?.children[column]?.textContent.trim() === want;
  }, [startup, expected]).catch(() => undefined);  // the check below says what the table showed
  const after = await figure("meeting");
  const apiAfter = meetingsOf(await funnelOfMission());
  check(after === expected && apiAfter === apiBefore + 1,
        `after: ${startup}'s "meeting" went from ${before} to ${after} (the API: ${apiAfter})`);
  // Each report is painted as it arrives: all four before the checks of the whole page.
  for (const table of ["#outcomes-startups-table", "#discipline-table", "#stale-table"]) await staff.locator(table).waitFor();
  await accessible(staff, "dashboard (mission)");
  await shot(staff, "founder-staff-dashboard-after");
  await noSecretsOnPage("the mission's dashboard");

  // Every export button of the dashboard: the files hold none of the contact's words.
  const exportLinks = staff.getByRole("link", { name: /^Exporter en / });
  const count = await exportLinks.count();
  check(count >= 4, `the dashboard has export buttons: ${count}`);
  for (let i = 0; i < count; i++) {
    const link = exportLinks.nth(i);
    const [download] = await Promise.all([staff.waitForEvent("download"), link.click()]);
    const bytes = await readFile(await download.path());
    const url = new URL(download.url());
    const text = url.searchParams.get("format") === "xlsx" ? unzippedText(bytes) : bytes.toString("utf8");
    check(text.length > 0 && url.searchParams.get("event_id") === missionId,
          `the export ${url.pathname} (${url.searchParams.get("format")}) is the mission's, read: ${text.length} characters`);
    if (url.pathname.endsWith("/funnel"))  // the file was read: it names the start-up
      check(text.includes(startup), `the funnel's ${url.searchParams.get("format")} names ${startup}`);
    const leak = secrets.find((w) => text.includes(w) || spaces(text).includes(w));
    check(leak === undefined, `the export ${url.pathname} (${url.searchParams.get("format")}) holds none of the contact's words${leak ? `: ${leak}` : ""}`);
  }

  const received = await Promise.all(answers);
  check(received.length > 5, `the staff page's API answers were read: ${received.length}`);
  for (const word of secrets) {
    const leak = received.find((a) => a.t.includes(word));
    check(leak === undefined, `no answer the staff page received holds "${word}"${leak ? `: ${leak.url}` : ""}`);
  }
  check(problems.length === 0, `no script error and no Content-Security-Policy violation: ${JSON.stringify(problems)}`);
});
