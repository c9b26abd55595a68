import { useEffect, useRef, useState } from "preact/hooks";
import { Link } from "wouter-preact";

import type { paths } from "../../../src/api/schema";
import { api, problemDetail } from "../../api/client";
import { useSession } from "../../api/session";
import { Message } from "../../components/Message";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/en";
import { localInstant, localToday } from "./zone";

type View = "overdue" | "today" | "upcoming";
type Item = paths["/api/v1/followups/today"]["get"]["responses"][200]["content"]["application/json"]["items"][number];
type Lists = Record<View, Item[]>;

const views: readonly View[] = ["overdue", "today", "upcoming"];
const day = 86_400_000;

// The user's follow-ups as the API's views give them (overdue, today on the user's clock,
// the next seven days), each done or snoozed (a day, a week, or to a date picked) in one
// click: a PATCH with If-Match, so that a follow-up changed elsewhere meanwhile (412) is
// said and the lists read again. Times are on the user's clock (their profile's zone).
export function FollowupsScreen() {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const [lists, setLists] = useState<Lists | null>(null);
  const [leads, setLeads] = useState<Map<number, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState<number | null>(null);
  const [dates, setDates] = useState<Record<number, string>>({});
  const loads = useRef(0);
  const refocus = useRef(false);

  // A follow-up done or snoozed leaves its list, and its buttons with it: the keyboard's
  // focus goes to the screen's title rather than back to the top of the page.
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    if (!document.activeElement || document.activeElement === document.body)
      document.getElementById("followups-title")?.focus();
  });

  const load = async () => {
    const ticket = ++loads.current;
    try {
      const answers = await Promise.all(views.map((v) => api.GET(`/api/v1/followups/${v}`, {})));
      if (ticket !== loads.current) return;
      const failed = answers.find((a) => !a.data);
      if (failed) return setError(t("app.error", { detail: problemDetail(failed.error, failed.response) }));
      // The views overlap (one due earlier today is late and today's): each shows once, in
      // the first of overdue, today, upcoming.
      const shown = new Set<number>();
      const next = Object.fromEntries(views.map((v, i) => {
        const fresh = (answers[i]?.data?.items ?? []).filter((x) => !shown.has(x.id));
        fresh.forEach((x) => shown.add(x.id));
        return [v, fresh];
      })) as Lists;
      setLists(next);
      setError(null);
      // The titles of their leads, each read once.
      const wanted = [...new Set(views.flatMap((v) => next[v]).map((x) => x.lead_id).filter((id): id is number => !!id))]
        .filter((id) => !leads.has(id));
      if (wanted.length) {
        const read = await Promise.all(wanted.map((id) => api.GET("/api/v1/leads/{id}", { params: { path: { id } } })));
        setLeads((m) => {
          const copy = new Map(m);
          read.forEach((r, i) => r.data && copy.set(wanted[i] ?? 0, r.data.title ?? ""));
          return copy;
        });
      }
    } catch {
      if (ticket === loads.current) setError(t("app.offline"));
    }
  };

  useEffect(() => {
    void load();
  }, []);

  const change = async (item: Item, body: { status: "done" } | { status: "snoozed"; due_at: string }) => {
    setBusy(item.id);
    const title = item.title ?? "";
    try {
      const { data, error: problem, response } = await api.PATCH("/api/v1/followups/{id}", {
        params: { path: { id: item.id }, header: { "If-Match": `"${item.id}-${item.version}"` } },
        body,
      });
      if (data) {
        // Done, it leaves the lists as the notice says so, not when the reload lands.
        if (body.status === "done")
          setLists((l) => l && (Object.fromEntries(views.map((v) => [v, l[v].filter((x) => x.id !== item.id)])) as Lists));
        setNotice(body.status === "done" ? t("followups.marked_done", { title })
          : t("followups.snoozed", { title, due: f.dateTime(body.due_at) }));
        setError(null);
      } else if (response.status === 412) {
        setError(t("followups.conflict", { title }));
      } else {
        setError(t("followups.failed", { title, detail: t("app.error", { detail: problemDetail(problem, response) }) }));
      }
    } catch {
      setError(t("followups.failed", { title, detail: t("app.offline") }));
    } finally {
      setBusy(null);
      await load();
      refocus.current = true;
    }
  };

  // A day or a week from the due time, or from now for one already late.
  const snoozeBy = (item: Item, days: number) => {
    const from = Math.max(Date.parse(item.due_at ?? "") || 0, Date.now());
    void change(item, { status: "snoozed", due_at: new Date(from + days * day).toISOString() });
  };
  const snoozeTo = (item: Item) => {
    const date = dates[item.id];
    if (date) void change(item, { status: "snoozed", due_at: localInstant(date, 9, me.time_zone).toISOString() });
  };

  const today = localToday(me.time_zone);
  return (
    <section aria-labelledby="followups-title">
      <h1 id="followups-title" tabIndex={-1}>{t("followups.title")}</h1>
      <p role="status" aria-live="polite" class="count">{notice}</p>
      {error ? <Message kind="error">{error}</Message> : null}
      {!lists ? (
        <p role="status">{t("app.loading")}</p>
      ) : (
        views.map((v) => (
          <section key={v} aria-labelledby={`followups-${v}`} class="followups">
            <h2 id={`followups-${v}`}>
              {t(`followups.${v}` as MessageKey)} <span class="count">({f.number(lists[v].length)})</span>
            </h2>
            {lists[v].length === 0 ? (
              <p class="hint">{t("followups.none")}</p>
            ) : (
              <ul class="followup-list">
                {lists[v].map((item) => {
                  const headingId = `followup-${item.id}`;
                  const dateId = `followup-date-${item.id}`;
                  const leadTitle = item.lead_id ? leads.get(item.lead_id) : undefined;
                  return (
                    <li key={item.id} class={`followup${v === "overdue" ? " late" : ""}`} aria-labelledby={headingId}>
                      <h3 id={headingId}>{item.title}</h3>
                      <p class="when">{t("followups.due", { due: f.dateTime(item.due_at) })}</p>
                      {item.lead_id ? (
                        <p>
                          <Link href={`/leads/${item.lead_id}`}>{t("followups.lead", { title: leadTitle ?? `#${item.lead_id}` })}</Link>
                        </p>
                      ) : null}
                      <div class="actions" role="group" aria-labelledby={headingId}>
                        <button type="button" disabled={busy === item.id} onClick={() => void change(item, { status: "done" })}>
                          {t("followups.done")}
                        </button>
                        <button type="button" class="secondary" disabled={busy === item.id} onClick={() => snoozeBy(item, 1)}>
                          {t("followups.snooze_day")}
                        </button>
                        <button type="button" class="secondary" disabled={busy === item.id} onClick={() => snoozeBy(item, 7)}>
                          {t("followups.snooze_week")}
                        </button>
                        <span class="snooze-date">
                          <label for={dateId}>{t("followups.snooze_date")}</label>
                          <input id={dateId} type="date" min={today} value={dates[item.id] ?? ""}
                            onInput={(e) => setDates((d) => ({ ...d, [item.id]: (e.currentTarget as HTMLInputElement).value }))} />
                          <button type="button" class="secondary" disabled={busy === item.id || !dates[item.id]} onClick={() => snoozeTo(item)}>
                            {t("followups.snooze_pick")}
                          </button>
                        </span>
                      </div>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        ))
      )}
    </section>
  );
}
