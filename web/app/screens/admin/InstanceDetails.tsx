import { useEffect, useState } from "preact/hooks";

import { api, problemDetail } from "../../api/client";
import { useSession } from "../../api/session";
import { Message } from "../../components/Message";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import type { DeadLetter, Instance } from "./types";

// An instance's delivery: its state and lag, its dead letters (replayed one by one or all
// together), and the plugin's test (the email reminder sends one message).
export function InstanceDetails({ instance, testable, onChanged }: { instance: Instance; testable: boolean; onChanged: () => void }) {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const d = instance.delivery;
  const [letters, setLetters] = useState<DeadLetter[] | null>(null);
  const [note, setNote] = useState<{ kind: "error" | "status"; text: string } | null>(null);
  const [to, setTo] = useState(me.email ?? "");
  const [testing, setTesting] = useState(false);

  const loadLetters = async () => {
    const { data } = await api.GET("/api/v1/plugin-instances/{id}/dead-letters", { params: { path: { id: instance.id } } });
    setLetters((data?.items ?? []) as unknown as DeadLetter[]);
  };
  useEffect(() => {
    if (d.dead_letters > 0) void loadLetters();
    else setLetters([]);
  }, [instance.id, d.dead_letters]);

  const replay = async (eventId?: number) => {
    const answer = eventId
      ? await api.POST("/api/v1/plugin-instances/{id}/dead-letters/{event_id}/replay", { params: { path: { id: instance.id, event_id: eventId } } })
      : await api.POST("/api/v1/plugin-instances/{id}/dead-letters/replay", { params: { path: { id: instance.id } } });
    if (!answer.response.ok) return setNote({ kind: "error", text: t("app.error", { detail: problemDetail(answer.error, answer.response) }) });
    setNote({ kind: "status", text: t("admin.replayed", { count: f.number(answer.data?.queued ?? 0) }) });
    onChanged();
  };

  const test = async (e: Event) => {
    e.preventDefault();
    setTesting(true);
    const { data, error, response } = await api.POST("/api/v1/plugin-instances/{id}/test", { params: { path: { id: instance.id } }, body: { to } as unknown as Record<string, never> });
    setTesting(false);
    if (!data) return setNote({ kind: "error", text: t("app.error", { detail: problemDetail(error, response) }) });
    setNote({ kind: data.passed ? "status" : "error", text: t(data.passed ? "admin.test_passed" : "admin.test_failed", { report: data.report }) });
  };

  const testId = `test-to-${instance.id}`;
  return (
    <div class="instance-details">
      <dl class="details">
        <dt>{t("admin.delivery_state")}</dt>
        <dd class="delivery-state">{t("admin.state", { state: d.state })}</dd>
        <dt>{t("admin.pending")}</dt>
        <dd>{f.number(d.pending)}</dd>
        <dt>{t("admin.delivered")}</dt>
        <dd>{f.number(d.delivered_since_start)}</dd>
        <dt>{t("admin.dead_letters")}</dt>
        <dd>{f.number(d.dead_letters)}</dd>
        {d.last_error ? (
          <>
            <dt>{t("admin.last_error")}</dt>
            <dd>{d.last_error} {d.last_error_at ? `(${f.dateTime(d.last_error_at)})` : ""}</dd>
          </>
        ) : null}
      </dl>
      {note ? <Message kind={note.kind}>{note.text}</Message> : null}
      {letters && letters.length > 0 ? (
        <div class="table-scroll">
          <table>
            <caption>{t("admin.dead_letters")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.event")}</th>
                <th scope="col">{t("admin.when")}</th>
                <th scope="col" class="number">{t("admin.attempts")}</th>
                <th scope="col">{t("admin.error")}</th>
                <th scope="col"><span class="visually-hidden">{t("admin.actions")}</span></th>
              </tr>
            </thead>
            <tbody>
              {letters.map((l) => (
                <tr key={l.event_id}>
                  <td>{l.type ? `${l.type} #${l.event_id}` : `#${l.event_id}`}</td>
                  <td>{f.dateTime(l.dead_lettered_at)}</td>
                  <td class="number">{f.number(l.attempts)}</td>
                  <td>{l.error}</td>
                  <td>
                    <button type="button" class="secondary" onClick={() => void replay(l.event_id)}>
                      {t("admin.replay_one", { event: String(l.event_id) })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => void replay()}>{t("admin.replay_all")}</button>
        </div>
      ) : null}
      {testable ? (
        <form class="inline-form" onSubmit={(e) => void test(e)}>
          <label for={testId}>{t("admin.test_to")}</label>
          <input id={testId} type="email" required value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit" class="secondary" disabled={testing}>{t(testing ? "admin.testing" : "admin.test")}</button>
        </form>
      ) : null}
    </div>
  );
}
