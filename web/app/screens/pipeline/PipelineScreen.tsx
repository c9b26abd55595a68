import { useEffect, useRef, useState } from "preact/hooks";
import { Link } from "wouter-preact";

import type { paths } from "../../../src/api/schema";
import { api, problemDetail, type Lead } from "../../api/client";
import { useSession } from "../../api/session";
import { Message } from "../../components/Message";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { fullName } from "../contacts/names";
import { daysSince, listActivities, moveLead, pipelineStages } from "./leads";
import { stageLabel } from "./names";
import { NewLead } from "./NewLead";
import { readNames, type Names } from "./records";

type LeadQuery = NonNullable<paths["/api/v1/leads"]["get"]["parameters"]["query"]>;
type LeadList = paths["/api/v1/leads"]["get"]["responses"][200]["content"]["application/json"];

const maxLeads = 1000;  // five pages of the API's largest: a founder's pipeline, not a region's

interface Board {
  stages: string[];
  leads: Lead[];
  names: Names;
  since: Map<number, string>;  // lead id → when it entered its stage (its last stage change)
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
    const leadPage = async (cursor: string | null): Promise<LeadList> => {
      const query: LeadQuery = {
        limit: 200,
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
      // The stages, when each lead entered its stage (its latest stage change among the
      // latest 200; a lead without one there is counted from its creation) and the first
      // page of leads, asked together.
      const [stages, changes, first] = await Promise.all([
        pipelineStages(me.org_id ?? me.organisation?.id ?? 0),
        listActivities({ kind: "stage-change", sort: "-occurred_at", limit: 200 }).then((c) => c ?? []),
        leadPage(null),
      ]);
      if (!current()) return;
      const since = new Map<number, string>();
      for (const c of changes) if (c.lead_id && c.occurred_at && !since.has(c.lead_id)) since.set(c.lead_id, c.occurred_at);
      // The cards of each page as it arrives, the most recently updated first: the board is
      // there while the rest of it is read. The names already known show at once, the
      // others once read.
      const leads = [...first.items];
      setBoard({ stages, leads: [...leads], names: names.current, since });
      setError(null);
      for (let cursor = first.next_cursor ?? null; cursor && leads.length < maxLeads;) {
        const page = await leadPage(cursor);
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

  useEffect(() => {
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
      setBoard((b) => (b ? { ...b, since: new Map(b.since).set(lead.id, new Date().toISOString()) } : b));
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

  // Touch and pen: no HTML5 drag events there, so a card follows the pointer's release.
  const pointerDrag = useRef<{ id: number; x: number; y: number; moved: boolean } | null>(null);
  const columnAt = (x: number, y: number) =>
    document.elementFromPoint(x, y)?.closest<HTMLElement>("[data-stage]")?.dataset.stage ?? null;

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
                  {cards.map((lead) => {
                    const contact = lead.contact_id ? board.names.contacts.get(lead.contact_id) : undefined;
                    const company = lead.company_id ? board.names.companies.get(lead.company_id) : undefined;
                    const days = daysSince(board.since.get(lead.id) ?? lead.created_at);
                    return (
                      <li
                        key={lead.id}
                        class="lead-card"
                        data-lead={lead.id}
                        draggable
                        onDragStart={(e) => {
                          e.dataTransfer?.setData("text/plain", String(lead.id));
                          if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
                        }}
                        onDragEnd={() => setDropTarget(null)}
                        onPointerDown={(e) => {
                          // The mouse drags natively; a finger drags by the handle (elsewhere it scrolls).
                          if (e.pointerType === "mouse" || !(e.target as Element).closest(".handle")) return;
                          pointerDrag.current = { id: lead.id, x: e.clientX, y: e.clientY, moved: false };
                        }}
                        onPointerMove={(e) => {
                          const d = pointerDrag.current;
                          if (!d || Math.hypot(e.clientX - d.x, e.clientY - d.y) < 24) return;
                          d.moved = true;
                          setDropTarget(columnAt(e.clientX, e.clientY));
                        }}
                        onPointerUp={(e) => {
                          const d = pointerDrag.current;
                          pointerDrag.current = null;
                          setDropTarget(null);
                          const to = d?.moved ? columnAt(e.clientX, e.clientY) : null;
                          if (d && to) {
                            e.preventDefault();
                            void move(lead, to, false);
                          }
                        }}
                        onPointerCancel={() => {
                          pointerDrag.current = null;
                          setDropTarget(null);
                        }}
                      >
                        <span class="handle" aria-hidden="true">⠿</span>
                        <Link
                          href={`/leads/${lead.id}`}
                          aria-describedby="board-help"
                          onKeyDown={(e: KeyboardEvent) => {
                            // Plain arrows only: Alt+← is the browser's "back".
                            if ((e.key === "ArrowRight" || e.key === "ArrowLeft") && !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
                              e.preventDefault();
                              step(lead, e.key === "ArrowRight" ? 1 : -1);
                            }
                          }}
                        >
                          {lead.title || t("pipeline.untitled")}
                        </Link>
                        <span class="meta">{company?.name ?? ""}</span>
                        <span class="meta">{contact ? fullName(contact) : ""}</span>
                        <span class="card-foot">
                          <span class="value">
                            {lead.value != null && lead.currency ? f.money(lead.value, lead.currency) : ""}
                          </span>
                          <span class="days">{t("pipeline.days_in_stage", { days: f.number(days) })}</span>
                        </span>
                      </li>
                    );
                  })}
                </ul>
              </section>
            );
          })}
        </div>
      )}
    </section>
  );
}
