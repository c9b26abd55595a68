// The mapping of a CSV file's columns to contact fields, as the imports screen edits it: the
// server's guess (POST /api/v1/import-columns) first, the user's changes then, and what must
// be fixed before the file is sent. The fields a mapping may name come from the server.
export interface MappedColumn {
  name: string;      // as in the file's header ("" for a column without a name)
  guess: string;     // the field the server would give it ("ignore": none)
  field: string;     // the field chosen
  examples: string[];
}

// Fields that take every column mapped to them (imports/presets/README.md: lists take every
// value); any other field takes one column.
const listFields = new Set(["emails", "phones", "tags"]);

export type MappingIssue =
  | { kind: "unnamed"; column: number }                 // 1-based
  | { kind: "shared"; field: string; columns: string[] }
  | { kind: "nothing" };

export function mappingIssues(columns: MappedColumn[]): MappingIssue[] {
  const issues: MappingIssue[] = [];
  columns.forEach((c, i) => {
    if (!c.name.trim()) issues.push({ kind: "unnamed", column: i + 1 });
  });
  const byField = new Map<string, string[]>();
  for (const c of columns) {
    if (c.field === "ignore" || listFields.has(c.field) || !c.name.trim()) continue;
    byField.set(c.field, [...(byField.get(c.field) ?? []), c.name]);
  }
  for (const [field, names] of byField) if (names.length > 1) issues.push({ kind: "shared", field, columns: names });
  if (columns.every((c) => c.field === "ignore" || !c.name.trim())) issues.push({ kind: "nothing" });
  return issues;
}

// Whether the issues stop the file from being sent: a column without a name is only left
// out (it cannot be named in a mapping), the others would import the wrong thing.
export const blocking = (issues: MappingIssue[]) => issues.some((i) => i.kind !== "unnamed");

// The `mapping` parameter: undefined while the server's own reading (its preset, with its
// finer rules: dates, splits, LinkedIn's preamble) is what the user kept; else every named
// column with its field.
export function mappingParam(columns: MappedColumn[], presetFound: boolean): string | undefined {
  if (presetFound && columns.every((c) => c.field === c.guess)) return undefined;
  const mapping: Record<string, string> = {};
  for (const c of columns) if (c.name.trim()) mapping[c.name] = c.field;
  return JSON.stringify(mapping);
}
