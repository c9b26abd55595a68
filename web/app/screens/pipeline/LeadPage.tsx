import { useEffect, useRef, useState } from "preact/hooks";
import { Link } from "wouter-preact";

import { api, problemDetail, type Company, type Contact, type Lead } from "../../api/client";
import { useSession } from "../../api/session";
import { Message } from "../../components/Message";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/en";
import { fullName } from "../contacts/names";
import { listActivities, type Activity } from "./leads";
import { stageLabel } from "./names";

type Followup = NonNullable<Awaited<ReturnType<typeof leadFollowups>>>[number];

async function leadFollowups(leadId: number) {
  const { data } = await api.GET("/api/v1/followups", { params: { query: { lead_id: leadId, sort: "-due_at", limit: 200 } } });
  return data?.items;
}

interface Loaded {
  lead: Lead;
  contact: Contact | null;
  company: Company | null;
  activities: Activity[];
  followups: Followup[];
}

type State = { kind: "loading" } | { kind: "missing" } | { kind: "failed"; detail: string } | { kind: "ready"; data: Loaded };

// The cadence engine looks for meetings once a minute: after one is logged, the page asks
// for the lead's follow-ups every few seconds until a new one appears (or two minutes pass).
const pollEveryMs = 3000;
const pollForMs = 120_000;

