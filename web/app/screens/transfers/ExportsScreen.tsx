import { useEffect, useState } from "preact/hooks";

import { api } from "../../api/client";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";

type Formats = NonNullable<Awaited<ReturnType<typeof readFormats>>>;
type Format = Formats["items"][number];

async function readFormats() {
  const { data } = await api.GET("/api/v1/exports");
  return data;
}

// The export's address: the datasets, the language and the format's options, nothing
// personal (the rows are the caller's, read with the session cookie).
export function exportHref(format: Format, datasets: string[], language: string, options: Record<string, string>): string {
  const q = new URLSearchParams();
  for (const d of datasets) q.append("dataset", d);
  q.set("lang", language);
  for (const [name, value] of Object.entries(options)) if (value) q.set(name, value);
  return `/api/v1/exports/${encodeURIComponent(format.format)}?${q.toString()}`;
}

// Exports: the datasets and formats the daemon offers (GET /api/v1/exports), the chosen
// format's options as its plugin declares them, and a download link.
export function ExportsScreen() {
  const { t, language } = useI18n();
  const [formats, setFormats] = useState<Formats | null>(null);
  const [failed, setFailed] = useState(false);
  const [formatId, setFormatId] = useState("");
  const [datasets, setDatasets] = useState<string[]>(["contacts"]);
  const [options, setOptions] = useState<Record<string, string>>({});

  useEffect(() => {
    readFormats()
      .then((f) => {
        if (!f) return setFailed(true);
        setFormats(f);
        const preferred = f.items.find((x) => x.format === "csv") ?? f.items[0];
        setFormatId(preferred?.format ?? "");
      })
      .catch(() => setFailed(true));
  }, []);

  const format = formats?.items.find((f) => f.format === formatId);
  const toggle = (d: string) => setDatasets(datasets.includes(d) ? datasets.filter((x) => x !== d) : [...datasets, d]);

  return (
    <section aria-labelledby="exports-title">
      <h1 id="exports-title">{t("exports.title")}</h1>
      {failed ? <Message kind="error">{t("app.offline")}</Message> : null}
      {formats === null && !failed ? <p role="status">{t("app.loading")}</p> : null}
      {formats ? (
        <form onSubmit={(e) => e.preventDefault()}>
          <fieldset>
            <legend>{t("exports.datasets")}</legend>
            {formats.datasets.map((d) => (
              <label key={d} class="check">
                <input type="checkbox" checked={datasets.includes(d)} onChange={() => toggle(d)} /> {d}
              </label>
            ))}
          </fieldset>
          <label for="exports-format">{t("exports.format")}</label>
          <select id="exports-format" value={formatId} onChange={(e) => { setFormatId((e.currentTarget as HTMLSelectElement).value); setOptions({}); }}>
            {formats.items.map((f) => <option key={f.format} value={f.format}>{`${f.format} (${f.mime_type})`}</option>)}
          </select>
          {format?.options.map((o) => (
            <div key={o.name}>
              <label for={`exports-option-${o.name}`}>{o.name}</label>
              {o.choices && o.choices.length > 0 ? (
                <select id={`exports-option-${o.name}`} aria-describedby={`exports-option-${o.name}-hint`} value={options[o.name] ?? o.default ?? ""}
                        onChange={(e) => setOptions({ ...options, [o.name]: (e.currentTarget as HTMLSelectElement).value })}>
                  {o.choices.map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
              ) : (
                <input id={`exports-option-${o.name}`} aria-describedby={`exports-option-${o.name}-hint`} value={options[o.name] ?? o.default ?? ""}
                       onInput={(e) => setOptions({ ...options, [o.name]: (e.currentTarget as HTMLInputElement).value })} />
              )}
              <p id={`exports-option-${o.name}-hint`} class="hint">{o.description}</p>
            </div>
          ))}
          {format && datasets.length > 0 ? (
            <a class="button" href={exportHref(format, datasets, language, options)} download>
              {t("exports.download")}
            </a>
          ) : (
            <p class="hint">{t("exports.pick")}</p>
          )}
        </form>
      ) : null}
    </section>
  );
}
