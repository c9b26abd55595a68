// A contact as its edit form holds it (text in inputs), what a save sends (only the fields
// changed: PATCH changes the fields sent), and where the API's refusal points (a problem's
// `field`, "phones/1", is the field "phones").
import type { Contact } from "../../api/client";
import type { CompanyChoice } from "./CompanyPicker";

export const lawfulBases = ["consent", "legitimate-interest", "contract", "legal-obligation", "unknown"] as const;

export interface ContactForm {
  first_name: string;
  last_name: string;
  title: string;
  company: CompanyChoice;
  emails: string;  // one a line
  phones: string;  // one a line, as typed: the API reads them (docs/api.md, Phone numbers)
  city: string;
  country: string;
  linkedin_url: string;
  tags: string;    // comma-separated
  met_where: string;
  lawful_basis: string;
  consent_at: string;  // a day, yyyy-mm-dd
  consent_note: string;
  notes: string;
}

export type FormField = Exclude<keyof ContactForm, "company"> | "company_id";

export function formOf(c: Contact, companyName: string): ContactForm {
  return {
    first_name: c.first_name ?? "",
    last_name: c.last_name ?? "",
    title: c.title ?? "",
    company: { name: companyName, id: c.company_id ?? null },
    emails: (c.emails ?? []).join("\n"),
    phones: (c.phones ?? []).join("\n"),
    city: c.city ?? "",
    country: c.country ?? "",
    linkedin_url: c.linkedin_url ?? "",
    tags: (c.tags ?? []).join(", "),
    met_where: c.met_where ?? "",
    lawful_basis: c.lawful_basis ?? "",
    consent_at: c.consent_at ? c.consent_at.slice(0, 10) : "",
    consent_note: c.consent_note ?? "",
    notes: c.notes ?? "",
  };
}

const lines = (text: string) => text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
const commaList = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);
const orNull = (text: string) => (text.trim() ? text.trim() : null);

// The PATCH body: each field whose value differs from the contact's, emptied ones as null
// (lists as []). A company typed but not picked is not sent: the form says so first.
export function changes(before: Contact, form: ContactForm): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  // A textarea gives its text with LF line ends: notes stored with CRLF are not a change,
  // and are not rewritten by a save of another field.
  const plain = (v: unknown) => (typeof v === "string" ? v.replace(/\r\n/g, "\n") : v);
  const same = (a: unknown, b: unknown) => JSON.stringify(plain(a) ?? null) === JSON.stringify(plain(b) ?? null);
  const put = (key: keyof Contact, value: unknown) => {
    if (!same(before[key], value)) body[key] = value;
  };
  put("first_name", orNull(form.first_name));
  put("last_name", orNull(form.last_name));
  put("title", orNull(form.title));
  if (form.company.id || !form.company.name.trim()) put("company_id", form.company.id);
  put("city", orNull(form.city));
  put("country", orNull(form.country.toUpperCase()));
  put("linkedin_url", orNull(form.linkedin_url));
  put("met_where", orNull(form.met_where));
  put("lawful_basis", form.lawful_basis || null);
  put("consent_note", orNull(form.consent_note));
  put("notes", form.notes.trim() ? form.notes : null);
  // Lists the API normalises (phones to E.164, emails to lower case): sent when the lines
  // typed are not those shown.
  const listPut = (key: "emails" | "phones" | "tags", items: string[]) => {
    if (!same(before[key] ?? [], items)) body[key] = items;
  };
  listPut("emails", lines(form.emails));
  listPut("phones", lines(form.phones));
  listPut("tags", commaList(form.tags));
  // A consent day: noon UTC, the same calendar day in every zone people work in.
  const consent = before.consent_at ? before.consent_at.slice(0, 10) : "";
  if (form.consent_at !== consent) body.consent_at = form.consent_at ? `${form.consent_at}T12:00:00Z` : null;
  return body;
}

// The form's field a problem's `field` ("phones/1", "company_id") is about; null when none.
export function fieldOf(problemField: unknown): FormField | null {
  if (typeof problemField !== "string") return null;
  const head = problemField.split("/")[0] ?? "";
  const known: readonly string[] = [
    "first_name", "last_name", "title", "company_id", "emails", "phones", "city", "country", "linkedin_url",
    "tags", "met_where", "lawful_basis", "consent_at", "consent_note", "notes",
  ];
  return known.includes(head) ? (head as FormField) : null;
}
