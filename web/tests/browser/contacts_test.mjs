// The contacts screen in headless Chromium, in French, against a daemon that
// tests/integration/web_contacts_browser_test.cpp started and seeded (a founder, two
// companies, the region's mission, Zoé Lefèvre-Château with a lead, an activity and a
// follow-up, her duplicate "Zoe Lefevre" with an activity of its own, Hélène and Jean):
// - search as you type finds both Zoés; the filters (tag, company by type-ahead, mission,
//   country) narrow the list, combine with the search and with each other, stay when the
//   founder opens a contact and comes back, never reach the page's address, and are
//   forgotten at logout;
// - the contact page lists its lead (a link to the lead's page), its activity and its
//   follow-up, with French labels;
// - editing: a phone added and saved; a phone the API refuses is shown beside its field;
//   a change made meanwhile by someone else makes the save answer "changed by someone else"
//   (412), nothing overwritten, and "reload" shows their change;
// - duplicates: the page finds "Zoe Lefevre", compares the two side by side, merges it
//   (the title and the phone filled in, its activity moved here), then "undo" gives both
//   back and says so in words; merged again and undone from the list of past merges;
//   the search finds both contacts again;
// - a contact deleted after its confirmation is gone; one its lead names is kept, and the
//   page says why;
// - axe-core finds no serious violation on the list with its filters, the contact page, the
//   edit form and the merge view; screenshots; the contact page fits a phone's width; the
//   same page in English after the language switch.
// Prints "browser test passed" last; any failed check exits 1.
import { accessible, base, check, env, inChromium, shot } from "./support.mjs";

const email = env("RELANCE_FOUNDER_EMAIL");
const password = env("RELANCE_FOUNDER_PASSWORD");
const zoeId = Number(env("RELANCE_CONTACT_ID"));
const twinId = Number(env("RELANCE_TWIN_ID"));
const jeanId = Number(env("RELANCE_JEAN_ID"));
const leadId = Number(env("RELANCE_LEAD_ID"));

