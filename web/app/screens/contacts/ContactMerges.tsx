import { useState } from "preact/hooks";
import { Link } from "wouter-preact";

import type { Contact } from "../../api/client";
import { useSession } from "../../api/session";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { fieldNames, rowCounts, undo, undoSentences, type Merge } from "./merges";
import { fullName } from "./names";

// The contacts merged into this one, newest first: what each merge filled in and moved,
// "undo" while it is not undone, and what an undo did (undo_result) once it is.
export function ContactMerges(props: { merges: Merge[]; canUndo: boolean; onUndone: (merge: Merge) => void }) {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const [busy, setBusy] = useState<number | null>(null);
  const [failure, setFailure] = useState<{ id: number; text: string } | null>(null);

  const doUndo = async (m: Merge) => {
    setBusy(m.id);
    setFailure(null);
    try {
      const r = await undo(m.id);
      if (r.ok) props.onUndone(r.merge);
      else setFailure({ id: m.id, text: t("app.error", { detail: r.detail }) });
    } catch {
      setFailure({ id: m.id, text: t("app.offline") });
    } finally {
      setBusy(null);
    }
  };

  if (props.merges.length === 0) return null;
  return (
    <section aria-labelledby="contact-merges">
      <h2 id="contact-merges">{t("merge.past")}</h2>
      <ul class="merges">
        {props.merges.map((m) => {
          const name = fullName(m.duplicate as Contact) || t("contacts.unnamed");
          const moved = rowCounts(t, m.moved);
          return (
            <li key={m.id}>
              <p>
                {t("merge.merged_on", { name, when: f.dateTime(m.merged_at) })}
                {m.fields.length ? ` ${t("merge.filled", { fields: fieldNames(t, m.fields) })}` : ""}
                {moved ? ` ${t("merge.moved", { rows: moved })}` : ""}
              </p>
              {m.undone_at ? (
                <div role="status">
                  <p>{t("merge.undone_on", { when: f.dateTime(m.undone_at) })}</p>
                  <ul>
                    {undoSentences(t, m).map((s) => <li key={s}>{s}</li>)}
                  </ul>
                  <p><Link href={`/contacts/${m.duplicate_id}`}>{t("merge.open", { name })}</Link></p>
                </div>
              ) : props.canUndo ? (
                <button type="button" class="secondary" disabled={busy === m.id} onClick={() => void doUndo(m)}
                        aria-label={t("merge.undo_named", { name })}>
                  {t("merge.undo")}
                </button>
              ) : null}
              {failure?.id === m.id ? <p class="field-error" role="alert">{failure.text}</p> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
