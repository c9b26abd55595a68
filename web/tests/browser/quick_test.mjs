// Quick add on a phone, imports and exports, in headless Chromium against a daemon that
// tests/integration/web_quick_browser_test.cpp started and seeded (a founder, a company, the
// region's missions). On a 390x844 viewport:
// - the founder logs in and lands on quick add, the first field focused; types a contact,
//   picks the company from the type-ahead, keeps the preset mission, adds a card photo (a
//   PNG written here), presses Enter: "saved" and a blank form, well under 10 seconds; the
//   contact, its company, mission tag and photo (byte for byte) are there through the API;
// - offline (context.setOffline), two quick adds are kept and shown as waiting; back
//   online they are sent, the first contact's answer lost after the server handled it
//   (the request aborted once it came back), and exactly two contacts exist;
// - a quick add kept offline is forgotten at logout (the browser's storage is empty);
// - an import of a small CSV with accents: preview, dry run report (nothing written),
//   import, result, the contacts there with their accents;
// - an export downloads a CSV that python3's csv module reads with the right rows;
// - axe-core finds no serious violation on quick add, imports and exports; screenshots.
// Prints "browser test passed" last; any failed check exits 1.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { accessible, base, check, env, inChromium, shot } from "./support.mjs";

const email = env("RELANCE_FOUNDER_EMAIL");
const password = env("RELANCE_FOUNDER_PASSWORD");
const companyName = env("RELANCE_COMPANY_NAME");    // Société Générale d'Électronique
const companyId = Number(env("RELANCE_COMPANY_ID"));
const missionId = Number(env("RELANCE_MISSION_ID")); // the region's latest mission
const missionName = env("RELANCE_MISSION_NAME");

const work = mkdtempSync(join(tmpdir(), "relance-quick-"));
// A 2x2 PNG (a real one: signature, IHDR, IDAT, IEND).
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==", "base64");
const photoPath = join(work, "carte-zoé.png");
writeFileSync(photoPath, png);

// The API as the signed-in page sees it (the session cookie).
const apiGet = (page, path) => page.evaluate(async (p) => {
  const r = await fetch(p, { credentials: "same-origin" });
  const type = r.headers.get("content-type") ?? "";
  if (type.startsWith("application/json")) return { status: r.status, json: await r.json() };
  const bytes = new Uint8Array(await r.arrayBuffer());
  return { status: r.status, type, bytes: Array.from(bytes) };
}, path);
const contactsNamed = async (page, q) => (await apiGet(page, `/api/v1/contacts?q=${encodeURIComponent(q)}`)).json.items;

async function logIn(page) {
  await page.goto(base + "/");
  const form = page.getByLabel("Adresse e-mail");
  const screen = page.getByRole("heading", { name: "Ajout rapide" });
  await form.or(screen).first().waitFor();
  // A logout made offline could not end the session on the server: it is still open.
  if (await screen.isVisible()) return;
  await form.fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("heading", { name: "Ajout rapide" }).waitFor();
}

async function quickAdd(page, first, last, extra = async () => undefined) {
  await page.getByLabel("Prénom").fill(first);
  await page.getByLabel("Nom", { exact: true }).fill(last);
  await extra();
  await page.getByLabel("Note").press("Enter");
}

