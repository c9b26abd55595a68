import { useState } from "preact/hooks";

import type { Role } from "../../api/client";
import { useI18n } from "../../i18n/i18n";
import type { Filters } from "./reports";

export interface Choice {
  id: number;
  name: string;
}

// The report filters, applied together on submit. They live in the page's state only:
// nothing of them goes into the page's address.
export function FilterBar({ role, events, startups, partners, onApply }: {
  role: Role | null | undefined;
  events: readonly Choice[];
  startups: readonly Choice[];
  partners: readonly Choice[];
  onApply: (filters: Filters) => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Filters>({});
  const set = (patch: Partial<Filters>) => setDraft((d) => ({ ...d, ...patch }));
  const id = (e: Event) => {
    const v = Number((e.currentTarget as HTMLSelectElement).value);
    return v > 0 ? v : undefined;
  };
  const text = (e: Event) => (e.currentTarget as HTMLInputElement).value || undefined;
  const regionWide = role === "staff" || role === "admin";
  // A region's outcomes name thousands of partners: their options are made when the list is
  // about to open (focus, a pointer on it), not with the reports (thousands of elements
  // made and laid out before the figures showed). Until then it holds the choice made.
  const [opened, setOpened] = useState(false);
  const select = (name: string, label: string, value: number | undefined, choices: readonly Choice[], onPick: (v?: number) => void) => {
    const listed = opened || choices.length <= 200 ? choices : choices.filter((c) => c.id === value);
    return (
      <div class="filter">
        <label for={`filter-${name}`}>{label}</label>
        <select id={`filter-${name}`} value={value ?? ""} onChange={(e) => onPick(id(e))}
                onFocus={() => setOpened(true)} onPointerDown={() => setOpened(true)}>
          <option value="">{t("dashboard.all")}</option>
          {listed.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
    );
  };
  return (
    <form
      class="filters"
      aria-label={t("dashboard.filters")}
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      {select("event", t("dashboard.mission"), draft.event_id, events, (v) => set({ event_id: v }))}
      {regionWide ? select("startup", t("dashboard.startup"), draft.org_id, startups, (v) => set({ org_id: v })) : null}
      <div class="filter">
        <label for="filter-sector">{t("dashboard.sector")}</label>
        <input id="filter-sector" type="text" value={draft.sector ?? ""} onInput={(e) => set({ sector: text(e) })} />
      </div>
      {select("partner", t("dashboard.partner"), draft.partner_company_id, partners, (v) => set({ partner_company_id: v }))}
      <div class="filter">
        <label for="filter-from">{t("dashboard.from")}</label>
        <input id="filter-from" type="date" value={draft.from ?? ""} onInput={(e) => set({ from: text(e) })} />
      </div>
      <div class="filter">
        <label for="filter-to">{t("dashboard.to")}</label>
        <input id="filter-to" type="date" value={draft.to ?? ""} onInput={(e) => set({ to: text(e) })} />
      </div>
      <div class="filter filter-submit">
        <button type="submit">{t("dashboard.apply")}</button>
      </div>
    </form>
  );
}
