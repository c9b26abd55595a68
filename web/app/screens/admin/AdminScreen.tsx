import { useEffect, useState } from "preact/hooks";

import { api } from "../../api/client";
import { useSession } from "../../api/session";
import { useI18n } from "../../i18n/i18n";
import { type Organisation, OrganisationsPanel } from "./OrganisationsPanel";
import { PluginsPanel } from "./PluginsPanel";
import { UsersPanel } from "./UsersPanel";

// Administration: the users an org-admin manages and their organisation's plugin
// instances; for the instance admin also the organisations (the first-run setup: the
// start-ups, their users and invitations).
export function AdminScreen() {
  const { t } = useI18n();
  const { me } = useSession();
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  const loadOrganisations = async () => {
    const { data } = await api.GET("/api/v1/organisations", { params: { query: { limit: 200, sort: "name" } } });
    if (data) setOrganisations(data.items.map((o) => ({ id: o.id ?? 0, name: o.name ?? "", kind: o.kind ?? "startup" })));
  };
  useEffect(() => void loadOrganisations(), []);
  return (
    <div class="admin">
      <h1>{t("admin.title")}</h1>
      {me.role === "admin" ? <OrganisationsPanel organisations={organisations} onCreated={() => void loadOrganisations()} /> : null}
      <UsersPanel organisations={organisations} />
      <PluginsPanel />
    </div>
  );
}
