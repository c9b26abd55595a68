// Instants for a day on the user's clock (their profile's time zone, not the browser's):
// "snooze until 14 July" means 09:00 on 14 July where the user lives.

// The date and time on the zone's clock at that instant, as numbers (the browser's zone
// without one). From its parts: a locale's own short date is no fixed format ("en-CA" gives
// "12/5/2026" with the ICU of Debian 12, where newer ones give "2026-12-05").
function wallClock(instant: number, timeZone: string | undefined): (type: Intl.DateTimeFormatPartTypes) => number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(instant));
  return (type) => Number(parts.find((p) => p.type === type)?.value ?? 0);
}

// The zone's offset from UTC at that instant, in milliseconds (Intl knows the zone's rules).
function offsetAt(instant: number, timeZone: string): number {
  const n = wallClock(instant, timeZone);
  return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")) - Math.floor(instant / 1000) * 1000;
}

// The instant of `isoDate` ("2026-07-14") at `hour`:00 in the zone (the browser's without one).
export function localInstant(isoDate: string, hour: number, timeZone: string | null | undefined): Date {
  const [y, m, d] = isoDate.split("-").map(Number);
  const wall = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, hour);
  if (!timeZone) return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1, hour);
  // Twice: the offset at the guess may differ from the offset at the answer (a DST change).
  let instant = wall - offsetAt(wall, timeZone);
  instant = wall - offsetAt(instant, timeZone);
  return new Date(instant);
}

// Today's date on the user's clock, as "YYYY-MM-DD" (the date input's minimum).
export function localToday(timeZone: string | null | undefined): string {
  const n = wallClock(Date.now(), timeZone || undefined);
  const two = (v: number) => String(v).padStart(2, "0");
  return `${n("year")}-${two(n("month"))}-${two(n("day"))}`;
}
