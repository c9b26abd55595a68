import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";

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

// A report as the page shows it, with the filters it answers (its export links ask the
// same figures).
interface Shown<T> {
  report: T;
  filters: Filters;
}

// The region's dashboard: what a mission produced, by start-up (staff and the admin see
// every start-up by name; a start-up's members their own figures beside the mission's
// totals, as the reports API answers them). The four reports are asked together at every
// change of the filters and each is painted as soon as it arrives (they take from
// milliseconds to seconds at a region's scale, the page should not wait for the slowest);
// an answer to filters since replaced is dropped, and a report keeps showing its previous
// figures until its new ones arrive.
export function DashboardScreen() {
  const { t } = useI18n();
  const { me } = useSession();
  const [filters, setFilters] = useState<Filters>({});
  const [funnel, setFunnel] = useState<Shown<Funnel> | null>(null);
  const [outcomes, setOutcomes] = useState<Shown<Outcomes> | null>(null);
  const [discipline, setDiscipline] = useState<Shown<Discipline> | null>(null);
  const [stale, setStale] = useState<Shown<Stale> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [events, setEvents] = useState<Choice[]>([]);
  const [startups, setStartups] = useState<Choice[]>([]);
  const [partners, setPartners] = useState<Choice[]>([]);
  const latest = useRef(0);

  // The filters' choices: the missions, the start-ups (region-wide roles), the partners
  // that outcomes name; asked once the first report is there (asked with the reports,
  // they only slowed them down).
  const first = funnel ?? outcomes ?? discipline ?? stale;
  const anyShown = first !== null;
  useEffect(() => {
    if (!anyShown) return;
    void api.GET("/api/v1/events", { params: { query: { limit: 200 } } }).then(({ data }) => {
      if (data) setEvents(data.items.map((e) => ({ id: e.id ?? 0, name: e.name ?? "" })));
    });
    if (me.role === "staff" || me.role === "admin")
      void api.GET("/api/v1/organisations").then(({ data }) => {
        if (data)
          setStartups(data.items.filter((o) => o.kind !== "region").map((o) => ({ id: o.id ?? 0, name: o.name ?? "" })));
      });
  }, [anyShown]);

  // Asked before the browser paints the screen without its reports (see PipelineScreen).
  useLayoutEffect(() => {
    const ticket = ++latest.current;
    const controller = new AbortController();
    const query = reportQuery(filters);
    const ask = { params: { query }, signal: controller.signal };
    let failed = false;
    // Each report painted when it arrives; the first refusal is the one said.
    const show = async <T,>(answer: Promise<{ data?: T; error?: unknown; response: Response }>,
                            put: (shown: Shown<Exclude<T, string>>) => void) => {
      try {
        const r = await answer;
        if (ticket !== latest.current) return;
        const report = json(r.data);
        if (!report) {
          if (!failed) setError(t("app.error", { detail: problemDetail(r.error, r.response) }));
          failed = true;
          return;
        }
        put({ report, filters });
      } catch (e) {
        if (!aborted(e) && ticket === latest.current && !failed) {
          failed = true;
          setError(t("app.offline"));
        }
      }
    };
    setError(null);
    void show(api.GET("/api/v1/reports/funnel", ask), setFunnel);
    void show(api.GET("/api/v1/reports/outcomes", ask), (shown) => {
      setOutcomes(shown);
      if (!query.partner_company_id)
        setPartners(
          shown.report.by_partner
            .filter((p) => p.company_id != null)
            .map((p) => ({ id: p.company_id ?? 0, name: p.company_name ?? "" })),
        );
    });
    void show(api.GET("/api/v1/reports/followup-discipline", ask), setDiscipline);
    void show(api.GET("/api/v1/reports/stale", ask), setStale);
    return () => controller.abort();
  }, [filters]);

  const scope = first?.report.scope;
  const waiting = !funnel || !outcomes || !discipline || !stale;
  return (
    <div class="dashboard">
      <h1 id="dashboard-title">{t("dashboard.title")}</h1>
      <p class="hint">{t(scope === "own-startup" ? "dashboard.scope_own" : "dashboard.scope_all")}</p>
      <FilterBar role={me.role} events={events} startups={startups} partners={partners} onApply={setFilters} />
      {error ? <Message kind="error">{error}</Message> : null}
      {funnel ? <FunnelSection report={funnel.report} filters={funnel.filters} /> : null}
      {outcomes ? <OutcomesSection report={outcomes.report} filters={outcomes.filters} /> : null}
      {discipline ? <DisciplineSection report={discipline.report} filters={discipline.filters} /> : null}
      {stale ? <StaleSection report={stale.report} filters={stale.filters} /> : null}
      {waiting && !error ? <p role="status">{t("app.loading")}</p> : null}
    </div>
  );
}
