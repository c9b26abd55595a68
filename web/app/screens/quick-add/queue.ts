// The quick adds waiting to reach the server: the one piece of personal data the app keeps
// in the browser (localStorage), so that a contact typed on a stand's flaky network is not
// lost, and forgotten at logout. Every quick add goes through here, online or not: it is
// written to the queue first, then sent. Each carries a key made once, when it was typed;
// each of its requests (the company, the contact, the card's photo) sends an
// Idempotency-Key derived from it, so a retry after an answer that never arrived gets the
// first answer again instead of a second contact.
import { api } from "../../api/client";
import { onSignOut } from "../../api/session";

export interface QuickContact {
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  notes: string;
  company_id: number | null;  // a company picked from the type-ahead
  company_name: string;       // typed, when none was picked: found or created when sent
  event_id: number | null;    // the mission
  tag: string;                // the mission's name, as a tag
}

export interface QueuedPhoto {
  type: string;
  name: string;
  base64: string;  // the bytes
}

export interface QueuedAdd {
  key: string;
  contact: QuickContact;
  photo: QueuedPhoto | null;
  contact_id?: number;  // once created: a later retry only sends the photo
  refused?: string;     // the server refused it (a field's rule): it waits for the user
}

const storageKey = "relance.quick-add.queue";
export const queueChanged = new EventTarget();

export function queued(): QueuedAdd[] {
  try {
    const raw = localStorage.getItem(storageKey);
    const list: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(list) ? (list as QueuedAdd[]) : [];
  } catch {
    return [];
  }
}

// False when the browser refuses to keep it (storage full or disabled).
function save(list: QueuedAdd[]): boolean {
  try {
    if (list.length === 0) localStorage.removeItem(storageKey);
    else localStorage.setItem(storageKey, JSON.stringify(list));
    return true;
  } catch {
    return false;
  } finally {
    queueChanged.dispatchEvent(new Event("changed"));
  }
}

function update(key: string, change: (item: QueuedAdd) => QueuedAdd | null): void {
  const list: QueuedAdd[] = [];
  for (const item of queued()) {
    if (item.key !== key) list.push(item);
    else {
      const changed = change(item);
      if (changed) list.push(changed);
    }
  }
  save(list);
}

export function enqueue(contact: QuickContact, photo: QueuedPhoto | null): QueuedAdd | null {
  const item: QueuedAdd = { key: crypto.randomUUID(), contact, photo };
  return save([...queued(), item]) ? item : null;
}

export function forget(key: string): void {
  update(key, () => null);
}

export function clearQueue(): void {
  save([]);
}
onSignOut(clearQueue);

// How a send ended: sent; offline (the server was not reached, or answered that it cannot
// serve now: the item waits); refused (the server said no: the item waits for the user).
export type SendResult = { kind: "sent"; contactId: number } | { kind: "offline" } | { kind: "refused"; detail: string };

class Unreachable extends Error {}
class Refused extends Error {}

function bytesOf(base64: string): Uint8Array {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) out[i] = text.charCodeAt(i);
  return out;
}

// A refusal the user must act on, or a failure worth retrying.
function failure(status: number, problem: unknown): Error {
  if (status === 401 || status === 408 || status === 429 || status >= 500) return new Unreachable();
  const detail = problem && typeof problem === "object" && "detail" in problem ? String(problem.detail) : `HTTP ${status}`;
  return new Refused(detail);
}

async function companyOf(item: QueuedAdd): Promise<number | null> {
  const { company_id, company_name } = item.contact;
  if (company_id) return company_id;
  const name = company_name.trim();
  if (!name) return null;
  // Typed while offline, or not picked: the organisation's company of that name if there is one.
  const found = await api.GET("/api/v1/companies", { params: { query: { q: name, limit: 20 } } });
  if (!found.data) throw failure(found.response.status, found.error);
  const same = found.data.items.find((c) => c.name.localeCompare(name, undefined, { sensitivity: "accent" }) === 0);
  if (same) return same.id;
  const made = await api.POST("/api/v1/companies", {
    body: { name },
    params: { header: { "Idempotency-Key": `${item.key}-company` } },
  });
  if (!made.data) throw failure(made.response.status, made.error);
  return made.data.id;
}

async function createContact(item: QueuedAdd): Promise<number> {
  const c = item.contact;
  const companyId = await companyOf(item);
  const made = await api.POST("/api/v1/contacts", {
    body: {
      first_name: c.first_name.trim(),
      last_name: c.last_name.trim(),
      ...(c.email.trim() ? { emails: [c.email.trim()] } : {}),
      ...(c.phone.trim() ? { phones: [c.phone.trim()] } : {}),
      ...(c.notes.trim() ? { notes: c.notes.trim() } : {}),
      ...(companyId ? { company_id: companyId } : {}),
      ...(c.event_id ? { source_event_id: c.event_id } : {}),
      ...(c.tag.trim() ? { tags: [c.tag.trim().slice(0, 64)] } : {}),
    },
    params: { header: { "Idempotency-Key": `${item.key}-contact` } },
  });
  if (!made.data) throw failure(made.response.status, made.error);
  return made.data.id;
}

async function sendPhoto(item: QueuedAdd, contactId: number, photo: QueuedPhoto): Promise<void> {
  const sent = await api.POST("/api/v1/contacts/{id}/attachments", {
    params: {
      path: { id: contactId },
      query: photo.name ? { filename: photo.name } : {},
      header: { "Idempotency-Key": `${item.key}-photo` },
    },
    body: bytesOf(photo.base64) as unknown as string,
    bodySerializer: (b: unknown) => b as BodyInit,
    headers: { "Content-Type": photo.type },
  });
  if (!sent.data) throw failure(sent.response.status, sent.error);
}

export async function send(item: QueuedAdd): Promise<SendResult> {
  try {
    let contactId = item.contact_id;
    if (!contactId) {
      contactId = await createContact(item);
      const id = contactId;
      update(item.key, (i) => ({ ...i, contact_id: id }));
    }
    if (item.photo) await sendPhoto(item, contactId, item.photo);
    forget(item.key);
    return { kind: "sent", contactId };
  } catch (e) {
    if (e instanceof Refused) {
      update(item.key, (i) => ({ ...i, refused: e.message }));
      return { kind: "refused", detail: e.message };
    }
    return { kind: "offline" };
  }
}

// Sends what waits, oldest first, one at a time (never the same item twice at once); stops
// at the first that cannot reach the server. The number of items sent.
let flushing: Promise<number> | null = null;
export function flush(): Promise<number> {
  if (flushing) return flushing;
  flushing = (async () => {
    let sent = 0;
    for (const item of queued()) {
      if (item.refused) continue;
      const result = await send(item);
      if (result.kind === "offline") break;
      if (result.kind === "sent") sent += 1;
    }
    return sent;
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}

// Back online, and every few seconds while something waits (a send that failed while the
// browser thought it was online): send.
window.addEventListener("online", () => void flush());
setInterval(() => {
  if (queued().some((i) => !i.refused)) void flush();
}, 5000);
