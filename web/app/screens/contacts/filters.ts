// The contacts list's filters, as the API's list takes them (docs/api.md, "Lists"): a tag,
// a company, the mission or fair met at, a country, when met and when entered. They live
// in the app's memory (this module), not in the page's address nor the browser's storage:
// a company's or a tag's name can tell who someone met. They survive going to a contact's
// page and back, and are forgotten when the session ends.
import type { paths } from "../../../src/api/schema";
import { sessionEnded } from "../../api/client";
import { onSignOut } from "../../api/session";

type ContactQuery = NonNullable<paths["/api/v1/contacts"]["get"]["parameters"]["query"]>;

export interface Picked {
  id: number;
  name: string;
}

export interface ContactFilters {
  tag: string;
  company: Picked | null;
  eventId: number | null;
  country: string;    // ISO 3166-1 alpha-2
  metFrom: string;    // calendar days (yyyy-mm-dd) in the user's zone, both inclusive
  metUntil: string;
  createdFrom: string;
  createdUntil: string;
}

export const noFilters: ContactFilters = {
  tag: "", company: null, eventId: null, country: "", metFrom: "", metUntil: "", createdFrom: "", createdUntil: "",
};

// What the screen showed last: its search and filters.
export const remembered = { query: "", filters: noFilters };
// Forgotten at logout, and when the session ends elsewhere (the next user of this tab must
// not find them).
const forget = () => {
  remembered.query = "";
  remembered.filters = noFilters;
};
onSignOut(forget);
sessionEnded.addEventListener("ended", forget);

export function activeCount(f: ContactFilters): number {
  return [f.tag.trim(), f.company, f.eventId, f.country.trim(), f.metFrom, f.metUntil, f.createdFrom, f.createdUntil]
    .filter(Boolean).length;
}

// The offset of `zone` from UTC at `utcMs`, in milliseconds ("GMT+02:00" -> 7 200 000).
function zoneOffset(utcMs: number, zone: string): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(new Date(utcMs)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
}

// The instant a calendar day starts in the user's zone (`days` later), RFC 3339 in UTC:
// the API's ranges are instants, the user picks days.
export function dayStart(day: string, zone: string | null | undefined, days = 0): string {
  const [y, m, d] = day.split("-").map(Number);
  const midnightUtc = Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days);
  if (!zone) return new Date(midnightUtc).toISOString();
  const first = midnightUtc - zoneOffset(midnightUtc, zone);
  return new Date(midnightUtc - zoneOffset(first, zone)).toISOString();
}

// The list query the filters make ("until" days are inclusive: the API's _to is the
// exclusive start of the next day).
export function filterQuery(f: ContactFilters, zone: string | null | undefined): ContactQuery {
  const q: ContactQuery = {};
  if (f.tag.trim()) q.tag = f.tag.trim();
  if (f.company) q.company_id = f.company.id;
  if (f.eventId) q.source_event_id = f.eventId;
  if (f.country.trim()) q.country = f.country.trim().toUpperCase();
  if (f.metFrom) q.met_from = dayStart(f.metFrom, zone);
  if (f.metUntil) q.met_to = dayStart(f.metUntil, zone, 1);
  if (f.createdFrom) q.created_from = dayStart(f.createdFrom, zone);
  if (f.createdUntil) q.created_to = dayStart(f.createdUntil, zone, 1);
  return q;
}
