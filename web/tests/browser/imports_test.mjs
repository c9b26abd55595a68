// Imports with a column mapping, in headless Chromium against a daemon that
// tests/integration/web_imports_browser_test.cpp started and seeded (a start-up, its founder
// Inès, the region's mission). In French, as Inès reads it:
// - a CSV with a BOM, `;` separators, CRLF, accents, a quoted cell holding a `;` and a column
//   the import does not know ("Salon"): each column comes with its first values and a
//   select preset as the server would read it, "Salon" on "Ignorer";
// - two columns on one field is flagged and stops the dry run until fixed;
// - "Salon" mapped to "Lieu de rencontre" by keyboard, the options set (invalid rows left
//   out, a tag, the mission);
// - the dry run's report: 3 new contacts, line 5 a duplicate of line 2, line 6 invalid with
//   its reason, nothing written;
// - the import with the same mapping, followed to its result: 3 created, the row not
//   imported with its line and reason, the CSV report to download;
// - a file with unbalanced quotes, and one too large: the API's error, the chosen mapping kept;
// - the screen in English;
// - a vCard file: its names, no mapping, its dry run;
// - axe-core on the mapping and on the result; screenshots of both.
// The C++ side then checks the contacts through the API (met_where, tag, mission).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { accessible, base, check, env, inChromium, shot } from "./support.mjs";

const email = env("RELANCE_FOUNDER_EMAIL");
const password = env("RELANCE_FOUNDER_PASSWORD");
const missionName = env("RELANCE_MISSION_NAME");

const work = mkdtempSync(join(tmpdir(), "relance-imports-"));
const csvPath = join(work, "salon-vivatech.csv");
writeFileSync(csvPath, "\uFEFFPrénom;Nom;Courriel;Salon;Entreprise\r\n" +
  "Éloïse;Dupré-Lefèvre;eloise@lumiere.example;VivaTech 2026 — stand B12;\"Lumière; Fils SAS\"\r\n" +
  "Bjørn;Åkesson;bjorn@nordlys.example;Salon de Lyon;Nordlys AB\r\n" +
  "Zoé;Marchand;zoe@marchand.example;VivaTech 2026 — stand B12;Marchand SA\r\n" +
  "Éloïse;Dupré;eloise@lumiere.example;VivaTech 2026;Lumière\r\n" +
  ";;;Stand vide;Sans Nom SARL\r\n");
const brokenPath = join(work, "cassé.csv");
writeFileSync(brokenPath, "Prénom;Nom;Salon\r\nAnaïs;Roux;\"VivaTech\r\nJules;Petit;Lyon\r\n");

const apiGet = (page, path) => page.evaluate(async (p) => (await fetch(p, { credentials: "same-origin" })).json(), path);

