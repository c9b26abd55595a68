import { useSession } from "../../api/session";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { ChartAndTable } from "./ReportSection";

interface StageLeads { stage: string; leads: number }
interface StartupLeads { org_id: number; org_name: string; leads: number; stages: StageLeads[] }

// Each start-up's leads, by stage (the funnel's and the stale report's), charted beside their
// table; `stages` gives the columns; `total`, when given, is the table's first row.
export function StartupStageTable(props: {
  id: string;
  caption: string;
  stages: readonly StageLeads[];
  startups: readonly StartupLeads[];
  total?: { leads: number; stages: readonly StageLeads[] };
}) {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const { stages, startups, total } = props;
  const cells = (row: { stages: readonly StageLeads[] }) =>
    stages.map((s) => (
      <td key={s.stage} class="number">{f.number(row.stages.find((x) => x.stage === s.stage)?.leads ?? 0)}</td>
    ));
  return (
    <ChartAndTable caption={props.caption} bars={startups.map((s) => ({ label: s.org_name, value: s.leads, text: f.number(s.leads) }))}>
      <table id={props.id}>
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
          {total ? (
            <tr class="total">
              <th scope="row">{t("dashboard.total")}</th>
              <td class="number">{f.number(total.leads)}</td>
              {cells(total)}
            </tr>
          ) : null}
          {startups.map((o) => (
            <tr key={o.org_id}>
              <th scope="row">{o.org_name}</th>
              <td class="number">{f.number(o.leads)}</td>
              {cells(o)}
            </tr>
          ))}
        </tbody>
      </table>
    </ChartAndTable>
  );
}
