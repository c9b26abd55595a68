import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { Link } from "wouter-preact";

import { aborted, api, problemDetail, type Contact } from "../../api/client";
import { useSession } from "../../api/session";
import { Message } from "../../components/Message";
import { formats } from "../../format/format";
import { useI18n } from "../../i18n/i18n";
import { ContactFiltersPanel } from "./ContactFilters";
import { activeCount, filterQuery, remembered, type ContactFilters } from "./filters";
import { fullName } from "./names";

const pageSize = 50;

interface Results {
  query: string;
  items: Contact[];
  next: string | null;
}

// Instant search: every keystroke asks GET /api/v1/contacts?q= (the full-text search) from
// its input event, not from an effect after the next paint (a frame later, tens of ms on a
// busy phone); the request a newer keystroke replaced is aborted, and an answer that still
// arrives late is dropped (only the latest query's answer is shown). The search text stays out of the
// page's address: it is personal data (a name). The filters (filters.ts) narrow the same
// request: search and filters combine.
export function ContactsScreen() {
  const { t, language } = useI18n();
  const { me } = useSession();
  const f = formats(language, me.time_zone);
  const [query, setQueryState] = useState(remembered.query);
  const [filters, setFiltersState] = useState<ContactFilters>(remembered.filters);
  const setQuery = (q: string) => setQueryState((remembered.query = q));
  const setFilters = (f: ContactFilters) => setFiltersState((remembered.filters = f));
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  // The box's value as of the last keystroke, set in the event itself: an older
  // keystroke's answer arriving after it must not be shown, even before the next render.
  const typed = useRef(query);
  const asking = useRef<AbortController | null>(null);

  const load = async (q: string, by: ContactFilters, cursor: string | null, signal?: AbortSignal) => {
    const ticket = ++latest.current;
    const trimmed = q.trim();
    try {
      const { data, error: problem, response } = await api.GET("/api/v1/contacts", {
        params: {
          query: {
            limit: pageSize,
            ...filterQuery(by, me.time_zone),
            ...(trimmed ? { q: trimmed } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
        ...(signal ? { signal } : {}),
      });
      if (ticket !== latest.current || q !== typed.current) return;  // a newer keystroke's answer is the one to show
      if (!data) {
        setError(t("app.error", { detail: problemDetail(problem, response) }));
        return;
      }
      setError(null);
      setResults((before) => ({
        query: q,
        items: cursor && before ? [...before.items, ...data.items] : data.items,
        next: data.next_cursor ?? null,
      }));
    } catch (e) {
      if (!aborted(e) && ticket === latest.current) setError(t("app.offline"));
    }
  };

  // The first page of `q` narrowed by the filters `by`, instead of the one asked before.
  const ask = (q: string, by: ContactFilters) => {
    asking.current?.abort();
    const controller = new AbortController();
    asking.current = controller;
    void load(q, by, null, controller.signal);
  };

  // Asked before the browser paints the screen without its list (see PipelineScreen).
  useLayoutEffect(() => ask(query, filters), [filters]);
  useEffect(() => () => asking.current?.abort(), []);

  const items = results?.items ?? [];
  return (
    <section aria-labelledby="contacts-title">
      <h1 id="contacts-title">{t("contacts.title")}</h1>
      <div class="search">
        <label for="contacts-search">{t("contacts.search")}</label>
        <input
          id="contacts-search"
          type="search"
          autoComplete="off"
          spellcheck={false}
          aria-describedby="contacts-search-hint"
          aria-controls="contacts-results"
          value={query}
          onInput={(e) => {
            typed.current = (e.currentTarget as HTMLInputElement).value;
            setQuery(typed.current);
            ask(typed.current, filters);
          }}
        />
        <p id="contacts-search-hint" class="hint">
          {t("contacts.search_hint")}
        </p>
      </div>
      <ContactFiltersPanel value={filters} onChange={setFilters} />
      {error ? <Message kind="error">{error}</Message> : null}
      <p class="count" role="status" aria-live="polite">
        {results === null
          ? t("app.loading")
          : items.length === 0
            ? t(results.query.trim() || activeCount(filters) ? "contacts.none" : "contacts.empty")
            : t("contacts.count", { count: f.number(items.length) })}
      </p>
      {/* data-query: the query these results answer (the benchmark and the tests read it). */}
      <ul id="contacts-results" class="results" data-query={results?.query}>
        {items.map((c) => (
          <li key={c.id}>
            <Link href={`/contacts/${c.id}`} class="result">
              <span class="name">{fullName(c) || t("contacts.unnamed")}</span>
              <span class="meta">
                {[c.title, c.city, c.met_at ? f.date(c.met_at) : ""].filter(Boolean).join(" · ")}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {results?.next ? (
        <button type="button" class="secondary" onClick={() => void load(query, filters, results.next)}>
          {t("contacts.more")}
        </button>
      ) : null}
    </section>
  );
}