// A lead: what it is, its timeline (activities, stage changes and follow-ups, newest
// first) and "log a meeting", after which the follow-up the engine schedules appears.
export function LeadPage({ params }: { params: Record<string, string | undefined> }) {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const id = Number(params.id);
  const [state, setState] = useState<State>({ kind: "loading" });
  const [subject, setSubject] = useState("");
  const [notes, setNotes] = useState("");
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState("");
  const [error, setError] = useState<string | null>(null);
  const poll = useRef<number | null>(null);

  const read = async (): Promise<Loaded | "missing" | { failed: string }> => {
    const { data: lead, error: problem, response } = await api.GET("/api/v1/leads/{id}", { params: { path: { id } } });
    if (!lead) return response.status === 404 ? "missing" : { failed: problemDetail(problem, response) };
    const [contact, company, activities, followups] = await Promise.all([
      lead.contact_id
        ? api.GET("/api/v1/contacts/{id}", { params: { path: { id: lead.contact_id } } }).then((r) => r.data ?? null)
        : Promise.resolve(null),
      lead.company_id
        ? api.GET("/api/v1/companies/{id}", { params: { path: { id: lead.company_id } } }).then((r) => r.data ?? null)
        : Promise.resolve(null),
      listActivities({ lead_id: id, sort: "-occurred_at", limit: 200 }).then((a) => a ?? []),
      leadFollowups(id).then((x) => x ?? []),
    ]);
    return { lead, contact, company, activities, followups };
  };

  const load = async () => {
    if (!Number.isInteger(id) || id <= 0) return setState({ kind: "missing" });
    try {
      const r = await read();
      if (r === "missing") setState({ kind: "missing" });
      else if ("failed" in r) setState({ kind: "failed", detail: r.failed });
      else setState({ kind: "ready", data: r });
      return r;
    } catch {
      setState({ kind: "failed", detail: t("app.offline") });
    }
  };

  const stopPolling = () => {
    if (poll.current !== null) window.clearInterval(poll.current);
    poll.current = null;
  };

  useEffect(() => {
    void load();
    return stopPolling;
  }, [id]);

  const logMeeting = async (e: Event) => {
    e.preventDefault();
    if (state.kind !== "ready") return;
    setBusy(true);
    setError(null);
    const before = new Set(state.data.followups.map((x) => x.id));
    try {
      const { lead } = state.data;
      const { data, error: problem, response } = await api.POST("/api/v1/activities", {
        body: {
          kind: "meeting",
          lead_id: lead.id,
          ...(lead.contact_id ? { contact_id: lead.contact_id } : {}),
          occurred_at: new Date().toISOString(),
          ...(subject.trim() ? { subject: subject.trim() } : {}),
          ...(notes.trim() ? { notes } : {}),
        },
      });
      if (!data) return setError(t("app.error", { detail: problemDetail(problem, response) }));
      setSubject("");
      setNotes("");
      setNotice(t("lead.meeting_logged"));
      await load();
      stopPolling();
      const started = Date.now();
      poll.current = window.setInterval(() => {
        void load().then((r) => {
          const fresh = r && typeof r === "object" && "followups" in r ? r.followups.find((x) => !before.has(x.id)) : undefined;
          if (fresh) {
            setNotice(t("lead.followup_scheduled", { title: fresh.title ?? "", due: f.dateTime(fresh.due_at) }));
            stopPolling();
          } else if (Date.now() - started > pollForMs) stopPolling();
        });
      }, pollEveryMs);
    } catch {
      setError(t("app.offline"));
    } finally {
      setBusy(false);
    }
  };

  const back = (
    <p>
      <Link href="/pipeline">← {t("lead.back")}</Link>
    </p>
  );
  if (state.kind === "loading") return <p role="status">{t("app.loading")}</p>;
  if (state.kind === "missing") return <>{back}<Message kind="error">{t("lead.not_found")}</Message></>;
  if (state.kind === "failed") return <>{back}<Message kind="error">{t("app.error", { detail: state.detail })}</Message></>;

  const { lead, contact, company, activities, followups } = state.data;
  const none = t("contact.none");
  type Entry = { key: string; when: string; kind: string; text: string; notes?: string | null };
  const entries: Entry[] = [
    ...activities.map((a) => ({
      key: `a${a.id}`,
      when: a.occurred_at ?? "",
      kind: t(`activity.${a.kind}` as MessageKey),
      text:
        a.kind === "stage-change" && a.from_stage && a.to_stage
          ? t("lead.stage_change", { from: stageLabel(t, a.from_stage), to: stageLabel(t, a.to_stage) })
          : a.subject ?? "",
      notes: a.notes,
    })),
    ...followups.map((x) => ({
      key: `f${x.id}`,
      when: x.status === "done" && x.done_at ? x.done_at : x.due_at ?? "",
      kind: t("activity.followup"),
      text:
        x.status === "done"
          ? t("lead.followup_done", { title: x.title ?? "" })
          : t("lead.followup_due", { title: x.title ?? "", due: f.dateTime(x.due_at) }),
    })),
  ].sort((a, b) => b.when.localeCompare(a.when));

  return (
    <article aria-labelledby="lead-title">
      {back}
      <h1 id="lead-title">{lead.title || t("pipeline.untitled")}</h1>
      <dl class="details">
        <dt>{t("lead.stage")}</dt>
        <dd>{stageLabel(t, lead.stage ?? "")}</dd>
        <dt>{t("lead.value")}</dt>
        <dd>{lead.value != null && lead.currency ? f.money(lead.value, lead.currency) : none}</dd>
        <dt>{t("lead.contact")}</dt>
        <dd>{contact ? <Link href={`/contacts/${contact.id}`}>{fullName(contact) || t("contacts.unnamed")}</Link> : none}</dd>
        <dt>{t("lead.company")}</dt>
        <dd>{company?.name ?? none}</dd>
        <dt>{t("lead.close")}</dt>
        <dd>{lead.expected_close ? f.day(lead.expected_close) : none}</dd>
      </dl>

      <section aria-labelledby="log-meeting">
        <h2 id="log-meeting">{t("lead.log_meeting")}</h2>
        <form class="log-meeting" onSubmit={(e) => void logMeeting(e)}>
          <label for="meeting-subject">{t("lead.meeting_subject")}</label>
          <input id="meeting-subject" value={subject} maxLength={300}
            onInput={(e) => setSubject((e.currentTarget as HTMLInputElement).value)} />
          <label for="meeting-notes">{t("lead.meeting_notes")}</label>
          <textarea id="meeting-notes" rows={3} value={notes}
            onInput={(e) => setNotes((e.currentTarget as HTMLTextAreaElement).value)} />
          {error ? <Message kind="error">{error}</Message> : null}
          <button type="submit" disabled={busy}>{t("lead.meeting_save")}</button>
        </form>
        <p role="status" aria-live="polite" class="lead-notice">{notice}</p>
      </section>

      <section aria-labelledby="lead-timeline">
        <h2 id="lead-timeline">{t("lead.timeline")}</h2>
        {entries.length === 0 ? (
          <p>{t("lead.timeline_empty")}</p>
        ) : (
          <ol class="timeline">
            {entries.map((e) => (
              <li key={e.key}>
                <time dateTime={e.when}>{f.dateTime(e.when)}</time>
                <span class="kind">{e.kind}</span>
                <span class="text">{e.text}</span>
                {e.notes ? <p class="notes">{e.notes}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  );
}
