import type { MessageKey } from "../../i18n/en";
import { useI18n, type Translate } from "../../i18n/i18n";
import type { MappedColumn, MappingIssue } from "./import_mapping";

// The words of a field a mapping may name; a field the server adds later shows its name.
const fieldKeys: Record<string, MessageKey> = {
  first_name: "imports.field_first_name", last_name: "imports.field_last_name", full_name: "imports.field_full_name",
  emails: "imports.field_emails", phones: "imports.field_phones", company: "imports.field_company",
  title: "imports.field_title", city: "imports.field_city", country: "imports.field_country",
  linkedin_url: "imports.field_linkedin_url", tags: "imports.field_tags", notes: "imports.field_notes",
  met_at: "imports.field_met_at", met_where: "imports.field_met_where", time_zone: "imports.field_time_zone",
  ignore: "imports.field_ignore",
};
export const fieldLabel = (t: Translate, field: string) => (fieldKeys[field] ? t(fieldKeys[field]) : field);

export function issueText(t: Translate, issue: MappingIssue): string {
  if (issue.kind === "unnamed") return t("imports.issue_unnamed", { column: issue.column });
  if (issue.kind === "shared")
    return t("imports.issue_shared", { field: fieldLabel(t, issue.field), columns: issue.columns.join(", ") });
  return t("imports.issue_nothing");
}

// The file's columns as they are in the file, each with a select of the field it goes to
// (preset by the server's guess) and its first values below.
export function MappingEditor(props: {
  columns: MappedColumn[];
  fields: string[];
  issues: MappingIssue[];
  fileName: string;
  onChange: (index: number, field: string) => void;
}) {
  const { t } = useI18n();
  const { columns, fields, issues } = props;
  const flagged = (c: MappedColumn, i: number) =>
    issues.some((x) => (x.kind === "unnamed" && x.column === i + 1) || (x.kind === "shared" && x.columns.includes(c.name)));
  const rows = Math.max(0, ...columns.map((c) => c.examples.length));
  const name = (c: MappedColumn, i: number) => c.name.trim() || t("imports.unnamed", { column: i + 1 });
  return (
    <div class="table-scroll mapping" tabIndex={0} role="region" aria-label={t("imports.mapping")}>
      <table>
        <caption class="hint">{t("imports.mapping_caption", { name: props.fileName })}</caption>
        <thead>
          <tr>{columns.map((c, i) => <th key={i} scope="col">{name(c, i)}</th>)}</tr>
          <tr>
            {columns.map((c, i) => (
              <td key={i} class={c.field !== c.guess ? "changed" : undefined}>
                <select
                  aria-label={t("imports.field_of", { column: name(c, i) })}
                  aria-invalid={flagged(c, i) ? "true" : undefined}
                  disabled={!c.name.trim()}
                  value={c.field}
                  onChange={(e) => props.onChange(i, (e.currentTarget as HTMLSelectElement).value)}
                >
                  {fields.map((f) => <option key={f} value={f}>{fieldLabel(t, f)}</option>)}
                </select>
              </td>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, r) => (
            <tr key={r}>{columns.map((c, i) => <td key={i}>{c.examples[r] ?? ""}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
