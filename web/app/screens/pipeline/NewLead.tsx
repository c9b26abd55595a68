import { useEffect, useRef, useState } from "preact/hooks";

import { aborted, api, problemDetail, type Contact } from "../../api/client";
import { useSession } from "../../api/session";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";
import { fullName } from "../contacts/names";

// "New lead": a contact found as you type (the API's search), a title (the contact's name
// by default), an expected value in euros; the lead starts in the first stage, owned by the
// user, with the contact's company and the mission the contact was met at (quick add's), so
// that it counts in that mission's reports.
export function NewLead({ stages, onCreated }: { stages: readonly string[]; onCreated: () => void }) {
  const { t } = useI18n();
  const { me } = useSession();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [matches, setMatches] = useState<Contact[]>([]);
  const [contactId, setContactId] = useState("");
  const [title, setTitle] = useState("");
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    const ticket = ++latest.current;
    const q = query.trim();
    api
      .GET("/api/v1/contacts", { params: { query: { limit: 20, ...(q ? { q } : {}) } }, signal: controller.signal })
      .then(({ data }) => {
        if (ticket !== latest.current || !data) return;
        setMatches(data.items);
        setContactId((id) => (data.items.some((c) => String(c.id) === id) ? id : String(data.items[0]?.id ?? "")));
      })
      .catch((e) => {
        if (!aborted(e)) setError(t("app.offline"));
      });
    return () => controller.abort();
  }, [query, open]);

  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t("pipeline.new_lead")}
      </button>
    );

  const contact = matches.find((c) => String(c.id) === contactId);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!contact) return setError(t("pipeline.pick_contact"));
    setBusy(true);
    try {
      const body = {
        title: title.trim() || fullName(contact) || t("pipeline.untitled"),
        contact_id: contact.id,
        ...(contact.company_id ? { company_id: contact.company_id } : {}),
        ...(contact.source_event_id ? { source_event_id: contact.source_event_id } : {}),
        ...(me.id ? { owner_id: me.id } : {}),
        ...(stages[0] ? { stage: stages[0] } : {}),
        ...(value.trim() ? { value: value.trim().replace(",", "."), currency: "EUR" } : {}),
      };
      const { data, error: problem, response } = await api.POST("/api/v1/leads", { body });
      if (!data) return setError(t("app.error", { detail: problemDetail(problem, response) }));
      setOpen(false);
      setQuery("");
      setTitle("");
      setValue("");
      setError(null);
      onCreated();
    } catch {
      setError(t("app.offline"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="new-lead" aria-labelledby="new-lead-title" onSubmit={(e) => void submit(e)}>
      <h2 id="new-lead-title">{t("pipeline.new_lead")}</h2>
      <label for="new-lead-search">{t("pipeline.find_contact")}</label>
      <input
        id="new-lead-search"
        type="search"
        autoComplete="off"
        value={query}
        onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
      />
      <label for="new-lead-contact">{t("pipeline.contact")}</label>
      <select id="new-lead-contact" value={contactId} onChange={(e) => setContactId((e.currentTarget as HTMLSelectElement).value)}>
        {matches.map((c) => (
          <option key={c.id} value={String(c.id)}>{fullName(c) || t("contacts.unnamed")}</option>
        ))}
      </select>
      <label for="new-lead-title-input">{t("pipeline.lead_title")}</label>
      <input id="new-lead-title-input" value={title} placeholder={contact ? fullName(contact) : ""}
        onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} />
      <label for="new-lead-value">{t("pipeline.lead_value")}</label>
      <input id="new-lead-value" inputMode="decimal" value={value}
        onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)} />
      {error ? <Message kind="error">{error}</Message> : null}
      <div class="actions">
        <button type="submit" disabled={busy}>{t("pipeline.create_lead")}</button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>{t("pipeline.cancel")}</button>
      </div>
    </form>
  );
}
