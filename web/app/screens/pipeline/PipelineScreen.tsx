import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";

import type { paths } from "../../../src/api/schema";
import { api, problemDetail, type Lead } from "../../api/client";
import { useSession } from "../../api/session";
import { Message } from "../../components/Message";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { type CardActions, LeadCard } from "./LeadCard";
import { daysSince, listActivities, moveLead, pipelineStages } from "./leads";
import { stageLabel } from "./names";
import { NewLead } from "./NewLead";
import { readNames, type Names } from "./records";

type LeadQuery = NonNullable<paths["/api/v1/leads"]["get"]["parameters"]["query"]>;
type LeadList = paths["/api/v1/leads"]["get"]["responses"][200]["content"]["application/json"];

const maxLeads = 1000;  // five pages of the API's largest: a founder's pipeline, not a region's
// The first page is small: the cards a screen shows at first, drawn while the others are
// read (200 cards took a few hundred ms to draw on a busy machine before any showed).
const firstPage = 40;

interface Board {
  stages: string[];
  leads: Lead[];
  names: Names;
  // Lead id → when it entered its stage (its last stage change); null until the stage
  // changes are read.
  since: Map<number, string> | null;
}

interface Choice {
  id: number;
  label: string;
}

// The pipeline: one column per stage of the organisation, a card per lead. A card moves by
// drag and drop (native HTML5 drag events; touch pointers through the pointer fallback) and
// by keyboard (→ and ← on a focused card: next and previous stage), each move announced in
// the live region. A move is the lead's stage change (PATCH with If-Match): the card moves
// at once and goes back if the API refuses; a lead changed elsewhere meanwhile (412) is said
// and the board read again, so nobody's change is lost.
export function PipelineScreen() {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [eventId, setEventId] = useState("");
  const [ownerId, setOwnerId] = useState("");
  const [events, setEvents] = useState<Choice[]>([]);
  const [owners, setOwners] = useState<Choice[]>([]);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const focusAfterMove = useRef<number | null>(null);
  const loads = useRef(0);
  const names = useRef<Names>({ contacts: new Map(), companies: new Map() });

  const load = async () => {
    const ticket = ++loads.current;
    const current = () => ticket === loads.current;
    const leadPage = async (cursor: string | null, limit: number): Promise<LeadList> => {
      const query: LeadQuery = {
        limit,
        sort: "-updated_at",
        ...(eventId ? { source_event_id: Number(eventId) } : {}),
        ...(ownerId ? { owner_id: Number(ownerId) } : {}),
        ...(cursor ? { cursor } : {}),
      };
      const answer = await api.GET("/api/v1/leads", { params: { query } });
      if (!answer.data) throw new Error(problemDetail(answer.error, answer.response));
      return answer.data;
    };
    try {
      // The stages and the first page of leads, asked together with when each lead entered
      // its stage (its latest stage change among the latest 200; a lead without one there
      // is counted from its creation). The cards do not wait for the latter (tens of KB,
      // the slowest of the three): their days in stage show when it arrives.
      // Unread (offline), every lead is counted from its creation.
      const changes = listActivities({ kind: "stage-change", sort: "-occurred_at", limit: 200 }).then((c) => c ?? [], () => []);
      const [stages, first] = await Promise.all([pipelineStages(me.org_id ?? me.organisation?.id ?? 0), leadPage(null, firstPage)]);
      if (!current()) return;
      // The cards of each page as it arrives, the most recently updated first: the board is
      // there while the rest of it is read. The names already known show at once, the
      // others once read.
      const leads = [...first.items];
      // A board read again keeps its days in stage until the new ones arrive.
      setBoard((b) => ({ stages, leads: [...leads], names: names.current, since: b?.since ?? null }));
      setError(null);
      void changes.then((list) => {
        const since = new Map<number, string>();
        for (const c of list) if (c.lead_id && c.occurred_at && !since.has(c.lead_id)) since.set(c.lead_id, c.occurred_at);
        if (current()) setBoard((b) => (b ? { ...b, since } : b));
      });
      for (let cursor = first.next_cursor ?? null; cursor && leads.length < maxLeads;) {
        const page = await leadPage(cursor, Math.min(200, maxLeads - leads.length));
        if (!current()) return;
        const seen = new Set(leads.map((l) => l.id));
        const added = page.items.filter((l) => !seen.has(l.id));
        leads.push(...added);
        cursor = page.next_cursor ?? null;
        // Appended to what the board shows: a card moved meanwhile keeps its move.
        setBoard((b) => (b ? { ...b, leads: [...b.leads, ...added] } : b));
      }
      names.current = await readNames(leads, names.current);
      if (current()) setBoard((b) => (b ? { ...b, names: names.current } : b));
    } catch (e) {
      if (current()) setError(t("app.error", { detail: e instanceof Error ? e.message : String(e) }));
    }
  };

  // Asked before the browser paints the screen without its board (an effect would ask
  // after that paint: a frame later, more on a busy machine).
  useLayoutEffect(() => {
    void load();
  }, [eventId, ownerId]);

  // The filters' choices once the board's first cards are there: asked together with them,
  // they only slowed the cards down.
  const shown = board !== null;
  useEffect(() => {
    if (!shown) return;
    void api.GET("/api/v1/events", { params: { query: { limit: 200, sort: "name" } } }).then(({ data }) =>
      setEvents((data?.items ?? []).map((e) => ({ id: e.id, label: e.name ?? String(e.id) }))));
    void api.GET("/api/v1/users", { params: { query: { limit: 200, sort: "display_name" } } }).then(({ data }) =>
      setOwners((data?.items ?? []).map((u) => ({ id: u.id, label: u.display_name || u.email || String(u.id) }))));
  }, [shown]);

  // The moved card keeps the keyboard's focus in its new column.
  useEffect(() => {
    const id = focusAfterMove.current;
    if (id === null) return;
    focusAfterMove.current = null;
    document.querySelector<HTMLElement>(`[data-lead="${id}"] a`)?.focus();
  });

  const move = async (lead: Lead, stage: string, byKeyboard: boolean) => {
    if (!board || lead.stage === stage) return;
    const label = stageLabel(t, stage);
    const put = (l: Lead) => setBoard((b) => (b ? { ...b, leads: b.leads.map((x) => (x.id === l.id ? l : x)) } : b));
    put({ ...lead, stage });  // at once: the API's answer confirms or reverts it
    if (byKeyboard) focusAfterMove.current = lead.id;
    const result = await moveLead(lead, stage);
    if (result.kind === "moved") {
      put(result.lead);
      setBoard((b) => (b ? { ...b, since: new Map(b.since ?? []).set(lead.id, new Date().toISOString()) } : b));
      setAnnouncement(t("pipeline.moved", { title: lead.title ?? "", stage: label }));
      setError(null);
      return;
    }
    put(lead);
    if (byKeyboard) focusAfterMove.current = lead.id;
    if (result.kind === "conflict") {
      await load();  // first: a successful read clears the board's message
      setError(t("pipeline.conflict", { title: lead.title ?? "" }));
      setAnnouncement(t("pipeline.conflict", { title: lead.title ?? "" }));
    } else {
      const detail = result.detail === "offline" ? t("app.offline") : t("app.error", { detail: result.detail });
      setError(t("pipeline.not_moved", { title: lead.title ?? "", detail }));
      setAnnouncement(t("pipeline.not_moved", { title: lead.title ?? "", detail }));
    }
  };

  const step = (lead: Lead, delta: number) => {
    if (!board) return;
    const at = board.stages.indexOf(lead.stage ?? "");
    const to = board.stages[at + delta];
    if (at < 0 || !to) {
      setAnnouncement(t(delta > 0 ? "pipeline.last_stage" : "pipeline.first_stage", { title: lead.title ?? "" }));
      return;
    }
    void move(lead, to, true);
  };

  const leadById = (id: number) => board?.leads.find((l) => l.id === id);

  // The cards' one object of actions, refreshed at every render (see LeadCard).
  const cardActions: CardActions = { step, drop: (lead, stage) => void move(lead, stage, false), target: setDropTarget };
  const actions = useRef(cardActions);
  actions.current = cardActions;

  const title = (
    <div class="board-head">
      <h1 id="pipeline-title">{t("pipeline.title")}</h1>
      <NewLead stages={board?.stages ?? []} onCreated={() => void load()} />
    </div>
  );
  const filters = (
    <div class="board-filters">
      <div>
        <label for="pipeline-event">{t("pipeline.filter_event")}</label>
        <select id="pipeline-event" value={eventId} onChange={(e) => setEventId((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t("pipeline.all_events")}</option>
          {events.map((e) => (
            <option key={e.id} value={String(e.id)}>{e.label}</option>
          ))}
        </select>
      </div>
      <div>
        <label for="pipeline-owner">{t("pipeline.filter_owner")}</label>
        <select id="pipeline-owner" value={ownerId} onChange={(e) => setOwnerId((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t("pipeline.all_owners")}</option>
          {owners.map((o) => (
            <option key={o.id} value={String(o.id)}>{o.label}</option>
          ))}
        </select>
      </div>
    </div>
  );

  return (
    <section aria-labelledby="pipeline-title" class="board-screen">
      {title}
      {filters}
      <p id="board-help" class="hint">{t("pipeline.help")}</p>
      <p class="visually-hidden" role="status" aria-live="polite">{announcement}</p>
      {error ? <Message kind="error">{error}</Message> : null}
      {!board ? (
        <p role="status">{t("app.loading")}</p>
      ) : (
        // Focusable: a keyboard scrolls it sideways even when no card is there to focus.
        <div class="board" role="group" aria-labelledby="pipeline-title" tabIndex={0}>
          {board.stages.map((stage) => {
            const cards = board.leads.filter((l) => l.stage === stage);
            const headingId = `stage-${stage}`;
            return (
              <section
                key={stage}
                class={`column${dropTarget === stage ? " drop" : ""}`}
                data-stage={stage}
                aria-labelledby={headingId}
                onDragOver={(e) => {
                  e.preventDefault();
                  if (e.dataTransfer) e.dataTransfer.dropEffect = "move";
                  setDropTarget(stage);
                }}
                onDragLeave={() => setDropTarget((s) => (s === stage ? null : s))}
                onDrop={(e) => {
                  e.preventDefault();
                  setDropTarget(null);
                  const lead = leadById(Number(e.dataTransfer?.getData("text/plain")));
                  if (lead) void move(lead, stage, false);
                }}
              >
                <h2 id={headingId}>
                  {stageLabel(t, stage)} <span class="count">({f.number(cards.length)})</span>
                </h2>
                <ul aria-labelledby={headingId}>
                  {cards.map((lead) => (
                    <LeadCard
                      key={lead.id}
                      lead={lead}
                      company={lead.company_id ? board.names.companies.get(lead.company_id) : undefined}
                      contact={lead.contact_id ? board.names.contacts.get(lead.contact_id) : undefined}
                      days={board.since ? daysSince(board.since.get(lead.id) ?? lead.created_at) : null}
                      timeZone={me.time_zone}
                      actions={actions}
                    />
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
      )}
    </section>
  );
}
