// Contact merges as the contact page uses them (docs/api.md, "Contact merges"): one
// contact's duplicates, a merge into it, its past merges and their undo.
import { api, problemDetail, type Contact } from "../../api/client";
import type { Translate } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/en";
import { fullName } from "./names";

export interface Moved {
  entity: string;  // leads, activities, followups
  field: string;
  ids: number[];
}

export interface UndoResult {
  restored_fields: string[];
  kept_fields: string[];
  moved_back: Moved[];
  left: Moved[];
}

export interface Merge {
  id: number;
  survivor_id: number;
  duplicate_id: number;
  merged_at: string;
  fields: string[];
  moved: Moved[];
  duplicate: Partial<Contact>;
  undone_at: string | null;
  undo_result: UndoResult | null;
}

export interface DuplicateGroup {
  reasons: string[];
  contacts: Contact[];
}

// The group of duplicates that holds this contact, or null when it has none.
export async function duplicatesOf(id: number): Promise<DuplicateGroup | null> {
  const { data } = await api.GET("/api/v1/contact-duplicates", { params: { query: { contact_id: id } } });
  const group = data?.groups?.[0];
  return group ? { reasons: group.reasons, contacts: group.contacts as Contact[] } : null;
}

export async function mergesInto(id: number): Promise<Merge[]> {
  const { data } = await api.GET("/api/v1/contact-merges", { params: { query: { survivor_id: id, limit: 50 } } });
  return ((data?.items ?? []) as unknown as Merge[]);
}

export type WriteResult = { ok: true; merge: Merge } | { ok: false; status: number; detail: string };

// Merges `duplicateId` into `survivor`: If-Match with the survivor's ETag (changed since it
// was shown: 412), and an Idempotency-Key made when the comparison was opened, so a retry
// after a lost answer gets the first merge rather than "not found".
export async function merge(survivor: number, etag: string | null, duplicateId: number, key: string): Promise<WriteResult> {
  const { data, error, response } = await api.POST("/api/v1/contacts/{id}/merge", {
    params: { path: { id: survivor }, header: { "Idempotency-Key": key, ...(etag ? { "If-Match": etag } : {}) } },
    body: { duplicate_id: duplicateId },
  });
  if (data) return { ok: true, merge: data as unknown as Merge };
  return { ok: false, status: response.status, detail: problemDetail(error, response) };
}

export async function undo(mergeId: number): Promise<WriteResult> {
  const { data, error, response } = await api.POST("/api/v1/contact-merges/{id}/undo", {
    params: { path: { id: mergeId } },
  });
  if (data) return { ok: true, merge: data as unknown as Merge };
  return { ok: false, status: response.status, detail: problemDetail(error, response) };
}

const fieldKeys: Record<string, MessageKey> = {
  first_name: "contact.first_name", last_name: "contact.last_name", title: "contact.job_title",
  company_id: "contact.company", emails: "contact.emails", phones: "contact.phones", city: "contact.city",
  country: "contact.country", linkedin_url: "contact.linkedin", tags: "contact.tags", notes: "contact.notes",
  met_at: "contact.met_at", met_where: "contact.met_where", source_event_id: "contact.mission",
  lawful_basis: "contact.lawful_basis", consent_at: "contact.consent_at", consent_note: "contact.consent_note",
  time_zone: "contact.time_zone",
};

// "Emails, City": a contact's fields as the page labels them.
export function fieldNames(t: Translate, fields: readonly string[]): string {
  return fields.map((f) => (fieldKeys[f] ? t(fieldKeys[f]) : f)).join(", ");
}

// "1 lead, 2 activities": the rows of a merge's or an undo's list.
export function rowCounts(t: Translate, moved: readonly Moved[]): string {
  return moved
    .filter((m) => m.ids.length > 0)
    .map((m) => t(`merge.rows_${m.entity}_${m.ids.length === 1 ? "one" : "other"}` as MessageKey, { count: m.ids.length }))
    .join(", ");
}

// A duplicate's reason in the user's language: the API's are English ("same email x@y",
// "same phone +33...", "same name at Acme"); one it may add later shows as it comes.
export function reasonText(t: Translate, reason: string): string {
  const m = /^same (email|phone|name at) (.*)$/.exec(reason);
  if (!m) return reason;
  const kind = m[1] === "email" ? "merge.reason_email" : m[1] === "phone" ? "merge.reason_phone" : "merge.reason_name";
  return t(kind, { value: m[2] ?? "" });
}

// What an undo did, in plain words, sentence by sentence.
export function undoSentences(t: Translate, m: Merge): string[] {
  const r = m.undo_result;
  const name = fullName(m.duplicate as Contact) || t("contacts.unnamed");
  const out = [t("merge.undo_back", { name })];
  if (!r) return out;
  if (r.restored_fields.length) out.push(t("merge.undo_restored", { fields: fieldNames(t, r.restored_fields) }));
  if (r.kept_fields.length) out.push(t("merge.undo_kept", { fields: fieldNames(t, r.kept_fields) }));
  const back = rowCounts(t, r.moved_back);
  if (back) out.push(t("merge.undo_moved_back", { rows: back, name }));
  const left = rowCounts(t, r.left);
  if (left) out.push(t("merge.undo_left", { rows: left }));
  return out;
}
