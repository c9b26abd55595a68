import { useSession } from "../../api/session";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { figures } from "./figures";
import { ChartAndTable, ReportSection } from "./ReportSection";
import type { Filters, Funnel } from "./reports";
import { StartupStageTable } from "./StartupStageTable";

// Leads per stage, how many reached each stage and went on to the next, and how long they
// stayed; then each start-up's leads per stage.
export function FunnelSection({ report, filters }: { report: Funnel; filters: Filters }) {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const fig = figures(language, t("dashboard.none"));
  const stages = report.overall.stages;
  return (
    <ReportSection id="funnel-title" title={t("dashboard.funnel")} report="funnel" filters={filters}>
      <ChartAndTable
        caption={t("dashboard.funnel_overall", { count: f.number(report.overall.leads) })}
        bars={stages.map((s) => ({ label: s.stage, value: s.leads, text: f.number(s.leads) }))}
      >
        <table id="funnel-table">
          <thead>
            <tr>
              <th scope="col">{t("dashboard.stage")}</th>
              <th scope="col" class="number">{t("dashboard.leads")}</th>
              <th scope="col" class="number">{t("dashboard.reached")}</th>
              <th scope="col" class="number">{t("dashboard.conversion")}</th>
              <th scope="col" class="number">{t("dashboard.median_stay")}</th>
              <th scope="col" class="number">{t("dashboard.p90_stay")}</th>
            </tr>
          </thead>
          <tbody>
            {stages.map((s) => (
              <tr key={s.stage}>
                <th scope="row">{s.stage}</th>
                <td class="number">{f.number(s.leads)}</td>
                <td class="number">{f.number(s.reached)}</td>
                <td class="number">{fig.percent(s.conversion_to_next)}</td>
                <td class="number">{fig.days(s.median_seconds)}</td>
                <td class="number">{fig.days(s.p90_seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ChartAndTable>
      {report.startups.length > 0 ? (
        <StartupStageTable id="funnel-startups-table" caption={t("dashboard.funnel_by_startup")} stages={stages} startups={report.startups} />
      ) : null}
    </ReportSection>
  );
}