await inChromium(async (context, page, problems) => {
  await page.goto(base + "/");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("link", { name: "Imports" }).click();
  await page.getByRole("heading", { name: "Importer des contacts" }).waitFor();

  // The file's columns, each with its first values and the server's reading.
  await page.getByLabel("Fichier CSV ou vCard").setInputFiles(csvPath);
  const field = (column) => page.getByLabel(`Champ de la colonne ${column}`, { exact: true });
  await field("Salon").waitFor();
  check(await page.getByRole("columnheader", { name: "Prénom" }).isVisible(), "the accented column name is read through the BOM");
  check(await page.getByRole("cell", { name: "Lumière; Fils SAS" }).isVisible(), "a quoted cell keeps its ';'");
  check(await page.getByRole("cell", { name: "Åkesson" }).isVisible(), "the first values are shown under their column");
  const values = {};
  for (const c of ["Prénom", "Nom", "Courriel", "Salon", "Entreprise"]) values[c] = await field(c).inputValue();
  check(JSON.stringify(values) === JSON.stringify({ Prénom: "first_name", Nom: "last_name", Courriel: "emails", Salon: "ignore", Entreprise: "company" }),
        `each column is preset as the server reads it: ${JSON.stringify(values)}`);

  // Two columns on one field: flagged, and nothing can be sent until it is fixed.
  await field("Nom").selectOption({ label: "Prénom" });
  await page.getByText("Plusieurs colonnes vont dans Prénom (Prénom, Nom)").waitFor();
  check(await page.getByRole("button", { name: "Essai à blanc" }).isDisabled(), "the dry run waits until two columns no longer share a field");
  await field("Nom").selectOption({ label: "Nom" });
  await page.getByText("Plusieurs colonnes").waitFor({ state: "detached" });

  // "Salon" to "Lieu de rencontre", with the keyboard only.
  await field("Courriel").focus();
  await page.keyboard.press("Tab");
  const focused = await field("Salon").evaluate((el) => document.activeElement === el && getComputedStyle(el).outlineStyle !== "none");
  check(focused, "Tab reaches the next column's select, which shows its focus");
  for (let i = 0; i < 20 && (await field("Salon").inputValue()) !== "met_where"; i += 1) await page.keyboard.press("ArrowUp");
  check((await field("Salon").inputValue()) === "met_where", "the keyboard maps Salon to Lieu de rencontre");

  await page.getByLabel("Laisser de côté les lignes invalides et importer les autres").check();
  await page.getByLabel("Étiquette ajoutée à chaque contact").fill("vivatech-2026");
  await page.getByLabel("Mission ou salon de la rencontre").selectOption({ label: missionName });
  await accessible(page, "imports mapping");
  await shot(page, "imports-mapping");

  // The dry run and its report: nothing written.
  await page.getByRole("button", { name: "Essai à blanc" }).click();
  await page.getByText("Essai à blanc : terminé").waitFor();
  const report = page.getByRole("region", { name: "Rapport, ligne par ligne" });
  await report.waitFor();
  const dd = async (term) => (await page.locator(`dt:text-is("${term}") + dd`).textContent())?.trim();
  check((await dd("Seraient créés")) === "3", "the dry run would create 3 contacts");
  const row = (line) => report.locator("tr", { has: page.locator(`td:first-child:text-is("${line}")`) });
  check(/Doublon.*line 2/s.test(await row(5).innerText()), `line 5 is a duplicate of line 2: ${await row(5).innerText()}`);
  check(/Invalide/.test(await row(6).innerText()), `line 6 is invalid, with its reason: ${await row(6).innerText()}`);
  check(/Nouveau contact/.test(await row(2).innerText()), "line 2 would be a new contact");
  check((await apiGet(page, "/api/v1/contacts?q=Marchand")).items.length === 0, "the dry run wrote nothing");

  // The import with the same mapping, followed to its result.
  await page.getByRole("button", { name: "Importer", exact: true }).click();
  await page.getByText("Import : terminé").waitFor();
  check((await dd("Créés")) === "3", "the import created 3 contacts");
  const rejected = page.getByRole("region", { name: "Lignes non importées" });
  await rejected.waitFor();
  const rejectedText = await rejected.innerText();
  check(/6\s+Invalide/.test(rejectedText) && /5\s+Doublon/.test(rejectedText), `the rows not imported, with their lines: ${rejectedText}`);
  const link = page.getByRole("link", { name: "Télécharger le rapport (CSV)" });
  const href = await link.getAttribute("href");
  const csv = await page.evaluate(async (h) => (await fetch(h, { credentials: "same-origin" })).text(), href);
  check(/^line,outcome/.test(csv) && csv.includes("invalid"), `the report downloads as CSV: ${csv.slice(0, 80)}`);
  const [zoe] = (await apiGet(page, "/api/v1/contacts?q=Marchand")).items;
  check(zoe?.met_where === "VivaTech 2026 — stand B12", `the mapped column is the contact's met_where: ${JSON.stringify(zoe)}`);
  await accessible(page, "imports result");
  await shot(page, "imports-result");

  // A broken file: the API's reason, and the mapping chosen for it kept.
  await page.getByLabel("Fichier CSV ou vCard").setInputFiles(brokenPath);
  await field("Salon").selectOption({ label: "Lieu de rencontre" });
  await page.getByRole("button", { name: "Essai à blanc" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Le fichier a été refusé" });
  await alert.waitFor();
  check(/quote/i.test(await alert.innerText()), `the refusal says why: ${await alert.innerText()}`);
  check((await field("Salon").inputValue()) === "met_where", "the mapping is kept after the refusal");
  await shot(page, "imports-refused");

  // A file larger than the daemon takes (imports.max_bytes: 4000 here): its columns are
  // still shown and mapped, the import refused with the API's reason, the mapping kept.
  let big = "Prénom;Nom;Salon\r\n";
  for (let i = 0; big.length < 6000; i += 1) big += `Anaïs;Roux-${i};VivaTech — stand ${i}\r\n`;
  const bigPath = join(work, "trop-grand.csv");
  writeFileSync(bigPath, big);
  await page.getByLabel("Fichier CSV ou vCard").setInputFiles(bigPath);
  await page.getByRole("cell", { name: "Roux-0" }).waitFor();
  await field("Salon").selectOption({ label: "Lieu de rencontre" });
  await page.getByRole("button", { name: "Importer", exact: true }).click();
  const tooBig = page.getByRole("alert").filter({ hasText: "Le fichier a été refusé" });
  await tooBig.waitFor();
  check(/larger than 4000 bytes|at most 4000 bytes/.test(await tooBig.innerText()), `a file too large says so: ${await tooBig.innerText()}`);
  check((await field("Salon").inputValue()) === "met_where", "the mapping is kept after the file was found too large");

  // The same screen in English.
  await page.getByLabel("Langue").selectOption("en");
  await page.getByLabel("Field for the column Salon", { exact: true }).waitFor();
  check((await page.getByLabel("Field for the column Salon", { exact: true }).locator("option:checked").textContent()) === "Met where",
        "the fields are named in English too");
  check(await page.getByRole("button", { name: "Dry run" }).isVisible() &&
        await page.getByLabel("Leave out invalid rows and import the others").isVisible(), "the options are labelled in English");

  // A vCard file (in English now) has no columns to map: its cards' names, and the dry run as for a CSV.
  const vcfPath = join(work, "cartes.vcf");
  writeFileSync(vcfPath, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maëlle Quéré\r\nN:Quéré;Maëlle;;;\r\n" +
                         "EMAIL:maelle@quere.example\r\nEND:VCARD\r\n");
  await page.getByLabel("CSV or vCard file").setInputFiles(vcfPath);
  await page.getByText("Maëlle Quéré").waitFor();
  check(!(await page.getByRole("region", { name: "Columns and fields" }).isVisible()), "a vCard file shows no column mapping");
  await page.getByRole("button", { name: "Dry run" }).click();
  await page.getByText("Dry run: done").waitFor();
  check((await dd("Would be created")) === "1", "the vCard's dry run would create its contact");

  check(problems.length === 0, `no script error or CSP refusal: ${problems.join(" | ")}`);
});
