import { useSession } from "../../api/session";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { ChartAndTable, ReportSection } from "./ReportSection";
import type { Filters, Stale } from "./reports";

// Open leads nobody touched for N days, by start-up and stage (counts for the region; a
// start-up's members also get their own stale leads, by title).
export function StaleSection({ report, filters }: { report: Stale; filters: Filters }) {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const stages = report.totals.stages;
  return (
    <ReportSection id="stale-title" title={t("dashboard.stale")} report="stale" filters={filters}>
      <p class="hint">
        {report.days ? t("dashboard.stale_days", { days: f.number(report.days) }) : t("dashboard.stale_default", { days: f.number(report.default_days) })}
      </p>
      <ChartAndTable
        caption={t("dashboard.stale_by_startup", { count: f.number(report.totals.leads) })}
        bars={report.startups.map((s) => ({ label: s.org_name, value: s.leads, text: f.number(s.leads) }))}
      >
        <table id="stale-table">
          <thead>
            <tr>
              <th scope="col">{t("dashboard.startup")}</th>
              <th scope="col" class="number">{t("dashboard.leads")}</th>
              {stages.map((s) => (
                <th key={s.stage} scope="col" class="number">{s.stage}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr class="total">
              <th scope="row">{t("dashboard.total")}</th>
              <td class="number">{f.number(report.totals.leads)}</td>
              {stages.map((s) => (
                <td key={s.stage} class="number">{f.number(s.leads)}</td>
              ))}
            </tr>
            {report.startups.map((o) => (
              <tr key={o.org_id}>
                <th scope="row">{o.org_name}</th>
                <td class="number">{f.number(o.leads)}</td>
                {stages.map((s) => (
                  <td key={s.stage} class="number">{f.number(o.stages.find((x) => x.stage === s.stage)?.leads ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ChartAndTable>
      {report.leads.length > 0 ? (
        <div class="table-scroll">
          <table id="stale-leads-table">
            <caption>{t("dashboard.stale_leads")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("dashboard.lead")}</th>
                <th scope="col">{t("dashboard.stage")}</th>
                <th scope="col">{t("dashboard.last_activity")}</th>
                <th scope="col" class="number">{t("dashboard.idle_days")}</th>
              </tr>
            </thead>
            <tbody>
              {report.leads.map((l) => (
                <tr key={l.id}>
                  <th scope="row">{l.title}</th>
                  <td>{l.stage}</td>
                  <td>{f.date(l.last_activity_at)}</td>
                  <td class="number">{f.number(Math.floor(l.idle_days))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </ReportSection>
  );
}
