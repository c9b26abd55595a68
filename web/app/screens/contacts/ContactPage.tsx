import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Link } from "wouter-preact";

import { api, problemDetail, type Company, type Contact, type Lead } from "../../api/client";
import { useSession } from "../../api/session";
import { Message } from "../../components/Message";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { fullName } from "./names";

type State =
  | { kind: "loading" }
  | { kind: "missing" }
  | { kind: "failed"; detail: string }
  | { kind: "ready"; contact: Contact; company: Company | null; leads: Lead[] };

// One contact, read-only: its details, its company, its leads with their stage and value.
export function ContactPage({ params }: { params: Record<string, string | undefined> }) {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const id = Number(params.id);
  const [state, setState] = useState<State>({ kind: "loading" });

  useEffect(() => {
    let live = true;
    (async () => {
      if (!Number.isInteger(id) || id <= 0) return setState({ kind: "missing" });
      const { data: contact, error, response } = await api.GET("/api/v1/contacts/{id}", { params: { path: { id } } });
      if (!contact) {
        if (live) setState(response.status === 404 ? { kind: "missing" } : { kind: "failed", detail: problemDetail(error, response) });
        return;
      }
      const [company, leads] = await Promise.all([
        contact.company_id
          ? api.GET("/api/v1/companies/{id}", { params: { path: { id: contact.company_id } } }).then((r) => r.data ?? null)
          : Promise.resolve(null),
        api.GET("/api/v1/leads", { params: { query: { contact_id: id, limit: 100 } } }).then((r) => r.data?.items ?? []),
      ]);
      if (live) setState({ kind: "ready", contact, company, leads });
    })().catch(() => live && setState({ kind: "failed", detail: t("app.offline") }));
    return () => {
      live = false;
    };
  }, [id]);

  const back = (
    <p>
      <Link href="/contacts">← {t("contact.back")}</Link>
    </p>
  );
  if (state.kind === "loading") return <p role="status">{t("app.loading")}</p>;
  if (state.kind === "missing") return <>{back}<Message kind="error">{t("contact.not_found")}</Message></>;
  if (state.kind === "failed") return <>{back}<Message kind="error">{t("app.error", { detail: state.detail })}</Message></>;

  const { contact: c, company, leads } = state;
  const none = t("contact.none");
  const row = (label: string, value: ComponentChildren) => (
    <>
      <dt>{label}</dt>
      <dd>{value || none}</dd>
    </>
  );
  const list = (values: readonly string[] | null | undefined) =>
    values && values.length ? (
      <ul class="inline">
        {values.map((v) => (
          <li key={v}>{v}</li>
        ))}
      </ul>
    ) : null;
  return (
    <article aria-labelledby="contact-name">
      {back}
      <h1 id="contact-name">{fullName(c) || t("contacts.unnamed")}</h1>
      {c.redacted ? <Message kind="status">{t("contact.redacted")}</Message> : null}
      <section aria-labelledby="contact-details">
        <h2 id="contact-details">{t("contact.details")}</h2>
        <dl class="details">
          {row(t("contact.job_title"), c.title)}
          {row(t("contact.company"), company?.name)}
          {row(t("contact.emails"), list(c.emails))}
          {row(t("contact.phones"), list(c.phones))}
          {row(t("contact.city"), c.city)}
          {row(t("contact.country"), c.country)}
          {row(t("contact.tags"), list(c.tags))}
          {row(t("contact.met_at"), f.date(c.met_at))}
          {row(t("contact.met_where"), c.met_where)}
          {row(t("contact.updated_at"), f.dateTime(c.updated_at))}
        </dl>
        {c.notes ? (
          <>
            <h3>{t("contact.notes")}</h3>
            <p class="notes">{c.notes}</p>
          </>
        ) : null}
      </section>
      <section aria-labelledby="contact-leads">
        <h2 id="contact-leads">{t("contact.leads")}</h2>
        {leads.length === 0 ? (
          <p>{t("contact.no_leads")}</p>
        ) : (
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("contact.lead_title")}</th>
                  <th scope="col">{t("contact.lead_stage")}</th>
                  <th scope="col" class="number">{t("contact.lead_value")}</th>
                  <th scope="col">{t("contact.lead_close")}</th>
                </tr>
              </thead>
              <tbody>
                {leads.map((l) => (
                  <tr key={l.id}>
                    <td>{l.title}</td>
                    <td>{l.stage}</td>
                    <td class="number">{l.value != null && l.currency ? f.money(l.value, l.currency) : none}</td>
                    <td>{l.expected_close ? f.day(l.expected_close) : none}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
