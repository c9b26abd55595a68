import { useEffect, useState } from "preact/hooks";

import { api, problemDetail, type Role } from "../../api/client";
import { useSession } from "../../api/session";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";
import type { Organisation } from "./OrganisationsPanel";

interface UserRow {
  id: number;
  org_id: number;
  email?: string;
  display_name: string | null;
  role: Role | null;
  disabled: boolean | null;
}

// The users an administrator manages (an org-admin: their organisation's; the instance
// admin: everyone's): a new user is created without a password and invited with a
// set-password link (emailed when the instance has mail, shown here in every case);
// disabling one ends their sessions.
export function UsersPanel({ organisations }: { organisations: readonly Organisation[] }) {
  const { t } = useI18n();
  const { me } = useSession();
  const isAdmin = me.role === "admin";
  const [users, setUsers] = useState<UserRow[]>([]);
  const [note, setNote] = useState<{ kind: "error" | "status"; text: string } | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [orgId, setOrgId] = useState<number>(me.org_id ?? 0);

  const load = async () => {
    const { data } = await api.GET("/api/v1/users", { params: { query: { limit: 200, sort: "email" } } });
    if (data) setUsers(data.items as UserRow[]);
  };
  useEffect(() => void load(), []);

  const orgName = (id: number) => organisations.find((o) => o.id === id)?.name ?? (id === me.org_id ? me.organisation?.name ?? "" : "");
  const failed = (error: unknown, response: Response) => setNote({ kind: "error", text: t("app.error", { detail: problemDetail(error, response) }) });

  const invite = async (user: { id: number; email?: string }) => {
    const { data, error, response } = await api.POST("/api/v1/users/{id}/password-link", { params: { path: { id: user.id } } });
    if (!data) return failed(error, response);
    setLink(data.link ?? null);
    setNote({ kind: "status", text: t(data.emailed ? "admin.invite_emailed" : "admin.invite_link", { email: user.email ?? "" }) });
  };

  const create = async (e: Event) => {
    e.preventDefault();
    setLink(null);
    const body = { email: email.trim(), display_name: displayName.trim() || null, role, ...(isAdmin ? { org_id: orgId } : {}) };
    const { data, error, response } = await api.POST("/api/v1/users", { body });
    if (!data) return failed(error, response);
    setEmail("");
    setDisplayName("");
    await invite({ id: data.id, email: data.email ?? body.email });
    void load();
  };

  const disable = async (user: UserRow) => {
    if (!window.confirm(t("admin.disable_confirm", { email: user.email ?? "" }))) return;
    const { error, response } = await api.DELETE("/api/v1/users/{id}", { params: { path: { id: user.id } } });
    if (!response.ok) return failed(error, response);
    setNote({ kind: "status", text: t("admin.disabled_user", { email: user.email ?? "" }) });
    void load();
  };

  const roles: Role[] = isAdmin ? ["member", "org-admin", "staff", "admin"] : ["member", "org-admin"];
  return (
    <section aria-labelledby="users-title" class="panel">
      <h2 id="users-title">{t("admin.users")}</h2>
      <div class="table-scroll">
        <table id="users-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.user_email")}</th>
              <th scope="col">{t("admin.user_name")}</th>
              <th scope="col">{t("admin.user_role")}</th>
              {isAdmin ? <th scope="col">{t("admin.user_org")}</th> : null}
              <th scope="col">{t("admin.user_status")}</th>
              <th scope="col"><span class="visually-hidden">{t("admin.actions")}</span></th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>{u.display_name}</td>
                <td>{u.role ? t(`role.${u.role}`) : ""}</td>
                {isAdmin ? <td>{orgName(u.org_id)}</td> : null}
                <td>{t(u.disabled ? "admin.user_disabled" : "admin.user_active")}</td>
                <td class="actions">
                  {u.id !== me.id && !u.disabled ? (
                    <>
                      {/* Short labels in sight, each named after its user for screen readers. */}
                      <button type="button" class="secondary" onClick={() => void invite(u)}>
                        {t("admin.invite")}<span class="visually-hidden"> {u.email}</span>
                      </button>
                      <button type="button" class="secondary danger" onClick={() => void disable(u)}>
                        {t("admin.disable")}<span class="visually-hidden"> {u.email}</span>
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {note ? <Message kind={note.kind}>{note.text}</Message> : null}
      {link ? (
        <p class="invite-link">
          <label for="invite-link">{t("admin.invite_link_label")}</label>
          <input id="invite-link" type="text" readOnly value={link} />
        </p>
      ) : null}
      <form class="user-form" onSubmit={(e) => void create(e)} aria-labelledby="user-new-title">
        <h3 id="user-new-title">{t("admin.user_new")}</h3>
        {isAdmin ? (
          <>
            <label for="user-org">{t("admin.user_org")}</label>
            <select id="user-org" value={orgId} onChange={(e) => setOrgId(Number((e.currentTarget as HTMLSelectElement).value))}>
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>{o.name}</option>
              ))}
            </select>
          </>
        ) : null}
        <label for="user-email">{t("admin.user_email")}</label>
        <input id="user-email" type="email" required autoComplete="off" value={email} onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />
        <label for="user-name">{t("admin.user_name")}</label>
        <input id="user-name" type="text" autoComplete="off" value={displayName} onInput={(e) => setDisplayName((e.currentTarget as HTMLInputElement).value)} />
        <label for="user-role">{t("admin.user_role")}</label>
        <select id="user-role" value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as Role)}>
          {roles.map((r) => (
            <option key={r} value={r}>{t(`role.${r}`)}</option>
          ))}
        </select>
        <div class="actions">
          <button type="submit">{t("admin.user_create")}</button>
        </div>
      </form>
    </section>
  );
}