// The API as the signed-in page sees it (the session cookie; the Origin the daemon checks on writes).
const apiCall = (page, method, path, body) => page.evaluate(async ([m, p, b]) => {
  const r = await fetch(p, {
    method: m, credentials: "same-origin",
    ...(b ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify(b) } : {}),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}, [method, path, body]);

const results = (page) => page.locator("#contacts-results");
const listed = async (page) => (await results(page).locator(".name").allTextContents()).sort();
// Waits until the list shows exactly `names` (the answer to the latest keystroke or filter).
async function listShows(page, names, what) {
  const want = [...names].sort();
  let got = [];
  for (let i = 0; i < 50; i += 1) {
    got = await listed(page);
    if (JSON.stringify(got) === JSON.stringify(want)) break;
    await page.waitForTimeout(100);
  }
  check(JSON.stringify(got) === JSON.stringify(want), `${what}: ${JSON.stringify(got)}`);
}

await inChromium(async (context, page, problems) => {
  await page.goto(base + "/");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByLabel("Rechercher un contact").waitFor();

  // Search as you type.
  await page.getByLabel("Rechercher un contact").click();
  await page.keyboard.type("lefev", { delay: 60 });
  await listShows(page, ["Zoe Lefevre", "Zoé Lefèvre-Château"], "the search finds both Zoés");

  // Filters: French labels, each narrowing the list, combined with the search and each other.
  await page.getByLabel("Rechercher un contact").fill("");
  await listShows(page, ["Hélène Dubois-Ferrand", "Jean Quérard", "Zoe Lefevre", "Zoé Lefèvre-Château"], "all four without a search");
  await page.getByRole("button", { name: "Filtres", exact: true }).click();
  for (const label of ["Étiquette", "Entreprise", "Rencontré à (mission ou salon)", "Pays", "Rencontré à partir du",
                       "Saisi jusqu'au"])
    check(await page.getByLabel(label, { exact: true }).isVisible(), `French filter label "${label}"`);
  await page.getByLabel("Étiquette", { exact: true }).fill("vc");
  await listShows(page, ["Hélène Dubois-Ferrand", "Zoé Lefèvre-Château"], "tag vc");
  await page.getByLabel("Entreprise", { exact: true }).fill("Acmé");
  await page.locator("#filter-company-options option").first().waitFor({ state: "attached" });
  await page.getByLabel("Entreprise", { exact: true }).fill("Acmé Robotique");
  await page.getByText("Seulement les contacts de Acmé Robotique.").waitFor();
  await listShows(page, ["Hélène Dubois-Ferrand"], "tag vc and the company Acmé Robotique");
  await page.getByLabel("Entreprise", { exact: true }).fill("");
  await page.getByLabel("Rencontré à (mission ou salon)", { exact: true }).selectOption({ label: "Mission Silicon Valley — juin" });
  await listShows(page, ["Zoé Lefèvre-Château"], "tag vc and the mission");
  await page.getByLabel("Étiquette", { exact: true }).fill("");
  await page.getByLabel("Rencontré à (mission ou salon)", { exact: true }).selectOption({ label: "Tous" });
  await page.getByLabel("Pays", { exact: true }).fill("us");
  await listShows(page, ["Jean Quérard"], "country US (typed in lower case)");
  await page.getByLabel("Pays", { exact: true }).fill("");
  await page.getByLabel("Rencontré à partir du", { exact: true }).fill(new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10));
  await listShows(page, ["Zoé Lefèvre-Château"], "met in the last 20 days");
  await page.getByLabel("Rechercher un contact").fill("zoe");
  await listShows(page, ["Zoé Lefèvre-Château"], "the search combined with a filter");
  await page.getByRole("button", { name: "Filtres (actifs : 1)" }).waitFor();
  check(!/filter|met_from|zoe/i.test(new URL(page.url()).search + new URL(page.url()).hash), `nothing of the filters in the address: ${page.url()}`);
  await accessible(page, "contacts with filters");
  await shot(page, "contacts-filters");

  // The filters and the search stay while the founder opens a contact and comes back.
  await page.getByRole("link", { name: /Zoé Lefèvre-Château/ }).click();
  await page.getByRole("heading", { level: 1, name: "Zoé Lefèvre-Château" }).waitFor();
  await page.getByRole("link", { name: "Retour aux contacts" }).click();
  await listShows(page, ["Zoé Lefèvre-Château"], "the search and filter are still applied after coming back");
  check((await page.getByLabel("Rechercher un contact").inputValue()) === "zoe", "the search text is kept");
  await page.getByRole("button", { name: "Effacer les filtres" }).click();
  await listShows(page, ["Zoe Lefevre", "Zoé Lefèvre-Château"], "cleared filters, the search alone");

  // The contact page: its lead, activity and follow-up.
  await page.goto(`${base}/contacts/${zoeId}`);
  await page.getByRole("heading", { level: 1, name: "Zoé Lefèvre-Château" }).waitFor();
  for (const label of ["Coordonnées", "Pistes", "Activités", "Relances", "Doublons possibles"])
    check(await page.getByRole("heading", { name: label, exact: true }).count() === 1, `French section "${label}"`);
  const leadLink = page.getByRole("link", { name: "Pilote robotique à Lyon" }).first();
  check((await leadLink.getAttribute("href")) === `/leads/${leadId}`, "the lead links to its page");
  check(await page.getByText("Démo au stand").isVisible(), "the activity is listed");
  check(await page.getByText(/Envoyer la proposition/).isVisible(), "the follow-up is listed");
  await accessible(page, "contact");
  await shot(page, "contact-page");

  // Editing: a phone added.
  await page.getByRole("button", { name: "Modifier", exact: true }).click();
  await page.getByRole("heading", { name: "Modifier le contact" }).waitFor();
  check(await page.evaluate(() => document.activeElement?.id === "edit-first_name"), "the form opens on the first name");
  for (const label of ["Prénom", "Nom", "Fonction", "Entreprise", "Téléphones", "Base légale (RGPD)", "Consentement donné le"])
    check(await page.getByLabel(label, { exact: true }).count() === 1, `French field label "${label}"`);
  check((await page.getByLabel("Entreprise", { exact: true }).inputValue()) === "Société Générale d'Électronique",
        "the company is shown by name");
  await accessible(page, "contact edit");
  await shot(page, "contact-edit");
  await page.getByLabel("Téléphones", { exact: true }).fill("+1 650 555 0199");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByText("Contact enregistré.").waitFor();
  check(await page.getByText("+16505550199").isVisible(), "the phone is saved, in E.164");

  // A phone the API refuses: its words beside the field, the focus there.
  await page.getByRole("button", { name: "Modifier", exact: true }).click();
  await page.getByLabel("Téléphones", { exact: true }).fill("+1 650 555 0199\n12");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  const phoneError = page.locator("#edit-phones-error");
  await phoneError.waitFor();
  check((await phoneError.textContent()).includes("phones[1]"), `the refusal is beside the phones: ${await phoneError.textContent()}`);
  check(await page.evaluate(() => document.activeElement?.id === "edit-phones" &&
                                  document.activeElement.getAttribute("aria-describedby")?.includes("edit-phones-error")),
        "the focus is on the refused field, which names its error");
  await page.getByRole("button", { name: "Annuler", exact: true }).click();

  // Someone else changes the contact while the form is open: the save is refused, nothing lost.
  await page.getByRole("button", { name: "Modifier", exact: true }).click();
  const meanwhile = await apiCall(page, "PATCH", `/api/v1/contacts/${zoeId}`, { city: "Dijon" });
  check(meanwhile.status === 200, `a colleague changed the city meanwhile (${meanwhile.status})`);
  await page.getByLabel("Fonction", { exact: true }).fill("CTO");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByText("Quelqu'un d'autre a modifié ce contact depuis que vous l'avez ouvert").waitFor();
  const after = (await apiCall(page, "GET", `/api/v1/contacts/${zoeId}`)).json;
  check(after.city === "Dijon" && !after.title, `their change kept, this one not written: ${after.city} / ${after.title}`);
  await shot(page, "contact-edit-conflict");
  await page.getByRole("button", { name: "Recharger le contact" }).click();
  await page.getByRole("button", { name: "Modifier", exact: true }).waitFor();
  check(await page.getByText("Dijon", { exact: true }).isVisible(), "after reloading, their change is shown");

  // The duplicate: compared side by side, then merged.
  const duplicates = page.getByRole("region", { name: "Doublons possibles" });
  await duplicates.getByText("Zoe Lefevre").waitFor();
  check((await duplicates.textContent()).includes("Pourquoi : le même e-mail, zoe@sge.example"), "the reason is given, in French");
  await page.getByRole("button", { name: "Comparer avec Zoe Lefevre" }).click();
  const compare = page.getByRole("table", { name: /Les deux contacts côte à côte/ });
  await compare.waitFor();
  const titleRow = compare.getByRole("row", { name: /Fonction/ });
  check((await titleRow.textContent()).includes("Directrice des achats"), "the duplicate's title is side by side with this one's");
  check((await titleRow.getAttribute("class")) === "differs", "the row that differs is marked");
  const onTitle = await page.waitForFunction(() => document.activeElement?.id === "merge-compare-title", null, { timeout: 3000 })
    .then(() => true, () => false);
  check(onTitle, "the comparison takes the focus");
  await page.keyboard.press("Escape");
  await compare.waitFor({ state: "detached" });
  const back = await page.waitForFunction(() => document.activeElement?.textContent === "Comparer", null, { timeout: 3000 })
    .then(() => true, () => false);
  check(back, "Escape closes it and gives the focus back to its button");
  await page.getByRole("button", { name: "Comparer avec Zoe Lefevre" }).press("Enter");
  await compare.waitFor();
  await accessible(page, "merge view");
  await shot(page, "contact-merge");
  let mergeKey = null;
  page.on("request", (r) => {
    if (r.url().endsWith(`/api/v1/contacts/${zoeId}/merge`)) mergeKey = r.headers()["idempotency-key"] ?? null;
  });
  await page.getByRole("button", { name: "Fusionner Zoe Lefevre dans ce contact" }).click();
  await page.getByText("Zoe Lefevre a été fusionné dans ce contact.").waitFor();
  check(typeof mergeKey === "string" && mergeKey.length > 0, `the merge was sent with an Idempotency-Key: ${mergeKey}`);
  check(await page.getByText("Directrice des achats").isVisible() && await page.getByText("+33472000009", { exact: true }).first().isVisible(),
        "the merged contact took the duplicate's title and phone");
  check(await page.getByText("Carte de visite scannée").isVisible(), "the duplicate's activity moved here");
  check((await apiCall(page, "GET", `/api/v1/contacts/${twinId}`)).status === 404, "the duplicate is gone");
  const focused = await page.waitForFunction(() => document.activeElement?.id === "merge-notice-undo", null, { timeout: 3000 })
    .then(() => true, () => false);
  check(focused, "the focus is on Undo");
  await shot(page, "contact-merged");

  // Undo: both back, said in words.
  await page.locator("#merge-notice-undo").click();
  await page.getByText("Fusion annulée.").waitFor();
  check(await page.getByText("Zoe Lefevre est de nouveau un contact à part entière.").first().isVisible(), "the undo says the duplicate is back");
  check(await page.getByText(/Valeurs d'avant la fusion rendues : .*Fonction/).first().isVisible(), "and which fields got their values back");
  check(await page.getByText(/De retour chez Zoe Lefevre : 1 activité/).first().isVisible(), "and which rows went back");
  check((await apiCall(page, "GET", `/api/v1/contacts/${twinId}`)).status === 200, "the duplicate exists again");
  check(await page.getByText("Directrice des achats").count() === 0, "the title the merge filled in is gone again");
  await shot(page, "contact-unmerged");

  // Merged again, undone from the list of past merges.
  await page.getByRole("button", { name: "Comparer avec Zoe Lefevre" }).click();
  await page.getByRole("button", { name: "Fusionner Zoe Lefevre dans ce contact" }).click();
  await page.getByText("Zoe Lefevre a été fusionné dans ce contact.").waitFor();
  const past = page.getByRole("region", { name: "Fusionnés dans ce contact" });
  check(await past.getByText("Annulée le", { exact: false }).count() === 1, "the first merge is listed as undone");
  await past.getByRole("button", { name: "Annuler la fusion de Zoe Lefevre" }).click();
  await page.getByText("Fusion annulée.").waitFor();
  check(await past.getByText("Annulée le", { exact: false }).count() === 2, "both merges are listed as undone");
  check(await past.getByRole("button").count() === 0, "no undo is offered for an undone merge");
  await page.getByRole("link", { name: "Ouvrir Zoe Lefevre" }).first().click();
  await page.getByRole("heading", { level: 1, name: "Zoe Lefevre" }).waitFor();
  check(await page.getByText("Carte de visite scannée").isVisible(), "the duplicate has its activity back");

  await page.getByRole("link", { name: "Retour aux contacts" }).click();
  await page.getByLabel("Rechercher un contact").fill("lefev");
  await listShows(page, ["Zoe Lefevre", "Zoé Lefèvre-Château"], "the search finds both contacts again");

  // Logging out forgets the search and the filters.
  await page.getByRole("button", { name: "Filtres", exact: true }).click();
  await page.getByLabel("Pays", { exact: true }).fill("FR");
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByLabel("Rechercher un contact").waitFor();
  check((await page.getByLabel("Rechercher un contact").inputValue()) === "" &&
        await page.getByRole("button", { name: "Filtres", exact: true }).isVisible(),
        "after logging out and in again, no search and no filter are left");

  // A contact its lead still names is not deleted, and the page says why.
  await page.goto(`${base}/contacts/${zoeId}`);
  await page.getByRole("heading", { level: 1, name: "Zoé Lefèvre-Château" }).waitFor();
  await page.getByRole("button", { name: "Supprimer", exact: true }).click();
  await page.getByRole("button", { name: "Oui, supprimer" }).click();
  await page.getByText("Ce contact a encore des pistes, activités ou relances : rien n'a été supprimé.", { exact: false }).waitFor();
  check((await apiCall(page, "GET", `/api/v1/contacts/${zoeId}`)).status === 200, "the contact with a lead is still there");
  await page.getByRole("button", { name: "Annuler", exact: true }).click();

  // A delete, confirmed.
  await page.goto(`${base}/contacts/${jeanId}`);
  await page.getByRole("heading", { level: 1, name: "Jean Quérard" }).waitFor();
  await page.getByRole("button", { name: "Supprimer", exact: true }).click();
  await page.getByText("Supprimer définitivement Jean Quérard ? C'est irréversible.").waitFor();
  await page.getByRole("button", { name: "Oui, supprimer" }).click();
  await page.getByLabel("Rechercher un contact").waitFor();
  check((await apiCall(page, "GET", `/api/v1/contacts/${jeanId}`)).status === 404, "the deleted contact is gone");

  // A phone: the contact page fits its width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/contacts/${zoeId}`);
  await page.getByRole("heading", { level: 1, name: "Zoé Lefèvre-Château" }).waitFor();
  await page.getByRole("button", { name: "Comparer avec Zoe Lefevre" }).click();
  await page.getByRole("table", { name: /Les deux contacts côte à côte/ }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 390, `nothing wider than the phone (${width} px)`);
  await shot(page, "contact-merge-phone");

  // In English, the same page speaks English.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByLabel("Langue").selectOption("en");
  await page.getByRole("heading", { name: "Possible duplicates" }).waitFor();
  check(await page.getByRole("button", { name: "Edit", exact: true }).isVisible() &&
        await page.getByRole("button", { name: "Merge Zoe Lefevre into this contact" }).isVisible() &&
        (await page.getByRole("region", { name: "Possible duplicates" }).textContent()).includes("Why: the same email, zoe@sge.example"),
        "English labels after the switch");
  await shot(page, "contact-merge-en");

  check(problems.length === 0, `no script error and no Content-Security-Policy violation: ${JSON.stringify(problems)}`);
});
