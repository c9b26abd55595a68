import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Link, useLocation } from "wouter-preact";

import { api, problemDetail, type Company, type Contact, type Lead } from "../../api/client";
import { useSession } from "../../api/session";
import { Message } from "../../components/Message";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/en";
import { listActivities, type Activity } from "../pipeline/leads";
import { stageLabel } from "../pipeline/names";
import { ContactDuplicates } from "./ContactDuplicates";
import { ContactEditForm } from "./ContactEditForm";
import { ContactMerges } from "./ContactMerges";
import { mergesInto, undo, undoSentences, type Merge } from "./merges";
import { fullName } from "./names";

type Followup = NonNullable<Awaited<ReturnType<typeof contactFollowups>>>[number];

async function contactFollowups(contactId: number) {
  const { data } = await api.GET("/api/v1/followups", { params: { query: { contact_id: contactId, sort: "-due_at", limit: 100 } } });
  return data?.items;
}

interface Loaded {
  contact: Contact;
  etag: string | null;  // of the version shown: edits, deletes and merges send it (If-Match)
  company: Company | null;
  leads: Lead[];
  activities: Activity[];
  followups: Followup[];
  merges: Merge[];
}

type State =
  | { kind: "loading" }
  | { kind: "missing" }
  | { kind: "failed"; detail: string }
  | { kind: "ready"; data: Loaded };

// What the page says after a merge or an undo, at its top.
type Notice = { kind: "merged"; merge: Merge } | { kind: "undone"; merge: Merge } | { kind: "saved" } | null;

