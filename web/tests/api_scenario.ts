// A short scenario of the generated client against a running daemon, as an integrator's
// script or the web app would use it: every call goes through openapi-fetch's typed client
// (src/api/client.ts), so it compiles only if the document allows it; the run checks what
// the server answers, as far as the scenario relies on it.
//
//   node dist/tests/api_scenario.js BASE_URL ADMIN_EMAIL ADMIN_PASSWORD EXPORT.xlsx
//
// As the instance admin: an organisation and a user with a password in it. As that user:
// a personal token, whose secret does the rest: a contact created (its retry with the same
// Idempotency-Key answers the same contact), then one field patched with If-Match (the
// other fields survive; a stale ETag gets 412); a CSV imported (202, the
// job followed until done, its contacts listed); the contacts exported as xlsx into
// EXPORT.xlsx (the test reads it with openpyxl); every contact listed one per page through
// next_cursor, each seen once. Prints each step; exits 1 with the reason at the first fault.
import { writeFile } from "node:fs/promises";

import { failure, relanceClient, type RelanceClient } from "../src/api/client.js";

class ScenarioFailure extends Error {}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new ScenarioFailure(what);
}

// The answer of a call that must succeed with `status`: its body.
function expectStatus<T>(what: string, status: number, answer: { data?: T; error?: unknown; response: Response }): T {
  const { data, error, response } = answer;
  check(response.status === status && data !== undefined,
        `${what}: expected HTTP ${status}, got ${failure(response, error)}`);
  return data;
}

function step(text: string): void {
  console.log(`- ${text}`);
}

async function login(baseUrl: string, email: string, password: string): Promise<RelanceClient> {
  const session = expectStatus(`log in as ${email}`, 200,
    await relanceClient(baseUrl).POST("/api/v1/auth/login", { body: { email, password } }));
  // Without "cookie": true the session is a token in the answer (the web app's is a cookie).
  check(session.token !== undefined, "the login without cookie answered no token");
  return relanceClient(baseUrl, session.token);
}

// The one call of the xlsx export, so that a change of its path or options in the
// document is a change here only.
async function exportContactsXlsx(api: RelanceClient): Promise<ArrayBuffer> {
  const answer = await api.GET("/api/v1/exports/xlsx", {
    params: { query: { dataset: ["contacts"], headers: "fields" } },
    parseAs: "arrayBuffer",
  });
  const type = answer.response.headers.get("Content-Type") ?? "";
  check(type.startsWith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        `the xlsx export came as ${type}`);
  return expectStatus("export the contacts as xlsx", 200, answer);
}

// Every contact, one per page (limit=1) through next_cursor: their ids, in order.
async function listOnePerPage(api: RelanceClient): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; ++page) {
    const query = cursor === undefined ? { limit: 1 } : { limit: 1, cursor };
    const answer = expectStatus(`list page ${page + 1} of the contacts`, 200,
      await api.GET("/api/v1/contacts", { params: { query } }));
    const items = answer.items;
    check(items.length <= 1, `limit=1 answered ${items.length} contacts`);
    for (const contact of items) ids.push(contact.id);
    const next = answer.next_cursor;
    if (next === null) return ids;
    cursor = next;
  }
  throw new ScenarioFailure("the list of contacts did not end within 100 pages of one");
}

