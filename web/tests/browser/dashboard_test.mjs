// The region dashboard and the admin screens in a real browser: headless Chromium driven by
// playwright-core against a daemon that tests/integration/web_dashboard_browser_test.cpp
// started and seeded through the API (two start-ups, a region mission, leads in several
// stages, one shared and one not, outcomes in EUR and USD with the region's rate).
//   node dashboard_test.mjs   (settings in the environment, see below)
// Region staff log in (French browser) and open the dashboard: the funnel's and the
// outcomes' tables show the figures the reports API answers (read here with the same
// session), French labels, amounts such as "1 234,56 €" and dollars beside euros; filtering
// by the mission asks the reports with its id and keeps the page's address free of it; the
// CSV export downloads and parses with the same stages; no word of the unshared contact's
// name, email, phone or notes appears in the page's text nor in any answer it received.
// An org-admin adds an instance of the bundled email reminder through the settings form
// generated from the plugin's documented settings (required fields, a password field for the
// secret, a list for choices, a number), sees its delivery state as the API gives it, and
// changes it without the stored secret ever coming back to the page; on the dashboard it
// sees the mission's totals and its own start-up's row only. The instance admin
// creates an organisation, a user in it with an invitation link, and disables the user;
// sees another organisation's instance with its dead letter and replays it.
// axe-core finds no serious violation on the dashboard and the admin screens. Screenshots
// go to ARTIFACTS.
// Prints "browser test passed" last; any failed check exits 1 with what differed.
import { accessible, base, check, env, inChromium, shot, spaces } from "./support.mjs";

const staffEmail = env("RELANCE_STAFF_EMAIL");
const staffPassword = env("RELANCE_STAFF_PASSWORD");
const missionId = env("RELANCE_MISSION_ID");
const secrets = env("RELANCE_SECRET_WORDS").split(",");
const orgAdminEmail = env("RELANCE_ORG_ADMIN_EMAIL");
const orgAdminPassword = env("RELANCE_ORG_ADMIN_PASSWORD");
const adminEmail = env("RELANCE_ADMIN_EMAIL");
const adminPassword = env("RELANCE_ADMIN_PASSWORD");
const smtpPassword = "mot-de-passe-smtp-9f3k";

const fr = (options) => new Intl.NumberFormat("fr-FR", options);
const frNumber = (n) => spaces(fr().format(n));
const frPercent = (share) => (share == null ? "—" : spaces(fr({ style: "percent", maximumFractionDigits: 1 }).format(share)));
const frMoney = (amount, currency) => spaces(fr({ style: "currency", currency }).format(amount));

