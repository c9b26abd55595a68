import { useSession } from "../../api/session";
import { formats, type Formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { ChartAndTable, ReportSection } from "./ReportSection";
import type { Filters, Outcomes } from "./reports";

type Figures = Outcomes["totals"];

// The sums in their original currencies: "150 000,00 $US · 20 000,00 €".
function originals(f: Formats, amounts: Figures["amounts"]): string {
  return amounts.map((a) => f.money(a.amount, a.currency)).join(" · ");
}

function OutcomeCells({ row, f }: { row: Figures; f: Formats }) {
  return (
    <>
      <td class="number">{f.number(row.count)}</td>
      <td class="number">{f.money(row.amount_eur, "EUR")}</td>
      <td class="number">{originals(f, row.amounts)}</td>
      <td class="number">{f.number(row.jobs)}</td>
    </>
  );
}

function OutcomeHead({ first }: { first: string }) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col" class="number">{t("dashboard.count")}</th>
        <th scope="col" class="number">{t("dashboard.amount_eur")}</th>
        <th scope="col" class="number">{t("dashboard.amounts")}</th>
        <th scope="col" class="number">{t("dashboard.jobs")}</th>
      </tr>
    </thead>
  );
}

// What the mission produced: the totals, then by start-up and by partner, in euros (each
// outcome converted when it was recorded) and in the currencies they were signed in.
export function OutcomesSection({ report, filters }: { report: Outcomes; filters: Filters }) {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const eur = (row: Figures) => ({ value: row.amount_eur, text: f.money(row.amount_eur, "EUR") });
  return (
    <ReportSection id="outcomes-title" title={t("dashboard.outcomes")} report="outcomes" filters={filters}>
      <ChartAndTable
        caption={t("dashboard.outcomes_by_startup")}
        bars={report.startups.map((s) => ({ label: s.org_name, ...eur(s) }))}
      >
        <table id="outcomes-startups-table">
          <OutcomeHead first={t("dashboard.startup")} />
          <tbody>
            <tr class="total">
              <th scope="row">{t("dashboard.total")}</th>
              <OutcomeCells row={report.totals} f={f} />
            </tr>
            {report.startups.map((s) => (
              <tr key={s.org_id}>
                <th scope="row">{s.org_name}</th>
                <OutcomeCells row={s} f={f} />
              </tr>
            ))}
          </tbody>
        </table>
      </ChartAndTable>
      <ChartAndTable
        caption={t("dashboard.outcomes_by_partner")}
        bars={report.by_partner.map((p) => ({ label: p.company_name ?? t("dashboard.no_partner"), ...eur(p) }))}
      >
        <table id="outcomes-partners-table">
          <OutcomeHead first={t("dashboard.partner")} />
          <tbody>
            {report.by_partner.map((p) => (
              <tr key={p.company_id ?? "none"}>
                <th scope="row">{p.company_name ?? t("dashboard.no_partner")}</th>
                <OutcomeCells row={p} f={f} />
              </tr>
            ))}
          </tbody>
        </table>
      </ChartAndTable>
    </ReportSection>
  );
}
