import { useSession } from "../../api/session";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { ReportSection } from "./ReportSection";
import type { Filters, Stale } from "./reports";
import { StartupStageTable } from "./StartupStageTable";

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
      <StartupStageTable
        id="stale-table"
        caption={t("dashboard.stale_by_startup", { count: f.number(report.totals.leads) })}
        stages={stages}
        startups={report.startups}
        total={report.totals}
      />
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
