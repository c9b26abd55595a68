// A founder's pipeline and follow-ups in a real browser: Debian's headless Chromium driven by
// playwright-core, against a daemon that tests/integration/web_board_browser_test.cpp
// started and seeded through the API.
//   node board_test.mjs   (settings in the environment, see below)
// A French browser on Paris time; the founder's profile is on San José's clock. She logs in
// and opens the pipeline (French stage names); turns a contact into a lead with the board's
// "Nouvelle piste" (the card shows the contact, the company, 250 000,00 € and its days in
// the stage); drags it to "Rendez-vous"; filters the board by mission and by owner; moves
// the other lead with the keyboard (→ on its focused card): a move the API refuses puts the
// card back and says so, a move of a lead changed elsewhere meanwhile (412) says so and
// refreshes the board keeping the other change, the next move lands and is announced in the
// live region with the focus kept on the card; the API lists both stage changes. The lead's
// page shows its timeline; logging a meeting there makes the follow-up the cadence engine
// schedules appear. My follow-ups shows it among the upcoming ones on her clock (not the
// browser's), snoozes a late one by a day and then to a date picked (09:00 on her clock),
// and marks the new one done, each in one click. A finger drags the new lead by its handle
// to "Proposition". axe-core finds no serious or critical violation on the board, the lead
// page and My follow-ups; on a phone the board scrolls sideways. Screenshots go to
// ARTIFACTS. Prints "browser test passed" last.
import { accessible, base, check, env, inChromium, shot, spaces } from "./support.mjs";

const email = env("RELANCE_FOUNDER_EMAIL");
const password = env("RELANCE_FOUNDER_PASSWORD");
const contactId = Number(env("RELANCE_CONTACT_ID"));        // Amélie Nguyễn-Laforêt
const otherLeadId = Number(env("RELANCE_OTHER_LEAD_ID"));   // "Pilote d'entrepôt à Fremont", at contacted

const zone = "America/Los_Angeles";   // the founder's profile; the browser is on Paris time
const newTitle = "Série A avec Horizon";
const otherTitle = "Pilote d'entrepôt à Fremont";

