import { useEffect, useRef, useState } from "preact/hooks";

import { api, problemDetail } from "../../api/client";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";
import { decodeText, headOf, previewCsv, previewVcard, type Preview } from "./csv_preview";
import { blocking, mappingIssues, mappingParam, type MappedColumn } from "./import_mapping";
import { ImportOptions, defaultOptions, type Options } from "./ImportOptions";
import { ImportJobView, type Job } from "./ImportJobView";
import { MappingEditor, issueText } from "./MappingEditor";

// Imports: a CSV or vCard file chosen; a CSV file's columns shown as the server would map
// them (POST /api/v1/import-columns, with their first values read here) and changed where
// the user wants; the options; a dry run (what would be created, merged, skipped and why,
// nothing written), then the import with the same mapping and options, its progress and
// its result. The file goes as the body of POST /api/v1/imports; a refused file says why
// and keeps the mapping.
export function ImportsScreen() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);  // a vCard file's names
  const [columns, setColumns] = useState<MappedColumn[]>([]);
  const [fields, setFields] = useState<string[]>([]);
  const [presetFound, setPresetFound] = useState(false);
  const [options, setOptions] = useState<Options>(defaultOptions);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const polling = useRef(0);
  const runKey = useRef("");  // the real import's Idempotency-Key: one per file and mapping

  useEffect(() => () => window.clearTimeout(polling.current), []);

  const isVcard = (f: File, text: string) => /\.vcf$/i.test(f.name) || /^\uFEFF?BEGIN:VCARD/i.test(text.slice(0, 200));

  // The server's reading of the header, with the first values of each column read here.
  const readColumns = async (f: File) => {
    const head = await headOf(f);
    const text = decodeText(head);
    if (isVcard(f, text)) {
      setPreview(previewVcard(text));
      return;
    }
    const { data, error: problem, response } = await api.POST("/api/v1/import-columns", {
      body: head as unknown as string,
      bodySerializer: (b: unknown) => b as string,
      headers: { "Content-Type": "text/csv" },
    }).catch(() => ({ data: undefined, error: undefined, response: new Response(null, { status: 0 }) }));
    if (!data) {
      setError(response.status === 0 ? t("app.offline") : t("app.error", { detail: problemDetail(problem, response) }));
      return;
    }
    const names = data.columns.map((c) => c.name);
    const { rows } = previewCsv(text, 5, data.delimiter, names);
    setFields(data.fields);
    setPresetFound(data.preset !== null);
    setColumns(data.columns.map((c, i) => ({
      name: c.name, guess: c.field, field: c.field, examples: rows.map((r) => r[i] ?? ""),
    })));
  };

  const choose = async (e: Event) => {
    const f = (e.currentTarget as HTMLInputElement).files?.[0] ?? null;
    window.clearTimeout(polling.current);
    setFile(f);
    setJob(null);
    setError(null);
    setPreview(null);
    setColumns([]);
    setRunning(false);
    runKey.current = "";
    if (f) await readColumns(f);
  };

  const map = (index: number, field: string) => {
    runKey.current = "";
    setColumns((cs) => cs.map((c, i) => (i === index ? { ...c, field } : c)));
  };

  const follow = (id: number) => {
    const tick = async () => {
      const { data } = await api.GET("/api/v1/imports/{id}", { params: { path: { id } } })
        .catch(() => ({ data: undefined }));
      if (data) setJob(data);
      if (data && (data.state === "done" || data.state === "failed")) return setRunning(false);
      polling.current = window.setTimeout(() => void tick(), 300);
    };
    void tick();
  };

  const issues = mappingIssues(columns);
  const vcard = preview !== null;
  const ready = file !== null && (vcard || (columns.length > 0 && !blocking(issues)));

  const start = async (dryRun: boolean) => {
    if (!file || !ready) return;
    setRunning(true);
    setError(null);
    setJob(null);
    const mapping = vcard ? undefined : mappingParam(columns, presetFound);
    if (!dryRun && !runKey.current) runKey.current = crypto.randomUUID();
    const { data, error: problem, response } = await api.POST("/api/v1/imports", {
      params: {
        query: {
          dry_run: dryRun,
          filename: file.name,
          mode: options.mode,
          skip_invalid: options.skipInvalid,
          ...(mapping ? { mapping } : {}),
          ...(options.tag.trim() ? { tag: options.tag.trim() } : {}),
          ...(options.eventId ? { source_event_id: options.eventId } : {}),
          ...(options.region.trim() ? { region: options.region.trim() } : {}),
        },
        header: dryRun ? {} : { "Idempotency-Key": runKey.current },
      },
      body: file as unknown as string,
      bodySerializer: (b: unknown) => b as string,
      headers: { "Content-Type": vcard ? "text/vcard" : "text/csv" },
    }).catch(() => ({ data: undefined, error: undefined, response: new Response(null, { status: 0 }) }));
    if (!data) {
      setRunning(false);
      setError(response.status === 0 ? t("app.offline") : t("imports.refused", { detail: problemDetail(problem, response) }));
      return;
    }
    setJob(data);
    follow(data.id);
  };

  return (
    <section aria-labelledby="imports-title" class="imports">
      <h1 id="imports-title">{t("imports.title")}</h1>
      <label for="imports-file">{t("imports.file")}</label>
      <input id="imports-file" type="file" accept=".csv,.vcf,text/csv,text/vcard" onChange={(e) => void choose(e)} />
      <p class="hint">{t("imports.file_hint")}</p>
      {columns.length > 0 ? (
        <>
          <h2>{t("imports.mapping")}</h2>
          <p class="hint">{presetFound ? t("imports.mapping_hint") : t("imports.mapping_unknown")}</p>
          <MappingEditor columns={columns} fields={fields} issues={issues} fileName={file?.name ?? ""} onChange={map} />
          {issues.length > 0 ? (
            <ul class="mapping-issues" aria-live="polite">
              {issues.map((issue, i) => <li key={i} class={issue.kind === "unnamed" ? "hint" : "issue"}>{issueText(t, issue)}</li>)}
            </ul>
          ) : null}
        </>
      ) : null}
      {preview ? (
        <>
          <h2>{t("imports.preview")}</h2>
          <ul class="results">{preview.rows.map((r, i) => <li key={i}>{r[0]}</li>)}</ul>
        </>
      ) : null}
      <ImportOptions options={options} onChange={(o) => { runKey.current = ""; setOptions(o); }} />
      <div class="actions">
        <button type="button" class="secondary" disabled={!ready || running} onClick={() => void start(true)}>{t("imports.dry_run")}</button>
        <button type="button" disabled={!ready || running} onClick={() => void start(false)}>{t("imports.run")}</button>
      </div>
      {error ? <Message kind="error">{error}</Message> : null}
      {job ? <ImportJobView job={job} /> : null}
    </section>
  );
}
