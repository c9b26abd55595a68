import { useEffect, useState } from "preact/hooks";

import { api } from "../../api/client";
import { useI18n } from "../../i18n/i18n";
import { CompanyPicker, type CompanyChoice } from "./CompanyPicker";
import { activeCount, noFilters, type ContactFilters, type Picked } from "./filters";

// The missions and fairs a contact can have been met at: the region's and the start-up's own.
async function listEvents(): Promise<Picked[]> {
  const { data } = await api.GET("/api/v1/events", { params: { query: { sort: "name", limit: 200 } } });
  return (data?.items ?? []).map((e) => ({ id: e.id, name: e.name ?? "" }));
}

// The filters panel of the contacts list: shown by its button (aria-expanded), every change
// applied at once, "clear" resets them all.
export function ContactFiltersPanel(props: { value: ContactFilters; onChange: (f: ContactFilters) => void }) {
  const { t } = useI18n();
  const f = props.value;
  const [open, setOpen] = useState(activeCount(f) > 0);
  const [events, setEvents] = useState<Picked[]>([]);
  const [company, setCompany] = useState<CompanyChoice>({ name: f.company?.name ?? "", id: f.company?.id ?? null });

  useEffect(() => {
    if (open && events.length === 0) void listEvents().then(setEvents).catch(() => undefined);
  }, [open]);

  const set = (patch: Partial<ContactFilters>) => props.onChange({ ...f, ...patch });
  const text = (key: keyof ContactFilters) => (e: Event) => set({ [key]: (e.currentTarget as HTMLInputElement).value });
  const onCompany = (choice: CompanyChoice) => {
    setCompany(choice);
    // A name that is no company yet filters nothing; an emptied field clears the filter.
    if (choice.id) set({ company: { id: choice.id, name: choice.name } });
    else if (f.company) set({ company: null });
  };
  const count = activeCount(f);
  const date = (id: string, key: "metFrom" | "metUntil" | "createdFrom" | "createdUntil", label: string) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type="date" value={f[key]} onInput={text(key)} />
    </div>
  );

  return (
    <div class="contact-filters">
      <button type="button" class="secondary" aria-expanded={open} aria-controls="contacts-filters"
              onClick={() => setOpen(!open)}>
        {count ? t("contacts.filters_active", { count }) : t("contacts.filters")}
      </button>
      <fieldset id="contacts-filters" hidden={!open}>
        <legend>{t("contacts.filters")}</legend>
        <div class="field">
          <label for="filter-tag">{t("contacts.filter_tag")}</label>
          <input id="filter-tag" value={f.tag} onInput={text("tag")} autoComplete="off" />
        </div>
        <div class="field">
          <label for="filter-company">{t("contacts.filter_company")}</label>
          <CompanyPicker id="filter-company" value={company} onChange={onCompany} describedBy="filter-company-hint" />
          <p id="filter-company-hint" class="hint">
            {f.company ? t("contacts.filter_company_on", { name: f.company.name }) : t("contacts.filter_company_hint")}
          </p>
        </div>
        <div class="field">
          <label for="filter-event">{t("contacts.filter_event")}</label>
          <select id="filter-event" value={f.eventId ?? ""}
                  onChange={(e) => set({ eventId: Number((e.currentTarget as HTMLSelectElement).value) || null })}>
            <option value="">{t("contacts.filter_any")}</option>
            {events.map((e) => <option key={e.id} value={e.id}>{e.name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="filter-country">{t("contacts.filter_country")}</label>
          <input id="filter-country" value={f.country} maxLength={2} size={3} autoComplete="off"
                 aria-describedby="filter-country-hint" onInput={text("country")} />
          <p id="filter-country-hint" class="hint">{t("contacts.filter_country_hint")}</p>
        </div>
        {date("filter-met-from", "metFrom", t("contacts.filter_met_from"))}
        {date("filter-met-until", "metUntil", t("contacts.filter_met_until"))}
        {date("filter-created-from", "createdFrom", t("contacts.filter_created_from"))}
        {date("filter-created-until", "createdUntil", t("contacts.filter_created_until"))}
        <button type="button" class="secondary" disabled={count === 0}
                onClick={() => {
                  setCompany({ name: "", id: null });
                  props.onChange(noFilters);
                }}>
          {t("contacts.filters_clear")}
        </button>
      </fieldset>
    </div>
  );
}
