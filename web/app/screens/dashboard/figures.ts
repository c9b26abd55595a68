// Shares, durations and counts as the dashboard writes them: Intl in the app's language
// (the percentage sign, the decimal comma and the units as a French or English reader
// expects them).
import { lazy, localeTag } from "../../format/format";
import type { Language } from "../../i18n/i18n";

export interface Figures {
  percent(share: number | null | undefined): string;
  days(seconds: number | null | undefined): string;
  hours(hours: number | null | undefined): string;
}

// Made once per locale and word for "none", each formatter at its first use (see
// format.ts): the report sections ask for them at every render.
const made = new Map<string, Figures>();

export function figures(language: Language, none: string): Figures {
  const locale = localeTag(language);
  const key = `${locale} ${none}`;
  let f = made.get(key);
  if (!f) {
    f = makeFigures(locale, none);
    made.set(key, f);
  }
  return f;
}

function makeFigures(locale: string, none: string): Figures {
  const percent = lazy(() => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }));
  const days = lazy(() => new Intl.NumberFormat(locale, { style: "unit", unit: "day", unitDisplay: "short", maximumFractionDigits: 1 }));
  const hours = lazy(() => new Intl.NumberFormat(locale, { style: "unit", unit: "hour", unitDisplay: "short", maximumFractionDigits: 1 }));
  const known = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);
  return {
    percent: (share) => (known(share) ? percent().format(share) : none),
    days: (seconds) => (known(seconds) ? days().format(seconds / 86400) : none),
    hours: (h) => (known(h) ? hours().format(h) : none),
  };
}