async function scenario(baseUrl: string, adminEmail: string, adminPassword: string, xlsxPath: string): Promise<void> {
  const admin = await login(baseUrl, adminEmail, adminPassword);
  step(`logged in as the instance admin ${adminEmail}`);

  const organisation = expectStatus("create an organisation", 201,
    await admin.POST("/api/v1/organisations", { body: { name: "Lumière Robotique 🤖", default_region: "FR" } }));
  const orgId = organisation.id;
  step(`created the organisation ${orgId} "${organisation.name}"`);

  const email = "zoe.fondatrice@lumiere.test";
  const password = "mot-de-passe-très-long-🔑";
  const user = expectStatus("create a user with a password in the organisation", 201,
    await admin.POST("/api/v1/users", {
      body: { email, display_name: "Zoé Fondatrice", role: "member", locale: "fr", password, org_id: orgId },
    }));
  check(user.org_id === orgId, `the user is in organisation ${user.org_id}, not ${orgId}`);
  step(`created the user ${user.id} ${email} in it`);

  const session = await login(baseUrl, email, password);
  step(`logged in as ${email}`);

  const created = expectStatus("create a personal token", 201,
    await session.POST("/api/v1/tokens", { body: { name: "scénario du client généré", scope: "read-write" } }));
  check(created.token.length > 0, "the new token's secret is empty");
  const api = relanceClient(baseUrl, created.token);
  const me = expectStatus("read /me with the personal token", 200, await api.GET("/api/v1/me"));
  check(me.email === email && me.token_scope === "read-write",
        `the personal token is ${me.email}'s with scope ${me.token_scope}`);
  step(`created the personal token ${created.id} and use its secret from here on`);

  // A create sent twice with one Idempotency-Key, as a client retries after a lost answer.
  const createContact = () => api.POST("/api/v1/contacts", {
    params: { header: { "Idempotency-Key": "scenario-contact-1" } },
    body: {
      first_name: "Élodie", last_name: "Château-Müller", emails: ["elodie@chateau.test"], city: "Lyon",
      country: "FR", title: "CTO", tags: ["salon-vivatech"], notes: "Rencontrée au stand 🚀\r\nà rappeler",
    },
  });
  const contactCreate = await createContact();
  const contact = expectStatus("create a contact", 201, contactCreate);
  const contactId = contact.id;
  const etag = contactCreate.response.headers.get("ETag");
  check(etag !== null, "the created contact's answer has no ETag");
  const retried = expectStatus("retry the create with its Idempotency-Key", 201, await createContact());
  check(retried.id === contactId, `the retried create made contact ${retried.id}, not ${contactId} again`);
  step(`created the contact ${contactId} (ETag ${etag}); its retry with the same Idempotency-Key answered it again`);

  const patched = expectStatus("patch the contact's city with If-Match", 200,
    await api.PATCH("/api/v1/contacts/{id}", {
      params: { path: { id: contactId }, header: { "If-Match": etag } },
      body: { city: "Genève" },
    }));
  check(patched.city === "Genève", `the patched city is ${patched.city}`);
  for (const field of ["first_name", "last_name", "emails", "country", "title", "tags", "notes"] as const)
    check(JSON.stringify(patched[field]) === JSON.stringify(contact[field]),
          `PATCH of the city changed ${field}: ${JSON.stringify(contact[field])} became ${JSON.stringify(patched[field])}`);
  const stale = await api.PATCH("/api/v1/contacts/{id}", {
    params: { path: { id: contactId }, header: { "If-Match": etag } },
    body: { city: "Paris" },
  });
  check(stale.response.status === 412, `a PATCH with a stale ETag answered ${failure(stale.response, stale.error)}`);
  step("patched its city with If-Match: the other fields stayed, the stale ETag then got 412");

  const csv = "First Name,Last Name,Email,Company\r\nJosé,Núñez,jose@nunez.test,Café Ñandú\r\n" +
              "Anaïs,Lefèvre,anais@lefevre.test,Café Ñandú\r\n";
  const job = expectStatus("import a CSV", 202,
    await api.POST("/api/v1/imports", {
      params: { query: { tag: "import-client", filename: "salon.csv" } },
      body: csv,
      headers: { "Content-Type": "text/csv" },
      bodySerializer: (body) => body,
    }));
  let state = job.state;
  for (let poll = 0; poll < 200 && (state === "queued" || state === "running"); ++poll) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const progress = expectStatus(`follow the import job ${job.id}`, 200,
      await api.GET("/api/v1/imports/{id}", { params: { path: { id: job.id } } }));
    state = progress.state;
    check(state !== "failed", `the import failed: ${progress.error}`);
    if (state === "done") check(progress.created === 2, `the import created ${progress.created} contacts, not 2`);
  }
  check(state === "done", `the import job ${job.id} is still ${state} after 10 s`);
  const imported = expectStatus("list the imported contacts", 200,
    await api.GET("/api/v1/contacts", { params: { query: { tag: "import-client", sort: "last_name" } } }));
  const importedItems = imported.items;
  const names = importedItems.map((c) => `${c.first_name} ${c.last_name}`).join(", ");
  check(names === "Anaïs Lefèvre, José Núñez", `the imported contacts are ${names}`);
  step(`imported a CSV (job ${job.id}): ${names}`);

  const xlsx = await exportContactsXlsx(api);
  await writeFile(xlsxPath, new Uint8Array(xlsx));
  step(`exported the contacts as xlsx: ${xlsx.byteLength} bytes in ${xlsxPath}`);

  const ids = await listOnePerPage(api);
  const expected = [contactId, ...importedItems.map((c) => c.id)];
  check(new Set(ids).size === ids.length, `a contact came twice through the cursor: ${ids.join(", ")}`);
  check(ids.length === expected.length && expected.every((id) => ids.includes(id)),
        `the pages of one held ${ids.join(", ")}, expected ${expected.join(", ")}`);
  step(`listed ${ids.length} contacts one per page through next_cursor, each once`);
}

const [baseUrl, adminEmail, adminPassword, xlsxPath] = process.argv.slice(2);
if (!baseUrl || !adminEmail || !adminPassword || !xlsxPath) {
  console.error("usage: node dist/tests/api_scenario.js BASE_URL ADMIN_EMAIL ADMIN_PASSWORD EXPORT.xlsx");
  process.exit(2);
}
try {
  await scenario(baseUrl, adminEmail, adminPassword, xlsxPath);
  console.log("scenario passed");
} catch (e) {
  console.error(`scenario failed: ${e instanceof Error ? (e instanceof ScenarioFailure ? e.message : e.stack) : String(e)}`);
  process.exit(1);
}
