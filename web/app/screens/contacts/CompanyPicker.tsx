import { useEffect, useState } from "preact/hooks";

import { aborted, api } from "../../api/client";
import type { Picked } from "./filters";

export interface CompanyChoice {
  name: string;       // what is typed
  id: number | null;  // the company it names, once picked from the suggestions
}

// A company by type-ahead: each keystroke asks GET /api/v1/companies?q= for a few names,
// offered as the input's suggestions; the typed name is a company once it is exactly one of
// them. `id` names the input (and its datalist); the label is the caller's.
export function CompanyPicker(props: {
  id: string;
  value: CompanyChoice;
  onChange: (choice: CompanyChoice) => void;
  describedBy?: string;
  invalid?: boolean;
}) {
  const [hints, setHints] = useState<Picked[]>([]);
  const name = props.value.name;

  useEffect(() => {
    const typed = name.trim();
    if (!typed || props.value.id) return;
    const controller = new AbortController();
    api.GET("/api/v1/companies", { params: { query: { q: typed, limit: 8 } }, signal: controller.signal })
      .then(({ data }) => setHints((data?.items ?? []).map((c) => ({ id: c.id, name: c.name ?? "" }))))
      .catch((e: unknown) => {
        if (!aborted(e)) setHints([]);
      });
    return () => controller.abort();
  }, [name]);

  const onInput = (e: Event) => {
    const typed = (e.currentTarget as HTMLInputElement).value;
    const picked = hints.find((c) => c.name === typed);
    props.onChange({ name: typed, id: picked?.id ?? null });
  };
  return (
    <>
      <input id={props.id} list={`${props.id}-options`} autoComplete="off" value={name} onInput={onInput}
             aria-describedby={props.describedBy} aria-invalid={props.invalid ? "true" : undefined} />
      <datalist id={`${props.id}-options`}>
        {hints.map((c) => <option key={c.id} value={c.name} />)}
      </datalist>
    </>
  );
}
