import { useEffect, useRef, useState } from "preact/hooks";

import { api, problemDetail } from "../../api/client";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";
import { previewCsv, previewVcard, type Preview } from "./csv_preview";

type Job = NonNullable<Awaited<ReturnType<typeof readJob>>>;
const presets = ["auto", "linkedin", "google", "outlook", "hubspot", "generic"] as const;

async function readJob(id: number) {
  const { data } = await api.GET("/api/v1/imports/{id}", { params: { path: { id } } });
  return data;
}

// One line of the report (GET /api/v1/imports/{id}/report, JSON lines).
interface ReportLine {
  line?: number;
  outcome?: string;
  detail?: string;
  warnings?: string[];
}

// Imports: a CSV or vCard file chosen, its first lines shown as they will be read, a dry run
// (what would be created, updated, refused and why, nothing written), then the import with
// its progress and its result. The file goes as the body of POST /api/v1/imports.
export function ImportsScreen() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState("");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [preset, setPreset] = useState<(typeof presets)[number]>("auto");
  const [job, setJob] = useState<Job | null>(null);
  const [report, setReport] = useState<ReportLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const polling = useRef(0);

  useEffect(() => () => window.clearTimeout(polling.current), []);

  const vcard = (f: File, body: string) => /\.vcf$/i.test(f.name) || /^BEGIN:VCARD/im.test(body.slice(0, 200));

  const choose = async (e: Event) => {
    const f = (e.currentTarget as HTMLInputElement).files?.[0] ?? null;
    setFile(f);
    setJob(null);
    setReport([]);
    setError(null);
    if (!f) return setPreview(null);
    const body = await f.text();
    setText(body);
    setPreview(vcard(f, body) ? previewVcard(body) : previewCsv(body));
  };

  const follow = (id: number, dryRun: boolean) => {
    const tick = async () => {
      const current = await readJob(id).catch(() => undefined);
      if (current) setJob(current);
      if (current && (current.state === "done" || current.state === "failed")) {
        setRunning(false);
        if (dryRun || current.invalid > 0) {
          const r = await fetch(`/api/v1/imports/${id}/report`, { credentials: "same-origin" }).catch(() => null);
          const lines = r?.ok ? (await r.text()).split("\n").filter(Boolean) : [];
          setReport(lines.map((l) => JSON.parse(l) as ReportLine));
        }
        return;
      }
      polling.current = window.setTimeout(() => void tick(), 300);
    };
    void tick();
  };

  const start = async (dryRun: boolean) => {
    if (!file) return;
    setRunning(true);
    setError(null);
    setReport([]);
    setJob(null);
    const isVcard = vcard(file, text);
    const { data, error: problem, response } = await api.POST("/api/v1/imports", {
      params: { query: { dry_run: dryRun, preset, filename: file.name } },
      body: text,
      bodySerializer: (b: unknown) => b as string,
      headers: { "Content-Type": isVcard ? "text/vcard" : "text/csv" },
    }).catch(() => ({ data: undefined, error: undefined, response: new Response(null, { status: 0 }) }));
    if (!data) {
      setRunning(false);
      setError(response.status === 0 ? t("app.offline") : t("app.error", { detail: problemDetail(problem, response) }));
      return;
    }
    setJob(data);
    follow(data.id, dryRun);
  };

  const progress = job && job.bytes_total > 0 ? Math.round((100 * job.bytes_read) / job.bytes_total) : 0;
  const finished = job?.state === "done";
  return (
    <section aria-labelledby="imports-title">
      <h1 id="imports-title">{t("imports.title")}</h1>
      <label for="imports-file">{t("imports.file")}</label>
      <input id="imports-file" type="file" accept=".csv,.vcf,text/csv,text/vcard" onChange={(e) => void choose(e)} />
      <p class="hint">{t("imports.file_hint")}</p>
      <label for="imports-preset">{t("imports.preset")}</label>
      <select id="imports-preset" value={preset} onChange={(e) => setPreset((e.currentTarget as HTMLSelectElement).value as typeof preset)}>
        {presets.map((p) => <option key={p} value={p}>{t(`imports.preset_${p}`)}</option>)}
      </select>
      {preview ? (
        <>
          <h2>{t("imports.preview")}</h2>
          <div class="table-scroll" tabIndex={0} role="region" aria-label={t("imports.preview")}>
            <table>
              <caption class="hint">{t("imports.preview_caption", { name: file?.name ?? "" })}</caption>
              <thead><tr>{preview.header.map((h, i) => <th key={i} scope="col">{h}</th>)}</tr></thead>
              <tbody>
                {preview.rows.map((r, i) => <tr key={i}>{r.map((v, j) => <td key={j}>{v}</td>)}</tr>)}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <div class="actions">
        <button type="button" class="secondary" disabled={!file || running} onClick={() => void start(true)}>{t("imports.dry_run")}</button>
        <button type="button" disabled={!file || running} onClick={() => void start(false)}>{t("imports.run")}</button>
      </div>
      {error ? <Message kind="error">{error}</Message> : null}
      {job ? (
        <div role="status" aria-live="polite" class="import-job">
          <p>
            {job.dry_run ? t("imports.dry_run_state", { state: t(`imports.state_${job.state}`) }) : t("imports.run_state", { state: t(`imports.state_${job.state}`) })}
          </p>
          <progress max={100} value={finished ? 100 : progress} aria-label={t("imports.progress")}>{progress}%</progress>
          {finished ? (
            <dl class="details">
              <dt>{job.dry_run ? t("imports.would_create") : t("imports.created")}</dt><dd>{job.created}</dd>
              <dt>{job.dry_run ? t("imports.would_update") : t("imports.updated")}</dt><dd>{job.updated}</dd>
              <dt>{t("imports.skipped")}</dt><dd>{job.skipped}</dd>
              <dt>{t("imports.invalid")}</dt><dd>{job.invalid}</dd>
            </dl>
          ) : null}
          {job.error ? <Message kind="error">{job.error}</Message> : null}
        </div>
      ) : null}
      {report.length > 0 ? (
        <>
          <h2>{t("imports.report")}</h2>
          <ul class="results import-report">
            {report.slice(0, 200).map((l, i) => (
              <li key={i}>{[l.line !== undefined ? t("imports.row", { row: String(l.line) }) : "", l.outcome ?? "", l.detail ?? "", ...(l.warnings ?? [])].filter(Boolean).join(" · ")}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
