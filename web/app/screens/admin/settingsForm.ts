// A plugin's settings form, generated from the settings it documents
// (GET /api/v1/plugins/{plugin}/settings: name, description, description_fr, default,
// choices, secret, type, required). The description is the French one for a French user
// when the plugin gives it (SDK 1.6), else the English one. `secret` is the daemon's: it stores the setting sealed and answers "(set)", so
// the form never shows it back and leaves it as it is when the field stays empty. `type` and
// `required` are the plugin's declaration (SDK 1.3), or the daemon's reading of an older
// plugin's words: the form follows them either way.
import type { paths } from "../../../src/api/schema";

export type SettingDoc =
  paths["/api/v1/plugins/{plugin}/settings"]["get"]["responses"][200]["content"]["application/json"]["settings"][number];

export type Kind = "secret" | "boolean" | "number" | "choice" | "text" | "email" | "url";

export interface Field {
  name: string;
  description: string;
  descriptionLanguage: "en" | "fr";
  kind: Kind;
  integer: boolean;
  required: boolean;
  defaultValue: string | null;
  choices: string[];
}

export const storedSecret = "(set)";

export function fieldOf(doc: SettingDoc, language: string): Field {
  const choices = doc.choices ?? [];
  const kind: Kind = doc.secret
    ? "secret"
    : doc.type === "boolean"
      ? "boolean"
      : doc.type === "integer" || doc.type === "number"
        ? "number"
        : choices.length > 0
          ? "choice"
          : doc.type === "email" || doc.type === "url"
            ? doc.type
            : "text";
  return {
    name: doc.name,
    // A daemon before 1.6 sends no description_fr; a plugin without French, the English again.
    ...(language === "fr" && doc.description_fr && doc.description_fr !== doc.description
      ? { description: doc.description_fr, descriptionLanguage: "fr" as const }
      : { description: doc.description, descriptionLanguage: "en" as const }),
    kind,
    integer: doc.type === "integer",
    required: doc.required,
    defaultValue: doc.default ?? null,
    choices: kind === "boolean" && choices.length === 0 ? ["true", "false"] : choices,
  };
}

// What a field's input shows for the instance's stored value: secrets never ("" with a
// note that one is set), others as text.
export function shown(field: Field, stored: unknown): string {
  if (stored === undefined || stored === null) return "";
  if (field.kind === "secret") return "";
  return String(stored);
}

// The settings object to send: each field the user filled, in its type; a secret left
// empty keeps the stored one ("(set)" sent back, as the API allows) or is left out.
export function settingsToSend(fields: readonly Field[], values: Record<string, string>, stored: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = (values[f.name] ?? "").trim();
    if (v === "") {
      if (f.kind === "secret" && stored[f.name] === storedSecret) out[f.name] = storedSecret;
      continue;
    }
    if (f.kind === "boolean") out[f.name] = v === "true";
    else if (f.kind === "number") out[f.name] = Number(v);
    else out[f.name] = v;
  }
  return out;
}
