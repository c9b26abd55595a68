import { useEffect, useState } from "preact/hooks";

import { api } from "../../api/client";
import { useI18n } from "../../i18n/i18n";

const modes = ["create-only", "create-or-update", "update-only"] as const;
export interface Options {
  mode: (typeof modes)[number];  // what a duplicate of a contact does
  skipInvalid: boolean;          // invalid rows left out rather than failing the file
  tag: string;                   // added to every imported contact
  eventId: number | null;        // the mission every imported contact was met at
  region: string;                // phones without a country code are read in this country
}
export const defaultOptions: Options = { mode: "create-only", skipInvalid: false, tag: "", eventId: null, region: "" };

// The options POST /api/v1/imports takes besides the mapping, each a labelled control.
export function ImportOptions({ options, onChange }: { options: Options; onChange: (o: Options) => void }) {
  const { t } = useI18n();
  const [events, setEvents] = useState<{ id: number; name: string }[]>([]);
  useEffect(() => {
    void api.GET("/api/v1/events", { params: { query: { sort: "name", limit: 200 } } })
      .then(({ data }) => setEvents(data?.items.map((e) => ({ id: e.id, name: e.name })) ?? []))
      .catch(() => undefined);
  }, []);
  const set = (change: Partial<Options>) => onChange({ ...options, ...change });
  return (
    <fieldset class="import-options">
      <legend>{t("imports.options")}</legend>
      <label for="imports-mode">{t("imports.mode")}</label>
      <select id="imports-mode" value={options.mode} onChange={(e) => set({ mode: (e.currentTarget as HTMLSelectElement).value as Options["mode"] })}>
        {modes.map((m) => <option key={m} value={m}>{t(`imports.mode_${m.replace(/-/g, "_")}` as "imports.mode_create_only")}</option>)}
      </select>
      <label class="check">
        <input type="checkbox" checked={options.skipInvalid} onChange={(e) => set({ skipInvalid: (e.currentTarget as HTMLInputElement).checked })} />
        {t("imports.skip_invalid")}
      </label>
      <label for="imports-tag">{t("imports.tag")}</label>
      <input id="imports-tag" value={options.tag} onInput={(e) => set({ tag: (e.currentTarget as HTMLInputElement).value })} />
      <label for="imports-event">{t("imports.event")}</label>
      <select id="imports-event" value={options.eventId ?? ""} onChange={(e) => {
        const v = (e.currentTarget as HTMLSelectElement).value;
        set({ eventId: v ? Number(v) : null });
      }}>
        <option value="">{t("imports.event_none")}</option>
        {events.map((ev) => <option key={ev.id} value={ev.id}>{ev.name}</option>)}
      </select>
      <label for="imports-region">{t("imports.region")}</label>
      <input id="imports-region" value={options.region} maxLength={2} autoComplete="country" aria-describedby="imports-region-hint"
             onInput={(e) => set({ region: (e.currentTarget as HTMLInputElement).value.toUpperCase() })} />
      <p id="imports-region-hint" class="hint">{t("imports.region_hint")}</p>
    </fieldset>
  );
}
