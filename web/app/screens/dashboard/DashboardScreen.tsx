import { useEffect, useRef, useState } from "preact/hooks";

import { aborted, api, problemDetail } from "../../api/client";
import { useSession } from "../../api/session";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";
import { DisciplineSection } from "./DisciplineSection";
import { type Choice, FilterBar } from "./FilterBar";
import { FunnelSection } from "./FunnelSection";
import { OutcomesSection } from "./OutcomesSection";
import { type Discipline, type Filters, type Funnel, type Outcomes, reportQuery, type Stale } from "./reports";
import { StaleSection } from "./StaleSection";

// A report's JSON: the document also describes its files (?format=csv), text to the client.
function json<T>(data: T | undefined): Exclude<T, string> | undefined {
  return typeof data === "string" || data === undefined ? undefined : (data as Exclude<T, string>);
}

interface Reports {
  funnel: Funnel;
  outcomes: Outcomes;
  discipline: Discipline;
  stale: Stale;
}

// The region's dashboard: what a mission produced, by start-up (staff and the admin see
// every start-up by name; a start-up's members their own figures beside the mission's
// totals, as the reports API answers them). The four reports are asked together at every
// change of the filters; an answer to filters since replaced is dropped.
export function DashboardScreen() {
  const { t } = useI18n();
  const { me } = useSession();
  const [filters, setFilters] = useState<Filters>({});
  const [reports, setReports] = useState<Reports | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [events, setEvents] = useState<Choice[]>([]);
  const [startups, setStartups] = useState<Choice[]>([]);
  const [partners, setPartners] = useState<Choice[]>([]);
  const latest = useRef(0);

  // The filters' choices: the missions, the start-ups (region-wide roles), the partners
  // that outcomes name.
  useEffect(() => {
    void api.GET("/api/v1/events", { params: { query: { limit: 200 } } }).then(({ data }) => {
      if (data) setEvents(data.items.map((e) => ({ id: e.id ?? 0, name: e.name ?? "" })));
    });
    if (me.role === "staff" || me.role === "admin")
      void api.GET("/api/v1/organisations").then(({ data }) => {
        if (data)
          setStartups(data.items.filter((o) => o.kind !== "region").map((o) => ({ id: o.id ?? 0, name: o.name ?? "" })));
      });
  }, []);

  useEffect(() => {
    const ticket = ++latest.current;
    const controller = new AbortController();
    const query = reportQuery(filters);
    const ask = { params: { query }, signal: controller.signal };
    (async () => {
      try {
        const [funnel, outcomes, discipline, stale] = await Promise.all([
          api.GET("/api/v1/reports/funnel", ask),
          api.GET("/api/v1/reports/outcomes", ask),
          api.GET("/api/v1/reports/followup-discipline", ask),
          api.GET("/api/v1/reports/stale", ask),
        ]);
        if (ticket !== latest.current) return;
        const got = {
          funnel: json(funnel.data),
          outcomes: json(outcomes.data),
          discipline: json(discipline.data),
          stale: json(stale.data),
        };
        if (!got.funnel || !got.outcomes || !got.discipline || !got.stale) {
          const failed = [funnel, outcomes, discipline, stale].find((r) => !json(r.data)) ?? funnel;
          setError(t("app.error", { detail: problemDetail(failed.error, failed.response) }));
          return;
        }
        setError(null);
        setReports({ funnel: got.funnel, outcomes: got.outcomes, discipline: got.discipline, stale: got.stale });
        if (!query.partner_company_id)
          setPartners(
            got.outcomes.by_partner
              .filter((p) => p.company_id != null)
              .map((p) => ({ id: p.company_id ?? 0, name: p.company_name ?? "" })),
          );
      } catch (e) {
        if (!aborted(e) && ticket === latest.current) setError(t("app.offline"));
      }
    })();
    return () => controller.abort();
  }, [filters]);

  return (
    <div class="dashboard">
      <h1 id="dashboard-title">{t("dashboard.title")}</h1>
      <p class="hint">{t(reports?.funnel.scope === "own-startup" ? "dashboard.scope_own" : "dashboard.scope_all")}</p>
      <FilterBar role={me.role} events={events} startups={startups} partners={partners} onApply={setFilters} />
      {error ? <Message kind="error">{error}</Message> : null}
      {reports === null ? (
        <p role="status">{t("app.loading")}</p>
      ) : (
        <>
          <FunnelSection report={reports.funnel} filters={filters} />
          <OutcomesSection report={reports.outcomes} filters={filters} />
          <DisciplineSection report={reports.discipline} filters={filters} />
          <StaleSection report={reports.stale} filters={filters} />
        </>
      )}
    </div>
  );
}
