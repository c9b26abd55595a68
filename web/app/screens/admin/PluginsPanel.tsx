import { useEffect, useState } from "preact/hooks";

import { api, problemDetail } from "../../api/client";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";
import { InstanceDetails } from "./InstanceDetails";
import { InstanceForm } from "./InstanceForm";
import type { Instance, PluginFile } from "./types";

const refreshMs = 3000;

type Editing = { plugin: PluginFile; instance: Instance | null } | null;

// The plugins the daemon found and the caller's instances of each: add, change, remove an
// instance; its delivery state, dead letters and test.
export function PluginsPanel() {
  const { t } = useI18n();
  const [plugins, setPlugins] = useState<PluginFile[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);

  const load = async () => {
    const { data, error: e, response } = await api.GET("/api/v1/plugins");
    if (!data) return setError(t("app.error", { detail: problemDetail(e, response) }));
    setPlugins(data.items);
  };
  // The delivery states move on their own (starting, idle, retrying...): read again every
  // few seconds while the screen is open.
  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), refreshMs);
    return () => window.clearInterval(timer);
  }, []);

  const remove = async (instance: Instance) => {
    if (!window.confirm(t("admin.remove_confirm", { name: instance.name }))) return;
    const { error: e, response } = await api.DELETE("/api/v1/plugin-instances/{id}", { params: { path: { id: instance.id } } });
    if (!response.ok) return setError(t("app.error", { detail: problemDetail(e, response) }));
    void load();
  };

  // Plugins that receive events have instances; exporters serve exports and reports.
  const instantiable = (p: PluginFile) => p.state === "loaded" && p.interfaces.some((i) => i.startsWith("relance.event-sink"));
  return (
    <section aria-labelledby="plugins-title" class="panel">
      <h2 id="plugins-title">{t("admin.plugins")}</h2>
      {error ? <Message kind="error">{error}</Message> : null}
      {plugins === null ? <p role="status">{t("app.loading")}</p> : null}
      {editing ? (
        <InstanceForm
          plugin={{ id: editing.plugin.id ?? "", name: editing.plugin.name }}
          instance={editing.instance}
          onDone={(changed) => {
            setEditing(null);
            if (changed) void load();
          }}
        />
      ) : null}
      <ul class="plugins">
        {(plugins ?? []).map((p) => (
          <li key={p.file} class="plugin">
            <h3>
              {p.name} <span class="meta">{p.id} {p.version}</span>
            </h3>
            {p.state === "refused" ? <Message kind="error">{t("admin.refused", { reason: p.error ?? "" })}</Message> : null}
            <p class="meta">{p.interfaces.join(", ")}</p>
            {p.instances.map((i) => (
              <article key={i.id} class="instance" aria-label={t("admin.instance_label", { name: i.name })}>
                <h4>
                  {i.name} {i.enabled ? null : <span class="meta">({t("admin.disabled")})</span>}
                </h4>
                <InstanceDetails instance={i} testable={p.interfaces.some((x) => x.startsWith("relance.self-test"))} onChanged={() => void load()} />
                <div class="actions">
                  <button type="button" class="secondary" onClick={() => setEditing({ plugin: p, instance: i })}>
                    {t("admin.edit_named", { name: i.name })}
                  </button>
                  <button type="button" class="secondary danger" onClick={() => void remove(i)}>
                    {t("admin.remove_named", { name: i.name })}
                  </button>
                </div>
              </article>
            ))}
            {instantiable(p) ? (
              <button type="button" onClick={() => setEditing({ plugin: p, instance: null })}>
                {t("admin.add_instance", { plugin: p.name })}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