await inChromium(async (context, page, problems) => {
  await logIn(page);
  check(new URL(page.url()).pathname === "/quick-add", `on a phone the founder lands on quick add: ${page.url()}`);
  check(await page.evaluate(() => document.activeElement?.id === "quick-first"), "the first field has the focus");
  // The missions arrive after the screen is shown (its requests leave before the first paint):
  // the choice is preset once they are there.
  const mission = page.getByLabel("Mission (étiquette)");
  await mission.locator(`option[value="${missionId}"]`).waitFor({ state: "attached" });
  check((await mission.inputValue()) === String(missionId), "the mission is preset to the region's latest");
  await accessible(page, "quick add");
  await shot(page, "quick-add");

  // One contact, as at a stand.
  const started = Date.now();
  await quickAdd(page, "Zoé", "Lefèvre-Château", async () => {
    await page.getByLabel("Entreprise").fill("Société");
    await page.locator("#quick-companies option").first().waitFor({ state: "attached" });
    await page.getByLabel("Entreprise").fill(companyName);
    await page.getByLabel("E-mail").fill("zoe@sge.example");
    await page.getByLabel("Téléphone").fill("+1 650 555 0199");
    await page.getByLabel("Photo de la carte de visite (facultatif)").setInputFiles(photoPath);
    await page.getByLabel("Note").fill("Rencontrée au stand 🚀, rappeler lundi");
  });
  await page.getByText("Enregistré : Zoé Lefèvre-Château.").waitFor();
  const seconds = (Date.now() - started) / 1000;
  check(seconds < 10, `typed and saved in ${seconds.toFixed(1)} s (under 10 s, typing included)`);
  check((await page.getByLabel("Prénom").inputValue()) === "" && (await page.getByLabel("Note").inputValue()) === "",
        "the form is blank again");
  check(await page.evaluate(() => document.activeElement?.id === "quick-first"), "the focus is back on the first field");
  await shot(page, "quick-add-saved");

  const [zoe] = await contactsNamed(page, "Lefèvre-Château");
  check(zoe !== undefined, "the contact exists through the API");
  check(zoe?.company_id === companyId, `with the company picked from the type-ahead: ${zoe?.company_id}`);
  check(zoe?.source_event_id === missionId && zoe?.tags?.includes(missionName), `with the mission: ${JSON.stringify(zoe?.tags)}`);
  check(zoe?.emails?.[0] === "zoe@sge.example" && zoe?.phones?.[0] === "+16505550199", "with the email and the phone");
  const files = (await apiGet(page, `/api/v1/contacts/${zoe?.id}/attachments`)).json.items;
  check(files.length === 1 && files[0].content_type === "image/png" && files[0].filename === "carte-zoé.png",
        `with the card's photo: ${JSON.stringify(files)}`);
  const photo = await apiGet(page, `/api/v1/attachments/${files[0]?.id}`);
  check(photo.status === 200 && Buffer.from(photo.bytes ?? []).equals(png), "the photo reads back byte for byte");

  // Offline: two quick adds wait in the browser.
  await context.setOffline(true);
  await quickAdd(page, "Hélène", "Dubois-Ferrand");
  await page.getByText("Pas de réseau : Hélène Dubois-Ferrand est gardé").waitFor();
  await quickAdd(page, "Jean", "Quérard");
  await page.getByText("En attente d'envoi : 2").waitFor();
  const pending = page.getByRole("list", { name: "Contacts en attente d'envoi" });
  check((await pending.textContent()).includes("Hélène Dubois-Ferrand") && (await pending.textContent()).includes("Jean Quérard"),
        "both are shown as waiting");
  await shot(page, "quick-add-offline");

  // Back online; the first contact's answer is lost after the server made it.
  let lost = 0;
  await page.route((u) => u.pathname === "/api/v1/contacts", async (route) => {
    if (route.request().method() !== "POST" || lost > 0) return route.fallback();
    const answer = await route.fetch();
    lost = answer.status();
    await route.abort("connectionreset");
  });
  await context.setOffline(false);
  await page.getByText("Rien en attente d'envoi.").waitFor({ timeout: 30000 });
  check(lost === 201, `the server made the first contact before its answer was lost (${lost})`);
  const helene = await contactsNamed(page, "Dubois-Ferrand");
  const jean = await contactsNamed(page, "Quérard");
  check(helene.length === 1 && jean.length === 1, `exactly two contacts, no duplicate (${helene.length} + ${jean.length})`);
  await page.unroute((u) => u.pathname === "/api/v1/contacts");

  // A quick add kept offline is forgotten at logout.
  await context.setOffline(true);
  await quickAdd(page, "Personne", "Oubliée");
  await page.getByText("En attente d'envoi : 1").waitFor();
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await page.getByRole("heading", { name: "Connexion" }).waitFor();
  check((await page.evaluate(() => localStorage.getItem("relance.quick-add.queue"))) === null, "logout cleared the queue");
  await context.setOffline(false);
  await logIn(page);
  await page.getByText("Rien en attente d'envoi.").waitFor();
  check((await contactsNamed(page, "Oubliée")).length === 0, "the forgotten quick add was never sent");

  // Imports: a small CSV with accents.
  const csvPath = join(work, "salon.csv");
  writeFileSync(csvPath, "\uFEFFPrénom;Nom;E-mail;Ville\r\nÉloïse;Ñúñez-Gaël;eloise@nunez.example;Besançon\r\n" +
                         "Bjørn;Åkesson;bjorn@akesson.example;Tromsø\r\n");
  await page.getByRole("link", { name: "Imports" }).click();
  await page.getByRole("heading", { name: "Importer des contacts" }).waitFor();
  await page.getByLabel("Fichier CSV ou vCard").setInputFiles(csvPath);
  await page.getByRole("cell", { name: "Ñúñez-Gaël" }).waitFor();
  check(await page.getByRole("columnheader", { name: "Prénom" }).isVisible(), "the preview shows the file's columns");
  await accessible(page, "imports");
  await page.getByRole("button", { name: "Essai à blanc" }).click();
  await page.getByText("Essai à blanc : terminé").waitFor();
  const wouldCreate = await page.locator("dt:has-text('Seraient créés') + dd").textContent();
  check(wouldCreate === "2", `the dry run would create 2 contacts (${wouldCreate})`);
  check((await contactsNamed(page, "Åkesson")).length === 0, "the dry run wrote nothing");
  await shot(page, "imports-dry-run");
  await page.getByRole("button", { name: "Importer", exact: true }).click();
  await page.getByText("Import : terminé").waitFor();
  check((await page.locator("dt:has-text('Créés') + dd").textContent()) === "2", "the import created 2 contacts");
  const [eloise] = await contactsNamed(page, "Ñúñez-Gaël");
  check(eloise?.first_name === "Éloïse" && eloise?.city === "Besançon", `imported with the accents: ${JSON.stringify(eloise)}`);
  await shot(page, "imports-done");

  // Exports: the contacts as CSV, read by python3's csv module.
  await page.getByRole("link", { name: "Exports" }).click();
  await page.getByRole("heading", { name: "Exporter" }).waitFor();
  await page.getByLabel("Format", { exact: true }).selectOption("csv");
  await accessible(page, "exports");
  await shot(page, "exports");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Télécharger" }).click()]);
  const csvFile = join(work, "export.csv");
  await download.saveAs(csvFile);
  const rows = JSON.parse(execFileSync("python3", ["-c", `
import csv, json, sys
text = open(sys.argv[1], encoding="utf-8-sig", newline="").read()
dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\\t")
print(json.dumps(list(csv.DictReader(text.splitlines(), dialect=dialect))))`, csvFile], { encoding: "utf8" }));
  const names = rows.map((r) => Object.values(r).join(" "));
  check(rows.length === 5, `the export has the founder's 5 contacts (${rows.length})`);
  for (const n of ["Zoé", "Lefèvre-Château", "Dubois-Ferrand", "Quérard", "Éloïse", "Åkesson"])
    check(names.some((line) => line.includes(n)), `the export has ${n}`);

  check(problems.length === 0, `no script error and nothing the Content-Security-Policy refused: ${problems.join(" | ")}`);
  readFileSync(csvFile);
}, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
