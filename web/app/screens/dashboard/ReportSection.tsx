import type { ComponentChildren } from "preact";

import { useI18n } from "../../i18n/i18n";
import { type Bar, BarChart } from "./BarChart";
import { type Filters, type ReportName, reportFileUrl } from "./reports";

// One report's block: its title, its file in CSV and Excel (the same figures, through the
// report's ?format=), then each chart beside the table of its figures.
export function ReportSection({ id, title, report, filters, children }: {
  id: string;
  title: string;
  report: ReportName;
  filters: Filters;
  children: ComponentChildren;
}) {
  const { t, language } = useI18n();
  return (
    <section class="report" aria-labelledby={id}>
      <div class="report-head">
        <h2 id={id}>{title}</h2>
        <p class="exports">
          <a class="button-link" href={reportFileUrl(report, filters, "csv", language)} download aria-describedby={id}>
            {t("dashboard.export_csv")}
          </a>
          <a class="button-link" href={reportFileUrl(report, filters, "xlsx", language)} download aria-describedby={id}>
            {t("dashboard.export_xlsx")}
          </a>
        </p>
      </div>
      {children}
    </section>
  );
}

// A chart (hidden from screen readers) and the table that holds its figures, side by side.
export function ChartAndTable({ caption, bars, children }: { caption: string; bars: readonly Bar[]; children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <figure class="chart-and-table">
      <figcaption>{caption}</figcaption>
      <div class="chart-and-table-body">
        {bars.length > 0 ? <BarChart bars={bars} /> : null}
        <div class="table-scroll">{bars.length > 0 || children ? children : <p>{t("dashboard.nothing")}</p>}</div>
      </div>
    </figure>
  );
}