// One contact: its details (edited in place by its organisation's members, deleted after a
// confirmation), its leads, activities and follow-ups (each leading to its lead), the
// duplicates the API finds for it with their merge, and the merges made into it with undo.
export function ContactPage({ params }: { params: Record<string, string | undefined> }) {
  const { t, language } = useI18n();
  const { me } = useSession();
  const [, navigate] = useLocation();
  const f = formats(language, me.time_zone);
  const id = Number(params.id);
  const [state, setState] = useState<State>({ kind: "loading" });
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleteFailure, setDeleteFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [undoFailure, setUndoFailure] = useState<string | null>(null);
  const own = me.role === "member" || me.role === "org-admin";  // staff only read

  const load = async () => {
    if (!Number.isInteger(id) || id <= 0) return setState({ kind: "missing" });
    try {
      const { data: contact, error, response } = await api.GET("/api/v1/contacts/{id}", { params: { path: { id } } });
      if (!contact) {
        setState(response.status === 404 ? { kind: "missing" } : { kind: "failed", detail: problemDetail(error, response) });
        return;
      }
      const [company, leads, activities, followups, merges] = await Promise.all([
        contact.company_id
          ? api.GET("/api/v1/companies/{id}", { params: { path: { id: contact.company_id } } }).then((r) => r.data ?? null)
          : Promise.resolve(null),
        api.GET("/api/v1/leads", { params: { query: { contact_id: id, limit: 100 } } }).then((r) => r.data?.items ?? []),
        listActivities({ contact_id: id, sort: "-occurred_at", limit: 100 }).then((a) => a ?? []),
        contactFollowups(id).then((x) => x ?? []),
        own ? mergesInto(id) : Promise.resolve([]),
      ]);
      setState({ kind: "ready", data: { contact, etag: response.headers.get("ETag"), company, leads, activities, followups, merges } });
    } catch {
      setState({ kind: "failed", detail: t("app.offline") });
    }
  };

  useEffect(() => {
    setEditing(false);
    setConfirming(false);
    setNotice(null);
    void load();
  }, [id]);

  const back = (
    <p>
      <Link href="/contacts">← {t("contact.back")}</Link>
    </p>
  );
  if (state.kind === "loading") return <p role="status">{t("app.loading")}</p>;
  if (state.kind === "missing") return <>{back}<Message kind="error">{t("contact.not_found")}</Message></>;
  if (state.kind === "failed") return <>{back}<Message kind="error">{t("app.error", { detail: state.detail })}</Message></>;

  const { contact: c, etag, company, leads, activities, followups, merges } = state.data;
  const name = fullName(c) || t("contacts.unnamed");
  const canWrite = own && !c.redacted;
  const none = t("contact.none");
  const focusTitle = () => window.setTimeout(() => document.getElementById("contact-name")?.focus(), 0);

  // Each write's page is read again before its notice shows: what the notice says is on screen.
  const saved = async () => {
    await load();
    setEditing(false);
    setNotice({ kind: "saved" });
    focusTitle();
  };
  const reload = async () => {
    await load();
    setEditing(false);
    focusTitle();
  };
  const remove = async () => {
    setDeleteFailure(null);
    try {
      const { error, response } = await api.DELETE("/api/v1/contacts/{id}", {
        params: { path: { id: c.id }, header: etag ? { "If-Match": etag } : {} },
      });
      if (response.ok) return navigate("/contacts");
      setDeleteFailure(
        response.status === 412 ? t("contact.edit_conflict")
          : response.status === 409 ? t("contact.delete_refused")  // leads, activities or follow-ups still name it
          : t("app.error", { detail: problemDetail(error, response) }));
    } catch {
      setDeleteFailure(t("app.offline"));
    }
  };
  const merged = async (m: Merge) => {
    await load();
    setNotice({ kind: "merged", merge: m });
    window.setTimeout(() => document.getElementById("merge-notice-undo")?.focus(), 0);
  };
  const undone = async (m: Merge) => {
    await load();
    setNotice({ kind: "undone", merge: m });
  };
  const undoNow = async (m: Merge) => {
    setUndoFailure(null);
    try {
      const r = await undo(m.id);
      if (r.ok) await undone(r.merge);
      else setUndoFailure(t("app.error", { detail: r.detail }));
    } catch {
      setUndoFailure(t("app.offline"));
    }
  };

  const row = (label: string, value: ComponentChildren) => (
    <>
      <dt>{label}</dt>
      <dd>{value || none}</dd>
    </>
  );
  const list = (values: readonly string[] | null | undefined) =>
    values && values.length ? (
      <ul class="inline">
        {values.map((v) => (
          <li key={v}>{v}</li>
        ))}
      </ul>
    ) : null;
  const leadTitle = (leadId: number | null | undefined) => leads.find((l) => l.id === leadId)?.title || t("contact.lead_title");
  const toLead = (leadId: number | null | undefined, text: string) =>
    leadId && own ? <Link href={`/leads/${leadId}`}>{text}</Link> : text;
  const duplicateName = (m: Merge) => fullName(m.duplicate as Contact) || t("contacts.unnamed");

  return (
    <article aria-labelledby="contact-name" class="contact-page">
      {back}
      <h1 id="contact-name" tabIndex={-1}>{name}</h1>
      {c.redacted ? <Message kind="status">{t("contact.redacted")}</Message> : null}
      {notice?.kind === "saved" ? <Message kind="status">{t("contact.saved")}</Message> : null}
      {notice?.kind === "merged" ? (
        <div class="message message-status" role="status">
          <p>{t("merge.done", { name: duplicateName(notice.merge) })}</p>
          <button type="button" id="merge-notice-undo" onClick={() => void undoNow(notice.merge)}>
            {t("merge.undo_named", { name: duplicateName(notice.merge) })}
          </button>
          {undoFailure ? <p class="field-error" role="alert">{undoFailure}</p> : null}
        </div>
      ) : null}
      {notice?.kind === "undone" ? (
        <div class="message message-status" role="status">
          <p>{t("merge.undone")}</p>
          <ul>{undoSentences(t, notice.merge).map((s) => <li key={s}>{s}</li>)}</ul>
          <p><Link href={`/contacts/${notice.merge.duplicate_id}`}>{t("merge.open", { name: duplicateName(notice.merge) })}</Link></p>
        </div>
      ) : null}

      {editing ? (
        <ContactEditForm contact={c} etag={etag} companyName={company?.name ?? ""} onSaved={() => void saved()}
                         onCancel={() => setEditing(false)} onReload={() => void reload()} />
      ) : (
        <section aria-labelledby="contact-details">
          <h2 id="contact-details">{t("contact.details")}</h2>
          {canWrite ? (
            <div class="actions">
              <button type="button" onClick={() => { setNotice(null); setEditing(true); }}>{t("contact.edit")}</button>
              <button type="button" class="secondary danger" aria-expanded={confirming} aria-controls="contact-delete"
                      onClick={() => setConfirming(!confirming)}>
                {t("contact.delete")}
              </button>
            </div>
          ) : null}
          {confirming ? (
            <div id="contact-delete" class="confirm" role="group" aria-labelledby="contact-delete-question">
              <p id="contact-delete-question">{t("contact.delete_confirm", { name })}</p>
              {deleteFailure ? <Message kind="error">{deleteFailure}</Message> : null}
              <button type="button" class="danger" onClick={() => void remove()}>{t("contact.delete_yes")}</button>
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>{t("contact.cancel")}</button>
            </div>
          ) : null}
          <dl class="details">
            {row(t("contact.job_title"), c.title)}
            {row(t("contact.company"), company?.name)}
            {row(t("contact.emails"), list(c.emails))}
            {row(t("contact.phones"), list(c.phones))}
            {row(t("contact.city"), c.city)}
            {row(t("contact.country"), c.country)}
            {row(t("contact.linkedin"), c.linkedin_url)}
            {row(t("contact.tags"), list(c.tags))}
            {row(t("contact.met_at"), f.date(c.met_at))}
            {row(t("contact.met_where"), c.met_where)}
            {row(t("contact.lawful_basis"), c.lawful_basis ? t(`contact.basis_${c.lawful_basis}` as MessageKey) : "")}
            {row(t("contact.consent_at"), f.date(c.consent_at))}
            {row(t("contact.consent_note"), c.consent_note)}
            {row(t("contact.updated_at"), f.dateTime(c.updated_at))}
          </dl>
          {c.notes ? (
            <>
              <h3>{t("contact.notes")}</h3>
              <p class="notes">{c.notes}</p>
            </>
          ) : null}
        </section>
      )}

      <section aria-labelledby="contact-leads">
        <h2 id="contact-leads">{t("contact.leads")}</h2>
        {leads.length === 0 ? (
          <p>{t("contact.no_leads")}</p>
        ) : (
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("contact.lead_title")}</th>
                  <th scope="col">{t("contact.lead_stage")}</th>
                  <th scope="col" class="number">{t("contact.lead_value")}</th>
                  <th scope="col">{t("contact.lead_close")}</th>
                </tr>
              </thead>
              <tbody>
                {leads.map((l) => (
                  <tr key={l.id}>
                    <td>{toLead(l.id, l.title || t("pipeline.untitled"))}</td>
                    <td>{stageLabel(t, l.stage ?? "")}</td>
                    <td class="number">{l.value != null && l.currency ? f.money(l.value, l.currency) : none}</td>
                    <td>{l.expected_close ? f.day(l.expected_close) : none}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="contact-activities">
        <h2 id="contact-activities">{t("contact.activities")}</h2>
        {activities.length === 0 ? (
          <p>{t("contact.no_activities")}</p>
        ) : (
          <ol class="timeline">
            {activities.map((a) => (
              <li key={a.id}>
                <time dateTime={a.occurred_at ?? ""}>{f.dateTime(a.occurred_at)}</time>
                <span class="kind">{t(`activity.${a.kind}` as MessageKey)}</span>
                <span class="text">
                  {a.kind === "stage-change" && a.from_stage && a.to_stage
                    ? t("lead.stage_change", { from: stageLabel(t, a.from_stage), to: stageLabel(t, a.to_stage) })
                    : a.subject ?? ""}
                </span>
                {a.lead_id ? <span class="lead">{toLead(a.lead_id, leadTitle(a.lead_id))}</span> : null}
                {a.notes ? <p class="notes">{a.notes}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="contact-followups">
        <h2 id="contact-followups">{t("contact.followups")}</h2>
        {followups.length === 0 ? (
          <p>{t("contact.no_followups")}</p>
        ) : (
          <ul class="contact-followups">
            {followups.map((x) => (
              <li key={x.id}>
                <span class="text">
                  {x.status === "done"
                    ? t("lead.followup_done", { title: x.title ?? "" })
                    : t("lead.followup_due", { title: x.title ?? "", due: f.dateTime(x.due_at) })}
                </span>
                {x.lead_id ? <span class="lead">{toLead(x.lead_id, leadTitle(x.lead_id))}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      {own && !c.redacted ? (
        <>
          <ContactDuplicates contact={c} etag={etag} companyName={company?.name ?? ""} canMerge={canWrite}
                             onMerged={(m) => void merged(m)} onStale={() => void reload()} />
          <ContactMerges merges={merges} canUndo={canWrite} onUndone={(m) => void undone(m)} />
        </>
      ) : null}
    </article>
  );
}
