import { useEffect, useState } from "preact/hooks";

import { api } from "../../api/client";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";

type JobAnswer = Awaited<ReturnType<typeof readJob>>;
export type Job = NonNullable<JobAnswer>;
async function readJob(id: number) {
  return (await api.GET("/api/v1/imports/{id}", { params: { path: { id } } })).data;
}

// One line of the report (GET /api/v1/imports/{id}/report, JSON lines).
interface ReportLine {
  line?: number;
  outcome?: string;
  contact_id?: number | null;
  detail?: string;
  warnings?: string[];
}
const outcomes = ["new", "duplicate", "updated", "skipped", "invalid"] as const;
const shown = 500;  // report lines drawn; the CSV download has them all

// A job as it runs (its phase, rows read, bytes as a progress bar) and, once it ended, its
// counts and its report: every row for a dry run, the rows that were not imported for an
// import, each with its line and reason, and the whole report as CSV.
export function ImportJobView({ job }: { job: Job }) {
  const { t } = useI18n();
  const [report, setReport] = useState<ReportLine[] | null>(null);
  const ended = job.state === "done" || job.state === "failed";
  useEffect(() => {
    setReport(null);
    if (!ended) return;
    void fetch(`/api/v1/imports/${job.id}/report`, { credentials: "same-origin" })
      .then(async (r) => (r.ok ? (await r.text()).split("\n").filter(Boolean).map((l) => JSON.parse(l) as ReportLine) : []))
      .then(setReport)
      .catch(() => setReport([]));
  }, [job.id, ended]);

  const progress = job.bytes_total > 0 ? Math.round((100 * job.bytes_read) / job.bytes_total) : 0;
  const state = t(`imports.state_${job.state}`);
  const lines = (report ?? []).filter((l) => job.dry_run || (l.outcome !== "new" && l.outcome !== "updated"));
  const outcome = (o?: string) => (outcomes.includes(o as (typeof outcomes)[number]) ? t(`imports.outcome_${o as (typeof outcomes)[number]}`) : o ?? "");
  return (
    <div class="import-job">
      <div role="status" aria-live="polite">
        <p>{job.dry_run ? t("imports.dry_run_state", { state }) : t("imports.run_state", { state })}</p>
        {!ended ? (
          <p class="hint">{t("imports.rows_so_far", { rows: Math.max(job.rows_checked, job.rows_read) })}</p>
        ) : null}
      </div>
      <progress max={100} value={job.state === "done" ? 100 : progress} aria-label={t("imports.progress")}>{progress}%</progress>
      {job.state === "done" ? (
        <dl class="details">
          <dt>{job.dry_run ? t("imports.would_create") : t("imports.created")}</dt><dd>{job.created}</dd>
          <dt>{job.dry_run ? t("imports.would_update") : t("imports.updated")}</dt><dd>{job.updated}</dd>
          <dt>{t("imports.skipped")}</dt><dd>{job.skipped}</dd>
          <dt>{t("imports.invalid")}</dt><dd>{job.invalid}</dd>
          <dt>{t("imports.ignored")}</dt><dd>{job.ignored}</dd>
        </dl>
      ) : null}
      {job.state === "done" && !job.dry_run && job.invalid > 0 && !job.skip_invalid ? (
        <Message kind="error">{t("imports.nothing_written")}</Message>
      ) : null}
      {job.error ? <Message kind="error">{t("imports.failed", { detail: job.error })}</Message> : null}
      {ended && report ? (
        <>
          <h2>{job.dry_run ? t("imports.report") : t("imports.report_rejected")}</h2>
          {lines.length === 0 ? <p>{t("imports.report_empty")}</p> : (
            <div class="table-scroll" tabIndex={0} role="region" aria-label={job.dry_run ? t("imports.report") : t("imports.report_rejected")}>
              <table class="import-report">
                <thead>
                  <tr><th scope="col">{t("imports.line")}</th><th scope="col">{t("imports.outcome")}</th><th scope="col">{t("imports.detail")}</th></tr>
                </thead>
                <tbody>
                  {lines.slice(0, shown).map((l, i) => (
                    <tr key={i} class={`outcome-${l.outcome ?? ""}`}>
                      <td>{l.line ?? ""}</td>
                      <td>{outcome(l.outcome)}</td>
                      <td>{[l.detail ?? "", ...(l.warnings ?? [])].filter(Boolean).join(" · ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {lines.length > shown ? <p class="hint">{t("imports.report_more", { shown, total: lines.length })}</p> : null}
          <p><a href={`/api/v1/imports/${job.id}/report?format=csv`} download={`import-${job.id}-report.csv`}>{t("imports.report_csv")}</a></p>
        </>
      ) : null}
    </div>
  );
}
