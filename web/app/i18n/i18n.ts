// The app's language: French or English, the browser's by default, changed by the switch
// in the header (kept in localStorage: a preference, no personal data). Every string comes
// from the catalogue of the language (en.ts, fr.ts); `t` fills its {placeholders}.
import { createContext } from "preact";
import { useContext } from "preact/hooks";

import { en, type MessageKey } from "./en";
import { fr } from "./fr";

export type Language = "fr" | "en";
export const languages: readonly Language[] = ["fr", "en"];
const catalogues: Record<Language, Record<MessageKey, string>> = { fr, en };
const storageKey = "relance.language";

// localStorage may refuse (a private window's quota, storage disabled): the browser's
// language then, and a switch that lasts the page's life.
function stored(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function initialLanguage(): Language {
  const chosen = stored();
  if (chosen === "fr" || chosen === "en") return chosen;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = tag.toLowerCase().split("-")[0];
    if (primary === "fr" || primary === "en") return primary;
  }
  return "en";
}

export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // not kept: see stored()
  }
  document.documentElement.lang = language;
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  const catalogue = catalogues[language];
  return (key, params) =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      params && name in params ? String(params[name]) : whole);
}

export interface I18n {
  language: Language;
  t: Translate;
  setLanguage: (language: Language) => void;
}

export const I18nContext = createContext<I18n>({
  language: "en",
  t: translator("en"),
  setLanguage: () => undefined,
});

export function useI18n(): I18n {
  return useContext(I18nContext);
}
