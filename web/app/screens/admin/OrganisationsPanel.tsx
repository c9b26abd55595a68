import { useState } from "preact/hooks";

import { api, problemDetail } from "../../api/client";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";

export interface Organisation {
  id: number;
  name: string;
  kind: string;
}

// The instance admin's organisations: the region's and the start-ups; a new start-up by name.
export function OrganisationsPanel({ organisations, onCreated }: { organisations: readonly Organisation[]; onCreated: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState("");
  const [note, setNote] = useState<{ kind: "error" | "status"; text: string } | null>(null);

  const create = async (e: Event) => {
    e.preventDefault();
    const { data, error, response } = await api.POST("/api/v1/organisations", { body: { name: name.trim(), kind: "startup" } });
    if (!data) return setNote({ kind: "error", text: t("app.error", { detail: problemDetail(error, response) }) });
    setNote({ kind: "status", text: t("admin.org_created", { name: data.name ?? name }) });
    setName("");
    onCreated();
  };

  return (
    <section aria-labelledby="orgs-title" class="panel">
      <h2 id="orgs-title">{t("admin.organisations")}</h2>
      <div class="table-scroll">
        <table id="organisations-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.org_name")}</th>
              <th scope="col">{t("admin.org_kind")}</th>
            </tr>
          </thead>
          <tbody>
            {organisations.map((o) => (
              <tr key={o.id}>
                <td>{o.name}</td>
                <td>{t(o.kind === "region" ? "admin.kind_region" : "admin.kind_startup")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="inline-form" onSubmit={(e) => void create(e)}>
        <label for="new-org-name">{t("admin.org_new")}</label>
        <input id="new-org-name" type="text" required value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit">{t("admin.create")}</button>
      </form>
      {note ? <Message kind={note.kind}>{note.text}</Message> : null}
    </section>
  );
}
