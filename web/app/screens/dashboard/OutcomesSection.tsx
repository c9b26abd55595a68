import { useState } from "preact/hooks";

import { useSession } from "../../api/session";
import { formats, type Formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { ChartAndTable, ReportSection } from "./ReportSection";
import type { Filters, Outcomes } from "./reports";

type Figures = Outcomes["totals"];

// A mission's partners run to thousands at a region's scale: the chart and the table show
// the largest (in euros), the table all of them when asked (the report's file has them all).
const shownPartners = 30;

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
  const [allPartners, setAllPartners] = useState(false);
  const partners = [...report.by_partner].sort((a, b) => b.amount_eur - a.amount_eur);
  const listed = allPartners ? partners : partners.slice(0, shownPartners);
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
        bars={partners.slice(0, shownPartners).map((p) => ({ label: p.company_name ?? t("dashboard.no_partner"), ...eur(p) }))}
      >
        {partners.length > shownPartners ? (
          <p class="hint">
            {t("dashboard.partners_top", { shown: f.number(shownPartners), count: f.number(partners.length) })}
          </p>
        ) : null}
        <table id="outcomes-partners-table">
          <OutcomeHead first={t("dashboard.partner")} />
          <tbody>
            {listed.map((p) => (
              <tr key={p.company_id ?? "none"}>
                <th scope="row">{p.company_name ?? t("dashboard.no_partner")}</th>
                <OutcomeCells row={p} f={f} />
              </tr>
            ))}
          </tbody>
        </table>
        {listed.length < partners.length ? (
          <button type="button" class="secondary" onClick={() => setAllPartners(true)}>
            {t("dashboard.partners_all", { count: f.number(partners.length) })}
          </button>
        ) : null}
      </ChartAndTable>
    </ReportSection>
  );
}
