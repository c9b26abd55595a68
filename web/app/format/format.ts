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

export function formats(language: Language, timeZone: string | null | undefined): Formats {
  const locale = localeTag(language);
  const zone = timeZone || undefined;
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: zone });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: zone });
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const numberFormat = new Intl.NumberFormat(locale);
  const parse = (instant: string | null | undefined): Date | null => {
    if (!instant) return null;
    const d = new Date(instant);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  return {
    date: (instant) => {
      const d = parse(instant);
      return d ? dateFormat.format(d) : "";
    },
    dateTime: (instant) => {
      const d = parse(instant);
      return d ? dateTimeFormat.format(d) : "";
    },
    day: (isoDate) => {
      const d = parse(isoDate ? `${isoDate.slice(0, 10)}T00:00:00Z` : null);
      return d ? dayFormat.format(d) : "";
    },
    number: (value) => numberFormat.format(value),
    money: (amount, currency) => {
      const value = Number(amount);
      try {
        return new Intl.NumberFormat(locale, { style: "currency", currency }).format(value);
      } catch {
        return `${numberFormat.format(value)} ${currency}`;  // a code Intl does not know
      }
    },
  };
}