// A table's rows as arrays of cell texts (header cells included), no-break spaces read as spaces.
async function rows(page, selector) {
  return page.locator(`${selector} tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent.replace(/[\u00a0\u202f]/g, " ").trim())));
}

// French Excel's CSV (the report's lang=fr): a byte order mark, ';', quoted fields with "" inside.
function parseCsv(text) {
  const out = [];
  let row = [], field = "", quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ";") { row.push(field); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && s[i + 1] === "\n") i++;
      row.push(field); out.push(row); row = []; field = "";
    } else field += c;
  }
  if (field !== "" || row.length) { row.push(field); out.push(row); }
  return out;
}

await inChromium(async (context, page, problems) => {
  // Every answer of the API the page receives, to look for personal data in them.
  const answers = [];
  page.on("response", (r) => {
    if (new URL(r.url()).pathname.startsWith("/api/")) answers.push(r.text().then((t) => ({ url: r.url(), t }), () => ({ url: r.url(), t: "" })));
  });

  await page.goto(base + "/");
  await page.getByLabel("Adresse e-mail").fill(staffEmail);
  await page.getByLabel("Mot de passe").fill(staffPassword);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Tableau de bord" }).click();
  await page.getByRole("heading", { level: 1, name: "Tableau de bord de la région" }).waitFor();
  // Each report is painted as it arrives: every one of them, before reading their figures.
  for (const table of ["#funnel-table", "#outcomes-startups-table", "#discipline-table", "#stale-table"])
    await page.locator(table).waitFor();
  check(new URL(page.url()).pathname === "/dashboard", `the dashboard's address: ${page.url()}`);

  // The API's own figures, asked with the same session.
  const report = async (name, query = "") => (await page.request.get(`${base}/api/v1/reports/${name}${query}`)).json();
  const funnel = await report("funnel");
  const outcomes = await report("outcomes");
  check(funnel.scope === "every-startup", `staff see every start-up: ${funnel.scope}`);

  // The funnel: a row per stage with its leads, reached and conversion, as the API says.
  const funnelRows = await rows(page, "#funnel-table");
  check(funnelRows.length === funnel.overall.stages.length,
        `the funnel table has a row per stage: ${funnelRows.length} of ${funnel.overall.stages.length}`);
  for (const s of funnel.overall.stages) {
    const row = funnelRows.find((r) => r[0] === s.stage);
    check(row !== undefined && row[1] === frNumber(s.leads) && row[2] === frNumber(s.reached) &&
          row[3] === frPercent(s.conversion_to_next),
          `funnel stage ${s.stage}: ${JSON.stringify(row)} shows leads ${s.leads}, reached ${s.reached}, conversion ${s.conversion_to_next}`);
  }
  const leadsTotal = funnel.overall.stages.reduce((n, s) => n + s.leads, 0);
  check(leadsTotal === 4 && funnel.overall.leads === 4, `the API counts the 4 seeded leads: ${funnel.overall.leads}`);
  const byStartup = await rows(page, "#funnel-startups-table");
  for (const s of funnel.startups) {
    const row = byStartup.find((r) => r[0] === s.org_name);
    check(row?.[1] === frNumber(s.leads), `funnel of ${s.org_name}: ${JSON.stringify(row)} has ${s.leads} leads`);
  }
  check(await page.locator("#funnel-title ~ * svg[aria-hidden='true'], .report svg[aria-hidden='true']").count() >= 4,
        "the charts are hidden from screen readers (their tables hold the figures)");

  // Outcomes by start-up and by partner: euros and the original currencies, French style.
  const outcomeRows = await rows(page, "#outcomes-startups-table");
  const total = outcomeRows.find((r) => r[0] === "Total");
  check(total?.[1] === frNumber(outcomes.totals.count) && total?.[2] === frMoney(outcomes.totals.amount_eur, "EUR"),
        `the outcomes' total: ${JSON.stringify(total)} against ${JSON.stringify(outcomes.totals)}`);
  for (const s of outcomes.startups) {
    const row = outcomeRows.find((r) => r[0] === s.org_name);
    check(row?.[1] === frNumber(s.count) && row?.[2] === frMoney(s.amount_eur, "EUR") &&
          s.amounts.every((a) => row?.[3].includes(frMoney(a.amount, a.currency))) && row?.[4] === frNumber(s.jobs),
          `outcomes of ${s.org_name}: ${JSON.stringify(row)} against ${JSON.stringify(s)}`);
  }
  const alpha = outcomeRows.find((r) => r[0] === "Alpha Robotics");
  check(alpha?.[2] === "1 234,56 €", `Alpha's investment reads 1 234,56 € in French: ${alpha?.[2]}`);
  const beta = outcomeRows.find((r) => r[0] === "Beta Foods");
  check(beta?.[2] === "18 000,00 €" && beta?.[3] === "20 000,00 $US",
        `Beta's contract in dollars reads in euros at the region's rate and in dollars: ${JSON.stringify(beta)}`);
  const partnerRows = await rows(page, "#outcomes-partners-table");
  for (const p of outcomes.by_partner) {
    const row = partnerRows.find((r) => r[0] === (p.company_name ?? "(sans partenaire)"));
    check(row?.[2] === frMoney(p.amount_eur, "EUR"), `outcomes with ${p.company_name}: ${JSON.stringify(row)}`);
  }
  for (const label of ["Entonnoir", "Résultats", "Rigueur des relances", "Pistes dormantes", "Passage à la suivante", "Montant en euros"])
    check(await page.getByText(label, { exact: true }).count() > 0, `French label "${label}"`);
  await accessible(page, "dashboard");
  await shot(page, "dashboard");

  // Filtering by the mission: the reports are asked with its id; the page's address stays.
  const filtered = page.waitForRequest((r) => r.url().includes("/api/v1/reports/funnel") && r.url().includes(`event_id=${missionId}`));
  await page.getByLabel("Mission ou salon").selectOption(missionId);
  await page.getByRole("button", { name: "Appliquer les filtres" }).click();
  await filtered;
  check(new URL(page.url()).search === "", `the filters stay out of the page's address: ${page.url()}`);
  const funnelOfMission = await report("funnel", `?event_id=${missionId}`);
  await page.waitForTimeout(300);
  const missionRows = await rows(page, "#funnel-table");
  check(funnelOfMission.overall.stages.every((s) => missionRows.find((r) => r[0] === s.stage)?.[1] === frNumber(s.leads)),
        "the filtered funnel shows the mission's figures");

  // The CSV export: the report's file, downloaded and parsed.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("region", { name: "Entonnoir" }).getByRole("link", { name: "Exporter en CSV" }).click(),
  ]);
  const csvUrl = new URL(download.url());
  check(csvUrl.pathname === "/api/v1/reports/funnel" && csvUrl.searchParams.get("format") === "csv" &&
        csvUrl.searchParams.get("event_id") === missionId, `the export asks the report's file: ${download.url()}`);
  const csvText = await (await import("node:fs/promises")).readFile(await download.path(), "utf8");
  const table = parseCsv(csvText).filter((r) => r.some((c) => c !== ""));
  check(table.length > funnel.overall.stages.length && table.every((r) => r.length === table[0].length),
        `the CSV parses into rows of ${table[0]?.length} columns: ${table.length} rows`);
  check(funnelOfMission.overall.stages.every((s) => table.some((r) => r.includes(s.stage))), "the CSV holds every stage");
  check(!secrets.some((w) => csvText.includes(w)), "the CSV holds no personal data");

  // No personal data of the unshared contact anywhere.
  const text = await page.evaluate(() => document.body.innerText);
  for (const word of secrets) check(!text.includes(word), `the page's text does not hold "${word}"`);
  const received = await Promise.all(answers);
  check(received.length > 5, `the page's API answers were read: ${received.length}`);
  for (const word of secrets) {
    const leak = received.find((a) => a.t.includes(word));
    check(leak === undefined, `no answer the page received holds "${word}"${leak ? `: ${leak.url}` : ""}`);
  }

  // A phone: the charts and tables reflow.
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "dashboard-phone");
  await page.setViewportSize({ width: 1280, height: 800 });

  // An org-admin adds an instance of the bundled email reminder through the form generated
  // from the plugin's documented settings, and sees its delivery state.
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await page.getByRole("heading", { name: "Connexion" }).waitFor();  // the admin screen has an email field too
  await page.getByLabel("Adresse e-mail").fill(orgAdminEmail);
  await page.getByLabel("Mot de passe").fill(orgAdminPassword);
  await page.getByRole("button", { name: "Se connecter" }).click();
  // A start-up's own view of the dashboard: its figures beside the mission's totals.
  await page.getByRole("navigation").getByRole("link", { name: "Tableau de bord" }).click();
  await page.getByText("Les chiffres de votre start-up à côté des totaux de la mission.").waitFor();
  await page.locator("#outcomes-startups-table").waitFor();
  const ownOutcomes = await report("outcomes");
  check(ownOutcomes.scope === "own-startup", `a start-up's admin gets the start-up's scope: ${ownOutcomes.scope}`);
  const ownRows = await rows(page, "#outcomes-startups-table");
  check(ownRows.length === 2 && ownRows[0][0] === "Total" && ownRows[0][2] === frMoney(ownOutcomes.totals.amount_eur, "EUR") &&
        ownRows[1][0] === "Alpha Robotics",
        `the start-up sees the mission's total and its own row only: ${JSON.stringify(ownRows)}`);
  check(await page.getByLabel("Start-up", { exact: true }).count() === 0, "a start-up's user has no start-up filter");
  await shot(page, "dashboard-startup");

  await page.getByRole("navigation").getByRole("link", { name: "Administration" }).click();
  await page.getByRole("heading", { level: 1, name: "Administration" }).waitFor();
  check(await page.getByRole("heading", { name: "Organisations" }).count() === 0, "an org-admin does not manage organisations");
  await page.getByRole("button", { name: "Ajouter une instance de Email reminders" }).click();
  await page.getByRole("group", { name: "Réglages" }).waitFor();
  const smtp = page.getByLabel(/^smtp_url/);
  check(await smtp.getAttribute("required") !== null && await page.getByLabel(/^from/).getAttribute("required") !== null,
        "the settings the plugin says are required are required fields");
  check(await page.getByLabel(/^password/).getAttribute("type") === "password", "a secret setting is a password field");
  check(await page.getByLabel(/^starttls/).locator("option").count() === 4, "a setting with choices is a list of them (and its default)");
  check(await page.getByLabel(/^connect_timeout_ms/).getAttribute("type") === "number", "a setting with a number as default is a number");
  await page.getByLabel("Nom de l'instance").fill("Rappels Alpha");
  await smtp.fill("smtp://127.0.0.1:2525");
  await page.getByLabel(/^from/).fill("Alpha Robotics <relance@alpha.example>");
  await page.getByLabel(/^username/).fill("relance@alpha.example");
  await page.getByLabel(/^password/).fill(smtpPassword);
  await page.getByLabel(/^starttls/).selectOption("no");
  await page.getByLabel(/^connect_timeout_ms/).fill("3000");
  await accessible(page, "admin-instance-form");
  await shot(page, "admin-instance-form");
  await page.getByRole("button", { name: "Créer", exact: true }).click();
  const instanceBox = page.getByRole("article", { name: "Instance Rappels Alpha" });
  await instanceBox.waitFor();
  const instances = await (await page.request.get(`${base}/api/v1/plugin-instances`)).json();
  const made = instances.items.find((i) => i.name === "Rappels Alpha");
  check(made?.plugin === "org.relance.email-reminder" && made?.settings.smtp_url === "smtp://127.0.0.1:2525" &&
        made?.settings.starttls === "no" && made?.settings.connect_timeout_ms === 3000 && made?.settings.password === "(set)",
        `the instance holds the settings typed, in their types, the secret sealed: ${JSON.stringify(made?.settings)}`);
  // The state moves on (starting, then idle): the screen reads it again every few seconds.
  let state = "", apiState = "";
  for (let tries = 0; tries < 20; tries++) {
    apiState = (await (await page.request.get(`${base}/api/v1/plugin-instances/${made.id}`)).json()).delivery.state;
    state = (await instanceBox.locator(".delivery-state").textContent()).trim();
    if (state === apiState) break;
    await page.waitForTimeout(500);
  }
  check(state === apiState, `the instance's delivery state is shown as the API gives it: ${state} (the API: ${apiState})`);
  await page.getByRole("button", { name: "Modifier Rappels Alpha" }).click();
  await page.getByRole("group", { name: "Réglages" }).waitFor();
  check(await page.getByLabel(/^password/).inputValue() === "" &&
        (await page.getByLabel(/^password/).getAttribute("placeholder")).includes("laisser vide"),
        "the stored secret is never shown back: an empty field that keeps it");
  check(await page.getByLabel(/^smtp_url/).inputValue() === "smtp://127.0.0.1:2525", "the other settings are shown back");
  await page.getByLabel(/^timeout_ms/).fill("7000");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByRole("group", { name: "Réglages" }).waitFor({ state: "detached" });
  const changed = (await (await page.request.get(`${base}/api/v1/plugin-instances/${made.id}`)).json()).settings;
  check(changed.timeout_ms === 7000 && changed.password === "(set)", `a change keeps the stored secret: ${JSON.stringify(changed)}`);
  const adminHtml = await page.content();
  check(!adminHtml.includes(smtpPassword), "the secret is nowhere in the page");
  await accessible(page, "admin (org-admin)");
  await shot(page, "admin-org-admin");

  // The instance admin's first-run setup: an organisation, then a user invited into it.
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await page.getByRole("heading", { name: "Connexion" }).waitFor();  // the admin screen has an email field too
  await page.getByLabel("Adresse e-mail").fill(adminEmail);
  await page.getByLabel("Mot de passe").fill(adminPassword);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Administration" }).click();
  await page.getByRole("heading", { name: "Organisations" }).waitFor();
  const orgName = "Gamma Énergie 🌱";
  await page.getByLabel("Nom de la nouvelle start-up").fill(orgName);
  await page.getByRole("region", { name: "Organisations" }).getByRole("button", { name: "Créer" }).click();
  await page.locator("#organisations-table").getByText(orgName).waitFor();
  const orgs = await (await page.request.get(`${base}/api/v1/organisations?limit=200`)).json();
  const gamma = orgs.items.find((o) => o.name === orgName);
  check(gamma?.kind === "startup", `the organisation exists as a start-up: ${JSON.stringify(gamma)}`);
  await page.getByLabel("Organisation", { exact: true }).selectOption(String(gamma?.id));
  await page.getByLabel("Adresse e-mail", { exact: true }).fill("lea@gamma.example");
  await page.getByLabel("Nom", { exact: true }).last().fill("Léa Gamma");
  await page.getByLabel("Rôle").selectOption("org-admin");
  await page.getByRole("button", { name: "Créer et inviter" }).click();
  const link = await page.getByLabel("Lien pour choisir le mot de passe").inputValue();
  check(link.includes("/api/v1/auth/password?token=rl_"), `the new user's invitation link is shown: ${link.slice(0, 60)}...`);
  await page.locator("#users-table").getByRole("cell", { name: "lea@gamma.example", exact: true }).waitFor();
  const users = await (await page.request.get(`${base}/api/v1/users?email=lea@gamma.example`)).json();
  check(users.items[0]?.org_id === gamma?.id && users.items[0]?.role === "org-admin" && users.items[0]?.display_name === "Léa Gamma",
        `the user belongs to the new organisation with the role chosen: ${JSON.stringify(users.items[0])}`);
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Désactiver lea@gamma.example" }).click();
  await page.getByText("lea@gamma.example est désactivé.").waitFor();
  const disabled = await (await page.request.get(`${base}/api/v1/users?email=lea@gamma.example`)).json();
  check(disabled.items[0]?.disabled === true, "disabling the user is done through the API");
  // The instance admin sees every organisation's instances: Beta's journal has a dead letter.
  const journal = page.getByRole("article", { name: "Instance Journal Beta" });
  const letter = journal.getByRole("table", { name: "Lettres mortes" });
  await letter.waitFor();
  check(await letter.locator("tbody tr").count() === 1 && (await letter.innerText()).includes("company.created"),
        "the instance's dead letter is listed with its event");
  await accessible(page, "admin");
  await shot(page, "admin");
  const replayed = page.waitForResponse((r) => r.url().endsWith("/dead-letters/replay") && r.request().method() === "POST");
  await journal.getByRole("button", { name: "Rejouer toutes les lettres mortes" }).click();
  check((await replayed).status() === 202, "replaying the dead letters is asked of the API");
  await journal.getByText("1 événement(s) remis en distribution.").waitFor();
  check(true, "the replay says how many events went back to delivery");

  check(problems.length === 0, `no script error and no Content-Security-Policy violation: ${JSON.stringify(problems)}`);
});
