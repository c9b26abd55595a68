// Dates, times, numbers and amounts as the user reads them: in the app's language (with the
// browser's region when it speaks that language: fr-CA, en-US) and the user's time zone (the
// profile's, from /api/v1/me). Amounts come from the API as decimal text with their ISO 4217
// currency ("1234.56" EUR reads 1 234,56 € in French, €1,234.56 in English).
import type { Language } from "../i18n/i18n";

export interface Formats {
  date(instant: string | null | undefined): string;
  dateTime(instant: string | null | undefined): string;
  // A calendar day without a time ("2026-07-14", an expected close): the same day everywhere.
  day(isoDate: string | null | undefined): string;
  number(value: number): string;
  money(amount: string | number, currency: string): string;
}

// The browser's own tag when it is of the app's language ("fr-CH"), else the language's
// usual one.
export function localeTag(language: Language): string {
  for (const tag of navigator.languages ?? [navigator.language]) {
    if (tag.toLowerCase().split("-")[0] === language) return tag;
  }
  return language === "fr" ? "fr-FR" : "en-GB";
}

// One set of formatters per locale and zone, each made once: a screen asks for them at every
// render, and building an Intl formatter costs far more than formatting (a board of 1,000
// cards formats 1,000 amounts per render).
const made = new Map<string, Formats>();

export function formats(language: Language, timeZone: string | null | undefined): Formats {
  const locale = localeTag(language);
  const key = `${locale} ${timeZone ?? ""}`;
  let f = made.get(key);
  if (!f) {
    f = makeFormats(locale, timeZone || undefined);
    made.set(key, f);
  }
  return f;
}

// A value made at its first use: the first formatter of a kind costs tens of ms (the
// locale's and the zone's data loaded; 150-200 ms on a busy machine for the four below),
// and a screen uses only some of them (the board no dates).
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}

function makeFormats(locale: string, zone: string | undefined): Formats {
  const dateFormat = lazy(() => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: zone }));
  const dateTimeFormat = lazy(() => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: zone }));
  const dayFormat = lazy(() => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }));
  const numberFormat = lazy(() => new Intl.NumberFormat(locale));
  const currencyFormats = new Map<string, Intl.NumberFormat | null>();  // null: a code Intl does not know
  const currencyFormat = (currency: string): Intl.NumberFormat | null => {
    if (!currencyFormats.has(currency)) {
      try {
        currencyFormats.set(currency, new Intl.NumberFormat(locale, { style: "currency", currency }));
      } catch {
        currencyFormats.set(currency, null);
      }
    }
    return currencyFormats.get(currency) ?? null;
  };
  const parse = (instant: string | null | undefined): Date | null => {
    if (!instant) return null;
    const d = new Date(instant);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  return {
    date: (instant) => {
      const d = parse(instant);
      return d ? dateFormat().format(d) : "";
    },
    dateTime: (instant) => {
      const d = parse(instant);
      return d ? dateTimeFormat().format(d) : "";
    },
    day: (isoDate) => {
      const d = parse(isoDate ? `${isoDate.slice(0, 10)}T00:00:00Z` : null);
      return d ? dayFormat().format(d) : "";
    },
    number: (value) => numberFormat().format(value),
    money: (amount, currency) => {
      const value = Number(amount);
      const format = currencyFormat(currency);
      return format ? format.format(value) : `${numberFormat().format(value)} ${currency}`;
    },
  };
}
