import { useEffect, useState } from "preact/hooks";

import { api, problemDetail } from "../../api/client";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";
import { type Field, type Kind, fieldOf, settingsToSend, shown, storedSecret } from "./settingsForm";
import type { Instance } from "./types";

// The input for each kind of setting that is typed in (booleans and choices are selects).
const inputType: Record<Kind, string> = {
  // An email setting may be "Name <address>", which type="email" refuses: text, with an email keyboard.
  secret: "password", number: "number", email: "text", url: "url", text: "text", boolean: "text", choice: "text",
};

// Creating or changing an instance of a plugin: its name, whether it runs, the events it
// receives, and its settings as the plugin documents them.
export function InstanceForm({ plugin, instance, onDone }: {
  plugin: { id: string; name: string };
  instance: Instance | null;  // null: a new instance
  onDone: (changed: boolean) => void;
}) {
  const { t, language } = useI18n();
  const [fields, setFields] = useState<Field[] | null>(null);
  const stored = (instance?.settings ?? {}) as Record<string, unknown>;
  const [name, setName] = useState(instance?.name ?? plugin.name);
  const [enabled, setEnabled] = useState(instance?.enabled ?? true);
  const [events, setEvents] = useState((instance?.events ?? []).join(", "));
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.GET("/api/v1/plugins/{plugin}/settings", { params: { path: { plugin: plugin.id } } }).then(({ data, error: e, response }) => {
      if (!data) return setError(t("app.error", { detail: problemDetail(e, response) }));
      const fs = data.settings.map((doc) => fieldOf(doc, language));
      setFields(fs);
      setValues(Object.fromEntries(fs.map((f) => [f.name, shown(f, stored[f.name])])));
    });
  }, [plugin.id]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!fields) return;
    setBusy(true);
    const body = {
      name: name.trim(),
      enabled,
      events: events.split(",").map((s) => s.trim()).filter(Boolean),
      // The document declares settings as a free object, which the generated types read
      // as an object of nothing: the plugin's own keys are given as they are.
      settings: settingsToSend(fields, values, stored) as Record<string, never>,
    };
    const answer = instance
      ? await api.PATCH("/api/v1/plugin-instances/{id}", { params: { path: { id: instance.id } }, body })
      : await api.POST("/api/v1/plugin-instances", { body: { ...body, plugin: plugin.id } });
    setBusy(false);
    if (answer.error || !answer.response.ok) return setError(t("app.error", { detail: problemDetail(answer.error, answer.response) }));
    onDone(true);
  };

  const id = (f: Field) => `setting-${f.name}`;
  return (
    <form class="instance-form" onSubmit={(e) => void submit(e)} aria-labelledby="instance-form-title">
      <h3 id="instance-form-title">{t(instance ? "admin.instance_edit" : "admin.instance_new", { plugin: plugin.name })}</h3>
      {error ? <Message kind="error">{error}</Message> : null}
      <label for="instance-name">{t("admin.instance_name")}</label>
      <input id="instance-name" type="text" required value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
      <label class="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled((e.currentTarget as HTMLInputElement).checked)} />
        {t("admin.instance_enabled")}
      </label>
      <label for="instance-events">{t("admin.instance_events")}</label>
      <input id="instance-events" type="text" aria-describedby="instance-events-hint" value={events}
             onInput={(e) => setEvents((e.currentTarget as HTMLInputElement).value)} />
      <p id="instance-events-hint" class="hint">{t("admin.instance_events_hint")}</p>
      {fields === null ? (
        <p role="status">{t("app.loading")}</p>
      ) : (
        <fieldset>
          <legend>{t("admin.settings")}</legend>
          {fields.length === 0 ? <p>{t("admin.settings_none")}</p> : null}
          {fields.map((f) => {
            const set = (v: string) => setValues((all) => ({ ...all, [f.name]: v }));
            const value = values[f.name] ?? "";
            const hintId = `${id(f)}-hint`;
            const common = { id: id(f), "aria-describedby": hintId, required: f.required && !(f.kind === "secret" && stored[f.name] === storedSecret) };
            return (
              <div key={f.name} class="setting">
                <label for={id(f)}>
                  {f.name}
                  {f.required ? <span class="required"> ({t("admin.required")})</span> : null}
                </label>
                {f.kind === "boolean" || f.kind === "choice" ? (
                  <select {...common} value={value} onChange={(e) => set((e.currentTarget as HTMLSelectElement).value)}>
                    <option value="">{f.defaultValue ? t("admin.default_is", { value: f.defaultValue }) : t("admin.unset")}</option>
                    {f.choices.map((c) => (
                      <option key={c} value={c}>{c}</option>
                    ))}
                  </select>
                ) : (
                  <input
                    {...common}
                    type={inputType[f.kind]}
                    step={f.kind === "number" ? (f.integer ? 1 : "any") : undefined}
                    autoComplete={f.kind === "secret" ? "new-password" : "off"}
                    inputMode={f.kind === "email" ? "email" : undefined}
                    placeholder={f.kind === "secret" && stored[f.name] === storedSecret ? t("admin.secret_set") : f.defaultValue ?? ""}
                    value={value}
                    onInput={(e) => set((e.currentTarget as HTMLInputElement).value)}
                  />
                )}
                <p id={hintId} class="hint">
                  {/* In English unless the plugin gives French (SDK 1.6). */}
                  <span lang={language === f.descriptionLanguage ? undefined : f.descriptionLanguage}>{f.description}</span>
                  {f.kind === "secret" ? ` ${t("admin.secret_hint")}` : ""}
                </p>
              </div>
            );
          })}
        </fieldset>
      )}
      <div class="actions">
        <button type="submit" disabled={busy || fields === null}>{t(instance ? "admin.save" : "admin.create")}</button>
        <button type="button" class="secondary" onClick={() => onDone(false)}>{t("admin.cancel")}</button>
      </div>
    </form>
  );
}
