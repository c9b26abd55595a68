import { useSession } from "../../api/session";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { figures } from "./figures";
import { ChartAndTable, ReportSection } from "./ReportSection";
import type { Discipline, Filters } from "./reports";

type Row = Discipline["overall"];

// How soon each start-up followed up its mission leads: the shares within 72 hours and
// 7 days, the median delay, and the follow-ups overdue now.
export function DisciplineSection({ report, filters }: { report: Discipline; filters: Filters }) {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const fig = figures(language, t("dashboard.none"));
  const cells = (r: Row) => (
    <>
      <td class="number">{f.number(r.mission_leads)}</td>
      <td class="number">{f.number(r.with_reference)}</td>
      <td class="number">{fig.percent(r.share_within_72h)}</td>
      <td class="number">{fig.percent(r.share_within_7d)}</td>
      <td class="number">{fig.hours(r.median_hours_to_first_followup)}</td>
      <td class="number">{f.number(r.overdue_followups)}</td>
    </>
  );
  return (
    <ReportSection id="discipline-title" title={t("dashboard.discipline")} report="followup-discipline" filters={filters}>
      <ChartAndTable
        caption={t("dashboard.discipline_by_startup")}
        bars={report.startups.map((s) => ({ label: s.org_name, value: s.share_within_7d ?? 0, text: fig.percent(s.share_within_7d) }))}
      >
        <table id="discipline-table">
          <thead>
            <tr>
              <th scope="col">{t("dashboard.startup")}</th>
              <th scope="col" class="number">{t("dashboard.mission_leads")}</th>
              <th scope="col" class="number">{t("dashboard.with_reference")}</th>
              <th scope="col" class="number">{t("dashboard.within_72h")}</th>
              <th scope="col" class="number">{t("dashboard.within_7d")}</th>
              <th scope="col" class="number">{t("dashboard.median_first")}</th>
              <th scope="col" class="number">{t("dashboard.overdue")}</th>
            </tr>
          </thead>
          <tbody>
            <tr class="total">
              <th scope="row">{t("dashboard.total")}</th>
              {cells(report.overall)}
            </tr>
            {report.startups.map((s) => (
              <tr key={s.org_id}>
                <th scope="row">{s.org_name}</th>
                {cells(s)}
              </tr>
            ))}
          </tbody>
        </table>
      </ChartAndTable>
    </ReportSection>
  );
}