await inChromium(async (context, page, problems) => {
  const apiGet = async (path) => (await context.request.get(base + path)).json();

  await page.goto(base + "/");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Pipeline" }).click();
  await page.getByRole("heading", { level: 1, name: "Pipeline" }).waitFor();
  check(new URL(page.url()).pathname === "/pipeline", `the board's address: ${page.url()}`);
  const column = (stage) => page.locator(`[data-stage="${stage}"]`);
  await column("contacted").getByRole("link", { name: otherTitle }).waitFor();
  for (const label of ["Nouvelle", "Contactée", "Rendez-vous", "Proposition", "Gagnée", "Perdue"])
    check(await page.getByRole("heading", { level: 2, name: new RegExp(`^${label} `) }).count() === 1, `a column "${label}"`);

  // A contact becomes a lead.
  await page.getByRole("button", { name: "Nouvelle piste" }).click();
  await page.getByLabel("Chercher un contact").fill("Nguy");
  await page.getByLabel("Contact", { exact: true }).locator("option", { hasText: "Amélie Nguyễn-Laforêt" }).waitFor({ state: "attached" });
  await page.getByLabel("Contact", { exact: true }).selectOption({ label: "Amélie Nguyễn-Laforêt" });
  await page.getByLabel("Titre de la piste").fill(newTitle);
  await page.getByLabel("Valeur attendue (€)").fill("250000");
  await page.getByRole("button", { name: "Créer la piste" }).click();
  const card = column("new").locator("li", { has: page.getByRole("link", { name: newTitle }) });
  await card.waitFor();
  const cardText = spaces(await card.innerText()).replace(/\s*\n\s*/g, " · ");
  check(cardText.includes("Amélie Nguyễn-Laforêt") && cardText.includes("Fonds Horizon Pacifique 🌊"),
        `the card names the contact and the company: ${cardText}`);
  check(cardText.includes("250 000,00 €"), `the card's value in French: ${cardText}`);
  check(cardText.includes("0 j dans l'étape"), `the card counts its days in the stage: ${cardText}`);
  const leads = await apiGet(`/api/v1/leads?contact_id=${contactId}`);
  check(leads.items.length === 1 && leads.items[0].stage === "new", "the API has the new lead, at the first stage");
  const leadId = leads.items[0]?.id;

  // Drag and drop to "meeting".
  const dragged = page.waitForResponse((r) => r.url().endsWith(`/api/v1/leads/${leadId}`) && r.request().method() === "PATCH");
  await card.dragTo(column("meeting").locator("ul"));
  const dragAnswer = await dragged;
  check(dragAnswer.status() === 200, `the drop is the API's stage change: ${dragAnswer.status()}`);
  check(dragAnswer.request().headers()["if-match"] === `"${leadId}-1"`, `the move sends If-Match: ${dragAnswer.request().headers()["if-match"]}`);
  await column("meeting").getByRole("link", { name: newTitle }).waitFor();
  const live = page.locator('[aria-live="polite"].visually-hidden');
  check((await live.textContent()).includes(`« ${newTitle} » passée à l'étape Rendez-vous`), "the drop is announced");
  await accessible(page, "pipeline board");
  await shot(page, "board");

  // The filters: the mission's leads, an owner's leads.
  const shown = async () => (await page.locator(".lead-card a").allTextContents()).sort();
  // Each wait names the card expected: one card on the board may still be the previous
  // filter's answer, which a count alone would take for the new one.
  const onlyCard = (title) => page.waitForFunction((t) => {
    const cards = document.querySelectorAll(".lead-card a");
    return cards.length === 1 && cards[0].textContent.includes(t);
  }, title).catch(() => undefined);  // the check below says what the board showed
  await page.getByLabel("Mission ou salon").selectOption({ label: "Mission Silicon Valley — juin" });
  await onlyCard(otherTitle);
  check(JSON.stringify(await shown()) === JSON.stringify([otherTitle]), `the mission's filter shows its lead only: ${await shown()}`);
  await page.getByLabel("Mission ou salon").selectOption({ label: "Toutes les missions et tous les salons" });
  await page.getByLabel("Responsable").selectOption({ label: "Inès Martin" });
  await onlyCard(newTitle);
  check(JSON.stringify(await shown()) === JSON.stringify([newTitle]), `the owner's filter shows her lead only: ${await shown()}`);
  await page.getByLabel("Responsable").selectOption({ label: "Tout le monde" });
  await page.waitForFunction(() => document.querySelectorAll(".lead-card").length === 2);

  // The keyboard: a move the API refuses puts the card back.
  const otherLink = () => page.getByRole("link", { name: otherTitle });
  await page.route(`**/api/v1/leads/${otherLeadId}`, (route) =>
    route.request().method() === "PATCH"
      ? route.fulfill({ status: 503, contentType: "application/problem+json", body: JSON.stringify({ title: "Indisponible", detail: "Maintenance" }) })
      : route.fallback());
  await otherLink().focus();
  await page.keyboard.press("ArrowRight");
  await page.getByRole("alert").filter({ hasText: "n'a pas été déplacée" }).waitFor();
  check(await column("contacted").getByRole("link", { name: otherTitle }).count() === 1, "a refused move puts the card back");
  await page.unroute(`**/api/v1/leads/${otherLeadId}`);

  // Changed elsewhere meanwhile: 412, said, the board read again, the other change kept.
  const elsewhere = await context.request.patch(`${base}/api/v1/leads/${otherLeadId}`,
    { headers: { Origin: base }, data: { notes: "Changé depuis un autre onglet" } });
  check(elsewhere.status() === 200, `another tab changed the lead: ${elsewhere.status()}`);
  const conflict = page.waitForResponse((r) => r.url().endsWith(`/api/v1/leads/${otherLeadId}`) && r.request().method() === "PATCH");
  await otherLink().focus();
  await page.keyboard.press("ArrowRight");
  check((await conflict).status() === 412, "the stale move answers 412");
  await page.getByRole("alert").filter({ hasText: "modifiée entre-temps" }).waitFor();
  check(await column("contacted").getByRole("link", { name: otherTitle }).count() === 1, "after the conflict the card is where the server has it");
  await shot(page, "board-conflict");

  // Now the move lands (the board read the new version), announced, the focus kept.
  await page.waitForTimeout(300);  // the refreshed board
  await otherLink().focus();
  await page.keyboard.press("ArrowRight");
  await column("meeting").getByRole("link", { name: otherTitle }).waitFor();
  await page.waitForFunction((t) => document.querySelector('[aria-live="polite"].visually-hidden')?.textContent?.includes(t),
    `« ${otherTitle} » passée à l'étape Rendez-vous`);
  check(true, "the keyboard move is announced in the live region");
  check((await page.evaluate(() => document.activeElement?.textContent)) === otherTitle, "the moved card keeps the focus");
  const other = await apiGet(`/api/v1/leads/${otherLeadId}`);
  check(other.stage === "meeting" && other.notes === "Changé depuis un autre onglet", "the move kept the other tab's change");
  const changes = await apiGet("/api/v1/activities?kind=stage-change");
  const logged = (id, from, to) => changes.items.some((a) => a.lead_id === id && a.from_stage === from && a.to_stage === to);
  check(logged(leadId, "new", "meeting"), "the API logged the drag as a stage change new → meeting");
  check(logged(otherLeadId, "contacted", "meeting"), "the API logged the keyboard move as a stage change contacted → meeting");

  // The lead's page and its timeline; logging a meeting.
  await page.getByRole("link", { name: newTitle }).click();
  await page.getByRole("heading", { level: 1, name: newTitle }).waitFor();
  check(new URL(page.url()).pathname === `/leads/${leadId}`, `the lead's address holds its id only: ${page.url()}`);
  await page.getByText("Étape : Nouvelle → Rendez-vous").waitFor();
  check(true, "the timeline shows the stage change");
  await page.getByLabel("Objet").fill("Rendez-vous au stand 🚀");
  await page.getByLabel("Notes").fill("Très intéressée.\nEnvoyer le deck.");
  await page.getByRole("button", { name: "Enregistrer le rendez-vous" }).click();
  await page.getByText("Rendez-vous au stand 🚀").waitFor();
  await page.getByText(/Relance programmée : Relancer après le rendez-vous/).waitFor({ timeout: 30000 });
  check(true, "the follow-up the engine scheduled appears on the lead's page");
  const timeline = spaces(await page.locator(".timeline").innerText());
  check(timeline.includes("Relance prévue le") && timeline.includes("Relancer après le rendez-vous"), "the timeline lists the follow-up");
  await accessible(page, "lead");
  await shot(page, "lead");

  // My follow-ups.
  await page.getByRole("navigation").getByRole("link", { name: "Mes relances" }).click();
  await page.getByRole("heading", { level: 1, name: "Mes relances" }).waitFor();
  const section = (name) => page.locator("section.followups", { has: page.getByRole("heading", { level: 2, name }) });
  const upcoming = section(/^À venir/);
  const overdue = section(/^En retard/);
  await upcoming.getByRole("heading", { level: 3, name: "Relancer après le rendez-vous" }).waitFor();
  check(true, "the new follow-up is among the upcoming ones");
  const followups = await apiGet(`/api/v1/followups?lead_id=${leadId}`);
  const due = new Date(followups.items[0].due_at);
  const local = new Intl.DateTimeFormat("fr-FR", { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(due);
  check(spaces(await upcoming.innerText()).includes(spaces(local)), `its due time on the founder's clock, not the browser's: ${local}`);
  await overdue.getByRole("heading", { level: 3, name: "Envoyer le dossier à Théo" }).waitFor();
  await accessible(page, "follow-ups");
  await shot(page, "followups");

  const late = overdue.locator("li", { has: page.getByRole("heading", { name: "Envoyer le dossier à Théo" }) });
  await late.getByRole("button", { name: "Reporter d'un jour" }).click();
  await page.getByText(/« Envoyer le dossier à Théo » reportée au/).waitFor();
  await upcoming.getByRole("heading", { level: 3, name: "Envoyer le dossier à Théo" }).waitFor();
  check(await overdue.getByText("Envoyer le dossier à Théo").count() === 0, "snoozed a day, the late follow-up is no longer late");

  // Then to a date picked: 09:00 on the founder's clock, three days from today there.
  // "YYYY-MM-DD" on the founder's clock, from its parts (a locale's short date varies with ICU).
  const localDay = (ms) => {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date(ms));
    const part = (type) => parts.find((p) => p.type === type)?.value;
    return `${part("year")}-${part("month")}-${part("day")}`;
  };
  const picked = localDay(Date.now() + 3 * 86_400_000);
  const snoozedItem = upcoming.locator("li", { has: page.getByRole("heading", { name: "Envoyer le dossier à Théo" }) });
  await snoozedItem.getByLabel("Reporter au").fill(picked);
  const picking = page.waitForResponse((r) => /\/api\/v1\/followups\/\d+$/.test(r.url()) && r.request().method() === "PATCH");
  await snoozedItem.getByRole("button", { name: "Reporter à cette date" }).click();
  const pickedDue = new Date((await (await picking).json()).due_at);
  const clock = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit" }).format(pickedDue);
  check(localDay(pickedDue.getTime()) === picked && clock === "09:00",
        `snoozed to the day picked, 09:00 on the founder's clock: ${pickedDue.toISOString()}`);

  const fresh = upcoming.locator("li", { has: page.getByRole("heading", { name: "Relancer après le rendez-vous" }) });
  await fresh.getByRole("button", { name: "Fait" }).click();
  await page.getByText("« Relancer après le rendez-vous » marquée comme faite.").waitFor();
  check(await page.getByRole("heading", { level: 3, name: "Relancer après le rendez-vous" }).count() === 0, "done, it leaves the list");
  await page.waitForFunction(() => document.activeElement?.id === "followups-title");
  check(true, "the focus goes to the screen's title, not to the top of the page");
  await shot(page, "followups-after");

  // A finger drags a card by its handle (touch pointers get no HTML5 drag events).
  await page.getByRole("navigation").getByRole("link", { name: "Pipeline" }).click();
  const touched = column("meeting").locator("li", { has: page.getByRole("link", { name: newTitle }) });
  await touched.waitFor();
  const from = await touched.locator(".handle").boundingBox();
  const to = await column("proposal").boundingBox();
  const at = (x, y) => ({ pointerType: "touch", pointerId: 7, isPrimary: true, bubbles: true, clientX: x, clientY: y });
  const touchMove = page.waitForResponse((r) => r.url().endsWith(`/api/v1/leads/${leadId}`) && r.request().method() === "PATCH");
  await touched.locator(".handle").dispatchEvent("pointerdown", at(from.x + 5, from.y + 5));
  await touched.dispatchEvent("pointermove", at(to.x + 40, to.y + 60));
  await touched.dispatchEvent("pointerup", at(to.x + 40, to.y + 60));
  check((await touchMove).status() === 200, "a finger's drag to another column is the API's stage change");
  await column("proposal").getByRole("link", { name: newTitle }).waitFor();

  // A phone: the board scrolls sideways, a column at a time.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole("navigation").getByRole("link", { name: "Pipeline" }).click();
  await column("proposal").getByRole("link", { name: newTitle }).waitFor();
  const scrolls = await page.locator(".board").evaluate((b) => b.scrollWidth > b.clientWidth + 100);
  check(scrolls, "on a phone the board scrolls horizontally");
  const pageScrolls = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!pageScrolls, "on a phone the page itself does not scroll sideways");
  await shot(page, "board-phone");

  check(problems.length === 0, `no script error and no Content-Security-Policy violation: ${JSON.stringify(problems)}`);
});
