import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

import { api, type Contact } from "../../api/client";
import { useSession } from "../../api/session";
import { Message } from "../../components/Message";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { duplicatesOf, merge, reasonText, type DuplicateGroup, type Merge } from "./merges";
import { fullName } from "./names";

interface Comparing {
  other: Contact;
  otherCompany: string;
  key: string;  // the merge's Idempotency-Key, one per comparison opened
}

// The duplicates the API finds for this contact (GET /api/v1/contact-duplicates?contact_id=),
// each with "compare": the two side by side, the rows that differ marked, and "merge into
// this contact" (this one stays, the other's values fill its gaps, its leads, activities and
// follow-ups move here; undone from the page's merges).
export function ContactDuplicates(props: {
  contact: Contact;
  etag: string | null;
  companyName: string;
  canMerge: boolean;
  onMerged: (merge: Merge) => void;
  onStale: () => void;
}) {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const c = props.contact;
  const [group, setGroup] = useState<DuplicateGroup | null | "loading">("loading");
  const [comparing, setComparing] = useState<Comparing | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ text: string; stale: boolean } | null>(null);

  useEffect(() => {
    setComparing(null);
    void duplicatesOf(c.id).then(setGroup).catch(() => setGroup(null));
  }, [c.id, c.version]);

  const compare = async (other: Contact) => {
    setFailure(null);
    const company = other.company_id
      ? (await api.GET("/api/v1/companies/{id}", { params: { path: { id: other.company_id } } })).data?.name ?? ""
      : "";
    setComparing({ other, otherCompany: company, key: crypto.randomUUID() });
    window.setTimeout(() => document.getElementById("merge-compare-title")?.focus(), 0);
  };

  // Closing (its button or Escape) takes the focus back to the "compare" it came from.
  const close = () => {
    const from = comparing?.other.id;
    setComparing(null);
    window.setTimeout(() => document.getElementById(`compare-${from}`)?.focus(), 0);
  };

  const doMerge = async () => {
    if (!comparing) return;
    setBusy(true);
    setFailure(null);
    try {
      const r = await merge(c.id, props.etag, comparing.other.id, comparing.key);
      if (r.ok) return props.onMerged(r.merge);
      setFailure(r.status === 412 ? { text: t("merge.stale"), stale: true } : { text: t("app.error", { detail: r.detail }), stale: false });
    } catch {
      setFailure({ text: t("app.offline"), stale: false });
    } finally {
      setBusy(false);
    }
  };

  const found = group && group !== "loading" ? group : null;
  const others = found ? found.contacts.filter((o) => o.id !== c.id) : [];
  const list = (v: readonly string[] | null | undefined) => (v ?? []).join(", ");
  const rows: [string, (x: Contact, company: string) => ComponentChildren][] = [
    [t("contact.first_name"), (x) => x.first_name],
    [t("contact.last_name"), (x) => x.last_name],
    [t("contact.job_title"), (x) => x.title],
    [t("contact.company"), (_x, company) => company],
    [t("contact.emails"), (x) => list(x.emails)],
    [t("contact.phones"), (x) => list(x.phones)],
    [t("contact.city"), (x) => x.city],
    [t("contact.country"), (x) => x.country],
    [t("contact.tags"), (x) => list(x.tags)],
    [t("contact.met_where"), (x) => x.met_where],
    [t("contact.notes"), (x) => x.notes],
    [t("merge.created"), (x) => f.dateTime(x.created_at)],
  ];

  return (
    <section aria-labelledby="contact-duplicates">
      <h2 id="contact-duplicates">{t("merge.duplicates")}</h2>
      {group === "loading" ? (
        <p role="status">{t("app.loading")}</p>
      ) : others.length === 0 ? (
        <p>{t("merge.no_duplicates")}</p>
      ) : (
        <>
          <p>{t("merge.reasons", { reasons: (found?.reasons ?? []).map((r) => reasonText(t, r)).join(" · ") })}</p>
          <ul class="duplicates">
            {others.map((o) => (
              <li key={o.id}>
                <span class="name">{fullName(o) || t("contacts.unnamed")}</span>
                <span class="meta">{[list(o.emails), list(o.phones)].filter(Boolean).join(" · ")}</span>
                <button type="button" class="secondary" id={`compare-${o.id}`} onClick={() => void compare(o)}
                        aria-label={t("merge.compare_with", { name: fullName(o) || t("contacts.unnamed") })}>
                  {t("merge.compare")}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {comparing ? (
        <div class="merge-compare" onKeyDown={(e) => e.key === "Escape" && close()}>
          <h3 id="merge-compare-title" tabIndex={-1}>
            {t("merge.compare_title", { name: fullName(comparing.other) || t("contacts.unnamed") })}
          </h3>
          <div class="table-scroll">
            <table>
              <caption>{t("merge.compare_caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("merge.field")}</th>
                  <th scope="col">{t("merge.this_contact")}</th>
                  <th scope="col">{t("merge.other_contact")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(([label, value]) => {
                  const mine = value(c, props.companyName) || "";
                  const theirs = value(comparing.other, comparing.otherCompany) || "";
                  const differs = String(mine) !== String(theirs);
                  return (
                    <tr key={label} class={differs ? "differs" : undefined}>
                      <th scope="row">
                        {label}
                        {differs ? <span class="visually-hidden"> ({t("merge.differs")})</span> : null}
                      </th>
                      <td>{mine || t("contact.none")}</td>
                      <td>{theirs || t("contact.none")}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p class="hint">{t("merge.explain")}</p>
          {failure ? (
            <div class="message message-error" role="alert">
              <p>{failure.text}</p>
              {failure.stale ? <button type="button" onClick={props.onStale}>{t("contact.reload")}</button> : null}
            </div>
          ) : null}
          <div class="actions">
            {props.canMerge ? (
              <button type="button" disabled={busy} onClick={() => void doMerge()}>
                {t("merge.merge", { name: fullName(comparing.other) || t("contacts.unnamed") })}
              </button>
            ) : null}
            <button type="button" class="secondary" onClick={close}>{t("merge.close")}</button>
          </div>
        </div>
      ) : null}
      {failure && !comparing ? <Message kind="error">{failure.text}</Message> : null}
    </section>
  );
}
