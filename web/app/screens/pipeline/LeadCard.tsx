import { Component } from "preact";
import { Link } from "wouter-preact";

import type { Company, Contact, Lead } from "../../api/client";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { fullName } from "../contacts/names";

// What a card asks of its board. The board keeps one object of them for its whole life
// (its fields refreshed at every render), so that a card whose own props did not change is
// not drawn again when another page of leads arrives or another card moves.
export interface CardActions {
  // → and ← on a focused card: the next or previous stage.
  step(lead: Lead, delta: number): void;
  // A touch or pen drag released over a column (the mouse drags with HTML5's events).
  drop(lead: Lead, stage: string): void;
  // The column a drag is over, highlighted (null: none).
  target(stage: string | null): void;
}

interface PointerDrag {
  id: number;
  x: number;
  y: number;
  moved: boolean;
}

// Touch and pen: no HTML5 drag events there, so a card follows the pointer's release. One
// pointer drags at a time in the page.
let pointerDrag: PointerDrag | null = null;

const columnAt = (x: number, y: number) =>
  document.elementFromPoint(x, y)?.closest<HTMLElement>("[data-stage]")?.dataset.stage ?? null;

interface CardProps {
  lead: Lead;
  company: Company | undefined;
  contact: Contact | undefined;
  days: number | null;  // in its stage; null: not known yet
  timeZone: string | null | undefined;
  actions: { current: CardActions };
}

// A lead on the board, drawn again only when one of its props changed: a board of 1,000
// cards receives its leads 200 at a time, and each page drew every card before it again.
export class LeadCard extends Component<CardProps> {
  override shouldComponentUpdate(next: CardProps): boolean {
    return (Object.keys(next) as (keyof CardProps)[]).some((k) => next[k] !== this.props[k]);
  }

  override render() {
    return <Card {...this.props} />;
  }
}

// The card: its title (the link to its page), company, contact, value and the days since
// it entered its stage; dragged by the mouse, by a finger on its handle, or moved by the
// keyboard.
function Card({ lead, company, contact, days, timeZone, actions }: CardProps) {
  const { t, language } = useI18n();
  const f = formats(language, timeZone);
  return (
    <li
      class="lead-card"
      data-lead={lead.id}
      draggable
      onDragStart={(e) => {
        e.dataTransfer?.setData("text/plain", String(lead.id));
        if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
      }}
      onDragEnd={() => actions.current.target(null)}
      onPointerDown={(e) => {
        // The mouse drags natively; a finger drags by the handle (elsewhere it scrolls).
        if (e.pointerType === "mouse" || !(e.target as Element).closest(".handle")) return;
        pointerDrag = { id: lead.id, x: e.clientX, y: e.clientY, moved: false };
      }}
      onPointerMove={(e) => {
        const d = pointerDrag;
        if (!d || d.id !== lead.id || Math.hypot(e.clientX - d.x, e.clientY - d.y) < 24) return;
        d.moved = true;
        actions.current.target(columnAt(e.clientX, e.clientY));
      }}
      onPointerUp={(e) => {
        const d = pointerDrag;
        pointerDrag = null;
        actions.current.target(null);
        const to = d?.id === lead.id && d.moved ? columnAt(e.clientX, e.clientY) : null;
        if (to) {
          e.preventDefault();
          actions.current.drop(lead, to);
        }
      }}
      onPointerCancel={() => {
        pointerDrag = null;
        actions.current.target(null);
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
            actions.current.step(lead, e.key === "ArrowRight" ? 1 : -1);
          }
        }}
      >
        {lead.title || t("pipeline.untitled")}
      </Link>
      <span class="meta">{company?.name ?? ""}</span>
      <span class="meta">{contact ? fullName(contact) : ""}</span>
      <span class="card-foot">
        <span class="value">{lead.value != null && lead.currency ? f.money(lead.value, lead.currency) : ""}</span>
        <span class="days">{days === null ? "" : t("pipeline.days_in_stage", { days: f.number(days) })}</span>
      </span>
    </li>
  );
}
