import { useEffect, useRef, useState } from "preact/hooks";

import { aborted, api } from "../../api/client";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";
import { enqueue, flush, forget, queueChanged, queued, type QueuedAdd, type QueuedPhoto, type QuickContact } from "./queue";
import { cardPhoto } from "./photo";

interface Mission {
  id: number;
  name: string;
}
interface CompanyHint {
  id: number;
  name: string;
}

const blank = (mission: Mission | null): QuickContact => ({
  first_name: "", last_name: "", email: "", phone: "", notes: "",
  company_id: null, company_name: "", event_id: mission?.id ?? null, tag: mission?.name ?? "",
});

type Outcome = { kind: "saved"; name: string } | { kind: "queued"; name: string } | { kind: "error"; detail: string } | null;

// Quick add, for a phone at a stand: one screen, big targets, the first field focused, Enter
// saves, a clear "saved" and a blank form for the next person. Saved through the queue
// (queue.ts): when the network fails the contact waits in the browser and goes when it is
// back, the count of those waiting always shown.
export function QuickAddScreen() {
  const { t } = useI18n();
  const [missions, setMissions] = useState<Mission[]>([]);
  const [mission, setMission] = useState<Mission | null>(null);
  const [form, setForm] = useState<QuickContact>(blank(null));
  const [companies, setCompanies] = useState<CompanyHint[]>([]);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [waiting, setWaiting] = useState<QueuedAdd[]>(queued());
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const photoInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
    const changed = () => setWaiting(queued());
    queueChanged.addEventListener("changed", changed);
    void flush();
    return () => queueChanged.removeEventListener("changed", changed);
  }, []);

  // The current mission: the latest of the region's (and the organisation's) events.
  useEffect(() => {
    api.GET("/api/v1/events", { params: { query: { sort: "-created_at", limit: 50 } } })
      .then(({ data }) => {
        if (!data) return;
        const sorted = [...data.items].sort((a, b) => (b.starts_on ?? "").localeCompare(a.starts_on ?? "") || b.id - a.id);
        const list = sorted.map((e) => ({ id: e.id, name: e.name }));
        setMissions(list);
        const latest = list[0] ?? null;
        setMission(latest);
        setForm((f) => (f.event_id === null && !f.tag ? { ...f, event_id: latest?.id ?? null, tag: latest?.name ?? "" } : f));
      })
      .catch(() => undefined);  // offline: no mission preset
  }, []);

  // Company type-ahead: the API's search at every keystroke, the older request aborted.
  useEffect(() => {
    const name = form.company_name.trim();
    if (!name || form.company_id) return;
    const controller = new AbortController();
    api.GET("/api/v1/companies", { params: { query: { q: name, limit: 8 } }, signal: controller.signal })
      .then(({ data }) => data && setCompanies(data.items.map((c) => ({ id: c.id, name: c.name }))))
      .catch((e) => { if (!aborted(e)) setCompanies([]); });
    return () => controller.abort();
  }, [form.company_name]);

  const set = (field: keyof QuickContact) => (e: Event) =>
    setForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value });

  const onCompany = (e: Event) => {
    const name = (e.currentTarget as HTMLInputElement).value;
    const picked = companies.find((c) => c.name === name);
    setForm({ ...form, company_name: name, company_id: picked?.id ?? null });
  };

  const onMission = (e: Event) => {
    const id = Number((e.currentTarget as HTMLSelectElement).value);
    const m = missions.find((x) => x.id === id) ?? null;
    setForm({ ...form, event_id: m?.id ?? null, tag: m?.name ?? "" });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!form.first_name.trim() && !form.last_name.trim()) {
      setOutcome({ kind: "error", detail: t("quick.need_name") });
      first.current?.focus();
      return;
    }
    setBusy(true);
    let photo: QueuedPhoto | null = null;
    const file = photoInput.current?.files?.[0];
    if (file) {
      photo = await cardPhoto(file);
      if (!photo) {
        setBusy(false);
        setOutcome({ kind: "error", detail: t("quick.photo_unreadable") });
        return;
      }
    }
    const typed = form;
    const name = `${typed.first_name} ${typed.last_name}`.trim();
    const item = enqueue(typed, photo);
    if (!item) {
      setBusy(false);
      setOutcome({ kind: "error", detail: t("quick.storage_full") });
      return;
    }
    setForm(blank(mission && typed.event_id === mission.id ? mission : missions.find((m) => m.id === typed.event_id) ?? mission));
    if (photoInput.current) photoInput.current.value = "";
    setCompanies([]);
    first.current?.focus();
    await flush();
    const after = queued().find((i) => i.key === item.key);
    if (!after) setOutcome({ kind: "saved", name });
    else if (after.refused) {
      // The server said no (a malformed email...): the form gets it back to correct.
      forget(item.key);
      setForm(typed);
      setOutcome({ kind: "error", detail: after.refused });
    } else setOutcome({ kind: "queued", name });
    setBusy(false);
  };

  // One the server refused while it was sent in the background: back into the form, to correct.
  const correct = (item: QueuedAdd) => {
    forget(item.key);
    setForm(item.contact);
    setOutcome({ kind: "error", detail: item.refused ?? "" });
    first.current?.focus();
  };

  const pending = waiting.filter((i) => !i.refused);
  const refused = waiting.filter((i) => i.refused);
  return (
    <section aria-labelledby="quick-title" class="quick-add">
      <h1 id="quick-title">{t("quick.title")}</h1>
      <p class="count" role="status" aria-live="polite" id="quick-queue">
        {pending.length === 0 ? t("quick.queue_empty") : t("quick.queue", { count: pending.length })}
      </p>
      {pending.length > 0 ? (
        <ul class="pending" aria-label={t("quick.pending_label")}>
          {pending.map((i) => (
            <li key={i.key}>{`${i.contact.first_name} ${i.contact.last_name}`.trim()}</li>
          ))}
        </ul>
      ) : null}
      {refused.length > 0 ? (
        <ul class="pending" aria-label={t("quick.refused_label")}>
          {refused.map((i) => (
            <li key={i.key}>
              {`${i.contact.first_name} ${i.contact.last_name}`.trim()} · {i.refused}{" "}
              <button type="button" class="secondary" onClick={() => correct(i)}>{t("quick.correct")}</button>
            </li>
          ))}
        </ul>
      ) : null}
      <div aria-live="assertive">
        {outcome?.kind === "saved" ? <Message kind="status">{t("quick.saved", { name: outcome.name })}</Message> : null}
        {outcome?.kind === "queued" ? <Message kind="status">{t("quick.queued", { name: outcome.name })}</Message> : null}
      </div>
      {outcome?.kind === "error" ? <Message kind="error">{outcome.detail}</Message> : null}
      <form onSubmit={submit} noValidate>
        <div class="pair">
          <div>
            <label for="quick-first">{t("quick.first_name")}</label>
            <input id="quick-first" ref={first} autoComplete="off" autoCapitalize="words" enterKeyHint="next"
                   value={form.first_name} onInput={set("first_name")} />
          </div>
          <div>
            <label for="quick-last">{t("quick.last_name")}</label>
            <input id="quick-last" autoComplete="off" autoCapitalize="words" value={form.last_name} onInput={set("last_name")} />
          </div>
        </div>
        <label for="quick-company">{t("quick.company")}</label>
        <input id="quick-company" list="quick-companies" autoComplete="off" aria-describedby="quick-company-hint"
               value={form.company_name} onInput={onCompany} />
        <datalist id="quick-companies">
          {companies.map((c) => <option key={c.id} value={c.name} />)}
        </datalist>
        <p id="quick-company-hint" class="hint">
          {form.company_id ? t("quick.company_known") : form.company_name.trim() ? t("quick.company_new") : t("quick.company_hint")}
        </p>
        <label for="quick-email">{t("quick.email")}</label>
        <input id="quick-email" type="email" inputMode="email" autoComplete="off" value={form.email} onInput={set("email")} />
        <label for="quick-phone">{t("quick.phone")}</label>
        <input id="quick-phone" type="tel" inputMode="tel" autoComplete="off" value={form.phone} onInput={set("phone")} />
        <label for="quick-notes">{t("quick.notes")}</label>
        <input id="quick-notes" autoComplete="off" value={form.notes} onInput={set("notes")} />
        <label for="quick-mission">{t("quick.mission")}</label>
        <select id="quick-mission" value={form.event_id ?? ""} onChange={onMission}>
          <option value="">{t("quick.no_mission")}</option>
          {missions.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
        </select>
        <label for="quick-photo">{t("quick.photo")}</label>
        <input id="quick-photo" ref={photoInput} type="file" accept="image/jpeg,image/png,image/webp" capture="environment" />
        <button type="submit" class="big" disabled={busy}>{busy ? t("quick.saving") : t("quick.save")}</button>
      </form>
    </section>
  );
}
