import type { ComponentChildren, JSX } from "preact";
import { useEffect, useState } from "preact/hooks";

import { api, problemDetail, type Contact } from "../../api/client";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/en";
import { CompanyPicker } from "./CompanyPicker";
import { changes, fieldOf, formOf, lawfulBases, type ContactForm, type FormField } from "./contactForm";

export type Saved = { contact: Contact; etag: string | null };

// What each field's control gets: its id, its hint and error, whether it is refused.
interface FieldAttrs {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: "true";
}

// A contact's edit form. The save sends the fields changed with If-Match (the ETag of the
// version the form was opened on): a contact someone else changed meanwhile answers 412,
// and the form says so rather than overwrite their change. A refused value is shown beside
// its field (the problem's `field`), the focus taken there.
export function ContactEditForm(props: {
  contact: Contact;
  etag: string | null;
  companyName: string;
  onSaved: (saved: Saved) => void;
  onCancel: () => void;
  onReload: () => void;
}) {
  const { t } = useI18n();
  const [form, setForm] = useState<ContactForm>(() => formOf(props.contact, props.companyName));
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => document.getElementById("edit-first_name")?.focus(), []);

  const save = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    setErrors({});
    if (form.company.name.trim() && !form.company.id) {
      setErrors({ company_id: t("contact.edit_company_pick") });
      document.getElementById("edit-company_id")?.focus();
      return;
    }
    const body = changes(props.contact, form);
    if (Object.keys(body).length === 0) return props.onCancel();
    setBusy(true);
    try {
      const { data, error, response } = await api.PATCH("/api/v1/contacts/{id}", {
        params: { path: { id: props.contact.id }, header: props.etag ? { "If-Match": props.etag } : {} },
        body: body as never,  // fields of the contact, built and checked by contactForm.ts
      });
      if (data) return props.onSaved({ contact: data, etag: response.headers.get("ETag") });
      if (response.status === 412) return setConflict(true);
      const field = fieldOf(error && typeof error === "object" && "field" in error ? error.field : null);
      const detail = problemDetail(error, response);
      if (field) {
        setErrors({ [field]: detail });
        document.getElementById(`edit-${field}`)?.focus();
      } else {
        setFailure(t("app.error", { detail }));
      }
    } catch {
      setFailure(t("app.offline"));
    } finally {
      setBusy(false);
    }
  };

  const set = (key: Exclude<keyof ContactForm, "company">) => (e: Event) =>
    setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });
  // A labelled field with its hint and the API's refusal beside it.
  const field = (key: FormField, label: MessageKey, input: (attrs: FieldAttrs) => ComponentChildren, hint?: MessageKey) => {
    const id = `edit-${key}`;
    const described = [hint ? `${id}-hint` : "", errors[key] ? `${id}-error` : ""].filter(Boolean).join(" ");
    return (
      <div class="field">
        <label for={id}>{t(label)}</label>
        {input({ id, ...(described ? { "aria-describedby": described } : {}), ...(errors[key] ? { "aria-invalid": "true" as const } : {}) })}
        {hint ? <p id={`${id}-hint`} class="hint">{t(hint)}</p> : null}
        {errors[key] ? <p id={`${id}-error`} class="field-error">{errors[key]}</p> : null}
      </div>
    );
  };
  const text = (key: Exclude<keyof ContactForm, "company">, label: MessageKey,
                extra: JSX.InputHTMLAttributes<HTMLInputElement> = {}, hint?: MessageKey) =>
    field(key as FormField, label, (a) => <input {...a} {...extra} value={form[key]} onInput={set(key)} />, hint);
  const area = (key: "emails" | "phones" | "notes" | "consent_note", label: MessageKey, rows: number, hint?: MessageKey) =>
    field(key, label, (a) => <textarea {...a} rows={rows} value={form[key]} onInput={set(key)} />, hint);

  return (
    <form class="contact-edit" onSubmit={(e) => void save(e)} aria-labelledby="contact-edit-title" noValidate>
      <h2 id="contact-edit-title">{t("contact.edit_title")}</h2>
      {conflict ? (
        <div class="message message-error" role="alert">
          <p>{t("contact.edit_conflict")}</p>
          <button type="button" onClick={props.onReload}>{t("contact.reload")}</button>
        </div>
      ) : null}
      {text("first_name", "contact.first_name")}
      {text("last_name", "contact.last_name")}
      {text("title", "contact.job_title")}
      {field("company_id", "contact.company", (a) => (
        <CompanyPicker id="edit-company_id" value={form.company} onChange={(company) => setForm({ ...form, company })}
                       describedBy={a["aria-describedby"]} invalid={Boolean(errors.company_id)} />
      ), "contact.company_hint")}
      {area("emails", "contact.emails", 2, "contact.one_a_line")}
      {area("phones", "contact.phones", 2, "contact.phones_hint")}
      {text("city", "contact.city")}
      {text("country", "contact.country", { maxLength: 2, size: 3, autoComplete: "off" }, "contacts.filter_country_hint")}
      {text("linkedin_url", "contact.linkedin", { type: "url" })}
      {text("tags", "contact.tags", { autoComplete: "off" }, "contact.tags_hint")}
      {text("met_where", "contact.met_where")}
      {field("lawful_basis", "contact.lawful_basis", (a) => (
        <select {...a} value={form.lawful_basis}
                onChange={(e) => setForm({ ...form, lawful_basis: (e.currentTarget as HTMLSelectElement).value })}>
          <option value="">{t("contact.none")}</option>
          {lawfulBases.map((b) => <option key={b} value={b}>{t(`contact.basis_${b}` as MessageKey)}</option>)}
        </select>
      ))}
      {text("consent_at", "contact.consent_at", { type: "date" })}
      {area("consent_note", "contact.consent_note", 2)}
      {area("notes", "contact.notes", 4)}
      {failure ? <Message kind="error">{failure}</Message> : null}
      <div class="actions">
        <button type="submit" disabled={busy}>{t("contact.save")}</button>
        <button type="button" class="secondary" onClick={props.onCancel}>{t("contact.cancel")}</button>
      </div>
    </form>
  );
}
